"""An ASP's customer login sees its subproject and nothing else, everywhere.

The matrix is every named URL pattern of the URLconf (walked, not listed: a page added
later is covered without touching this file) against every project, key, account,
member and invitation the customer must not reach, with GET and POST: each answers 404
(or 405 for a method the view never takes, which says nothing about the object). Every
page the customer can open (their own subproject's, the Projects page and menu, the
account pages) is read for leaks: the parent's ID and keys, its siblings, the other
projects of the account and other accounts never appear, and the parent's name only in
the `{Parent} > {Sub}` title. The same for the API with the subproject's own key (the
customer's automation): everything else is 403/404 (400 when creating under it), as the
contracts say.
"""

import html
import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import Membership, Role, UserSession
from projects import services
from team import services as team_services
from tests.factories import AccountFactory, GrantFactory, MembershipFactory, ProjectFactory
from tests.support.api_client import basic

PARENT, SUB, TITLE = "Acme Production", "Taco Time", "Acme Production > Taco Time"


class World:
    """Account A: parent P with the customer's subproject S and a sibling S2, another
    top-level project Q; account B: project O. Each project has an access key and some
    activity; A has an admin, a pending invitation, and the customer."""

    def __init__(self, role):
        self.account = AccountFactory(name="Acme Messaging")
        self.other_account = AccountFactory(name="Globex Corporation")
        self.P = ProjectFactory(account=self.account, name=PARENT)
        self.S = ProjectFactory(parent=self.P, name=SUB)
        self.S2 = ProjectFactory(parent=self.P, name="Burrito Barn")
        self.Q = ProjectFactory(account=self.account, name="Acme Staging")
        self.O = ProjectFactory(account=self.other_account, name="Globex Main")
        self.keys, self.secrets = {}, {}
        for name in ("P", "S", "S2", "Q", "O"):
            project = getattr(self, name)
            key, secret = services.access_key_create(project=project, display_name=f"{name} key")
            self.keys[name], self.secrets[name] = key, secret
            services.project_update(project=project, labels={"tier": f"{name}-tier"})
        self.admin = MembershipFactory(account=self.account, role=Role.ADMIN)
        customer = MembershipFactory(account=self.account, role=role)
        GrantFactory(membership=customer, project=self.S)
        self.customer = customer.user
        self.invitation, _ = team_services.invitation_create(
            account=self.account, email="next@example.com", role=Role.VIEWER, projects=[self.S2]
        )

    @property
    def foreign_by_name(self) -> dict:
        return {name: getattr(self, name) for name in ("P", "S2", "Q", "O")}

    @property
    def foreign(self):
        return list(self.foreign_by_name.values())

    def forbidden_strings(self) -> list[str]:
        """What must never appear on a page the customer sees (besides the parent's
        name outside the title, checked apart)."""
        found = [self.other_account.name, self.admin.public_id, self.invitation.public_id]
        for name in ("P", "S2", "Q", "O"):
            project, key = getattr(self, name), self.keys[name]
            found += [project.public_id, key.key_id, key.display_name, f"{name}-tier"]
        found += [self.S2.name, self.Q.name, self.O.name]
        return found


@pytest.fixture(params=[Role.VIEWER, Role.MEMBER])
def world(request, db):
    return World(request.param)


def assert_nothing_leaks(text: str, world: World, where: str) -> None:
    for forbidden in world.forbidden_strings():
        assert forbidden not in text, f"{where}: {forbidden!r} is shown to the customer"
    # The parent's name only inside the title `{Parent} > {Sub}` (however marked up).
    plain = html.unescape(re.sub(r"<[^>]+>", "", text))
    plain = re.sub(r"\s+", " ", plain).replace(TITLE, "")
    assert PARENT not in plain, f"{where}: the parent's name outside the title"
    attributes = " ".join(re.findall(r'="([^"]*)"', text))
    assert PARENT not in html.unescape(attributes).replace(TITLE, ""), where


def named_patterns(patterns=None, namespace=None):
    """(name, kwargs names, pattern) of every named URL pattern, recursively."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or namespace
            yield from named_patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names = set(entry.pattern.converters) or set(entry.pattern.regex.groupindex)
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), names, entry


def dashboard_patterns():
    for name, kwargs, _ in named_patterns():
        if name.startswith("admin:"):
            continue  # operators only: staff sign-in (test_the_admin_site_is_not_theirs)
        if name.startswith("api_") or name == "oauth2_token":
            continue  # the API: test_the_api_with_the_subprojects_key below
        yield name, kwargs


# The values the customer must not reach, for each URL parameter of the dashboard. A new
# page with a parameter not listed here fails test_every_dashboard_parameter_is_known.
def foreign_values(world: World, kwargs: set) -> list[dict]:
    if kwargs == {"public_id"}:
        return [{"public_id": p.public_id} for p in world.foreign]
    if kwargs == {"public_id", "key_id"}:
        pairs = [(p, world.keys[n]) for n, p in world.foreign_by_name.items()]
        pairs.append((world.S, world.keys["P"]))  # their project with the parent's key
        return [{"public_id": p.public_id, "key_id": k.key_id} for p, k in pairs]
    if kwargs == {"public_id", "month"}:  # a statement: only top-level projects have them
        month = timezone.now().strftime("%Y-%m")
        return [{"public_id": p.public_id, "month": month} for p in [*world.foreign, world.S]]
    if kwargs == {"public_id", "endpoint_id"}:  # a webhook endpoint (top-level projects')
        from webhooks.models import Endpoint

        pairs = [(p, p) for p in (world.P, world.Q, world.O)] + [(world.S, world.P)]
        return [
            {
                "public_id": p.public_id,
                "endpoint_id": Endpoint.objects.get_or_create(
                    project=owner, defaults={"url": "https://example.com/hooks"}
                )[0].public_id,
            }
            for p, owner in pairs
        ]
    if kwargs == {"account_id"}:
        return [{"account_id": a.public_id} for a in (world.account, world.other_account)]
    if kwargs == {"account_id", "member_id"}:
        mine = Membership.objects.get(user=world.customer)
        return [
            {"account_id": world.account.public_id, "member_id": m.public_id}
            for m in (world.admin, mine)
        ]
    if kwargs == {"account_id", "invitation_id"}:
        return [
            {"account_id": world.account.public_id, "invitation_id": world.invitation.public_id}
        ]
    if kwargs == {"session_id"}:  # another user's signed-in session (the profile's list)
        theirs = UserSession.objects.create(
            user=world.admin.user, session_key="x" * 32, last_activity=timezone.now()
        )
        return [{"session_id": theirs.public_id}]
    if kwargs == {"passkey_id"}:  # another user's passkey (the two-factor page's list)
        from accounts.passkeys import Passkey

        theirs = Passkey.objects.create(
            user=world.admin.user, name="Theirs", credential_id=b"c", public_key=b"k"
        )
        return [{"passkey_id": theirs.pk}]
    raise LookupError(kwargs)


# Public pages with a parameter that is not about projects: opened, and read for leaks.
PUBLIC_WITH_PARAMETERS = {"password_reset_confirm": {"uidb64": "MQ"}}
# Pages whose GET would end the session under test.
SESSION_ENDING = {"logout", "sign_out_everywhere"}


def test_every_dashboard_parameter_is_known(world):
    for name, kwargs in dashboard_patterns():
        if kwargs and name not in PUBLIC_WITH_PARAMETERS:
            assert foreign_values(world, kwargs), name


def test_everything_outside_their_subproject_is_404(client, world):
    client.force_login(world.customer)
    checked = 0
    for name, kwargs in dashboard_patterns():
        if not kwargs or name in PUBLIC_WITH_PARAMETERS:
            continue
        for values in foreign_values(world, kwargs):
            url = reverse(name, kwargs=values)
            statuses = {client.get(url).status_code, client.post(url, {}).status_code}
            if values.get("public_id") == world.S.public_id and "key_id" in values:
                # Their own subproject with another's key: exactly what a key that does
                # not exist gets (a viewer's 403 comes before the key is looked up).
                unknown = reverse(name, kwargs={**values, "key_id": uuid.uuid4()})
                assert statuses == {
                    client.get(unknown).status_code,
                    client.post(unknown).status_code,
                }
                assert statuses & {403, 404}, (url, statuses)
            else:
                assert statuses <= {404, 405} and 404 in statuses, (url, statuses)
            checked += 1
    assert checked > 40
    # Nothing was changed on the way.
    world.P.refresh_from_db()
    assert world.P.removed_at is None and world.P.suspended_at is None
    assert world.keys["P"].__class__.objects.get(pk=world.keys["P"].pk).revoked_at is None


def own_urls(world: World) -> list[tuple[str, str]]:
    """Every page the customer may open, with the text it echoes from the address (a
    search's own words, left out of the leak check): the pages of their subproject and
    those without a parameter, and searches that would find the others if they leaked
    (their rows would name them, or the parent outside the title)."""
    urls = []
    for name, kwargs in dashboard_patterns():
        if name in SESSION_ENDING:
            continue
        if name in PUBLIC_WITH_PARAMETERS:
            urls.append((reverse(name, kwargs=PUBLIC_WITH_PARAMETERS[name]), ""))
        elif kwargs == {"public_id"}:
            urls.append((reverse(name, kwargs={"public_id": world.S.public_id}), ""))
        elif not kwargs:
            urls.append((reverse(name), ""))
    searches = ["Burrito", "Acme", "Staging", "Globex", world.P.public_id, world.S2.public_id[:8]]
    for q in searches:
        for url in ("/projects/?q=", "/projects/menu/?q=", "/projects/menu/?partial=1&q="):
            urls.append((url + q, q))
        urls.append((f"/projects/{world.S.public_id}/activity/?actor={q}", q))
    return urls


def test_what_they_can_open_shows_nothing_of_the_others(client, world):
    client.force_login(world.customer)
    client.get(f"/projects/{world.S.public_id}/")  # their current project, as usual
    opened = 0
    for url, echo in own_urls(world):
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code in (301, 302):
            location = response["Location"]
            assert not any(p.public_id in location for p in world.foreign), (url, location)
            continue
        body = (b"".join(response) if response.streaming else response.content).decode()
        assert_nothing_leaks(body.replace(echo, "") if echo else body, world, url)
        opened += response.status_code == 200
    assert opened > 10
    # Their own subproject is there, titled as the product says.
    details = client.get(f"/projects/{world.S.public_id}/").content.decode()
    assert "<bdi>Acme Production</bdi> &gt; <bdi>Taco Time</bdi>" in details
    assert world.S.public_id in details and world.keys["S"].key_id in details


def test_the_admin_site_is_not_theirs(client, world):
    client.force_login(world.customer)
    response = client.get(reverse("admin:projects_project_changelist"))
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- The API, with the subproject's own key ------------------------------------------


def api_patterns():
    for name, kwargs, _ in named_patterns():
        # The internal API takes platform tokens only: every access key is 401 there
        # (tests/billing and tests/usage show it).
        if name.startswith("api_") and not name.startswith("api_internal") and kwargs:
            yield name, kwargs


API_PROJECT_PARAMETERS = {"parent_id", "subproject_id", "project_id"}


def api_values(world: World, kwargs: set) -> list[dict]:
    project_parameter = kwargs & API_PROJECT_PARAMETERS
    assert len(project_parameter) == 1, kwargs
    [parameter] = project_parameter
    values = []
    for name, project in world.foreign_by_name.items():
        value = {parameter: project.public_id}
        if "key_id" in kwargs:
            value["key_id"] = world.keys[name].key_id
        if "month" in kwargs:
            value["month"] = timezone.now().strftime("%Y-%m")
        if "endpoint_id" in kwargs:  # a webhook endpoint's ID (tests/webhooks: real ones)
            value["endpoint_id"] = "01" + "0" * 24
        values.append(value)
    if "key_id" in kwargs:  # their own project with another project's key
        values.append({parameter: world.S.public_id, "key_id": world.keys["P"].key_id})
    assert set(values[0]) == kwargs, f"unknown API parameter in {kwargs}"
    return values


def api_call(client, method, url, auth):
    body = {"data": "{}", "content_type": "application/json"}
    response = getattr(client, method)(
        url, headers=auth, **(body if method in ("post", "patch") else {})
    )
    status = response.json()["error"]["status"] if response.status_code >= 400 else ""
    return response, (response.status_code, status)


def nonexistent(values: dict) -> dict:
    """The same parameters naming nothing at all."""
    from core.ids import new_public_id

    return {
        k: str(uuid.uuid4()) if k == "key_id" else v if k == "month" else new_public_id()
        for k, v in values.items()
    }


def test_the_api_with_the_subprojects_key(client, world):
    """Each call on another project answers exactly as on one that does not exist."""
    auth = {"Authorization": basic(world.keys["S"].key_id, world.secrets["S"])}
    checked = 0
    for name, kwargs in api_patterns():
        for values in api_values(world, kwargs):
            url = reverse(name, kwargs=values)
            nowhere = reverse(name, kwargs=nonexistent(values))
            for method in ("get", "post", "patch", "delete"):
                response, answer = api_call(client, method, url, auth)
                assert response.status_code in (400, 403, 404, 405), (method, url, answer)
                assert answer == api_call(client, method, nowhere, auth)[1], (method, url)
                text = response.content.decode()
                for echoed in values.values():  # an error may quote the ID asked for
                    text = text.replace(str(echoed), "")
                assert_nothing_leaks(text, world, f"{method} {url}")
                checked += 1
    assert checked > 40
    # Their own subproject works with their key.
    own = client.get(f"/api/v1/subprojects/{world.S.public_id}", headers=auth)
    assert own.status_code == 200 and own.json()["displayName"] == SUB
