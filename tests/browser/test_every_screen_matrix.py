"""Every dashboard screen, for every role, at both widths (issue 20's "Done when"): for
an account admin, a viewer of the top-level project, a customer login (a member granted
only its subproject) and a signed-out visitor, at 1440 by 900 and 375 by 812, each either
opens and passes checks.screen_problems (no sideways scrolling, no table cell wider
than its column, at 1440 px no ID or email broken across lines, no serious or critical
axe-core violation), or is refused as the role must be: 403, 404 (both the product's
own error pages, checked the same way) or the sign-in page. A screen a role cannot
reach is asserted refused, never skipped.

The access keys and Settings sections are parts of the project page (its #access-keys
and #settings), checked with it; the webhook pages are Settings' own. One browser, one
context per role (its session cookie added once), one page reused for every screen;
every screen's problems are collected and reported together (40 screens, 320 loads: about 85 s
for the four roles on SQLite, 2026-12-06, on the shared 2-core machine).
test_accessibility_check shows screen_problems failing.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.checks import screen_problems
from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

OK, FORBIDDEN, NOT_FOUND, SIGN_IN = 200, 403, 404, "sign-in"
ROLES = ("admin", "viewer", "customer", "signed out")


@dataclass(frozen=True)
class Screen:
    name: str
    path: str  # formatted with the world's IDs (see `world`)
    admin: object = OK
    viewer: object = OK
    customer: object = NOT_FOUND
    signed_out: object = SIGN_IN

    def expected(self, role: str):
        return getattr(self, role.replace(" ", "_"))


P, S = "/projects/{parent}", "/projects/{sub}"
SCREENS = [
    Screen("Landing page", "/", customer=OK),
    Screen("Projects page", "/projects/", customer=OK),
    Screen("Projects page, searched", "/projects/?q=taco&sort=-created", customer=OK),
    Screen("Projects menu page", "/projects/menu/?q=taco", customer=OK),
    # The top-level project and its sections.
    Screen("Project page (overview, access keys, settings)", f"{P}/"),
    Screen("Subprojects", f"{P}/subprojects/"),
    Screen("Removed subprojects (Burrito Barn)", f"{P}/subprojects/removed/"),
    Screen("Create subproject", f"{P}/subprojects/new/", viewer=FORBIDDEN),
    Screen("Create access key", f"{P}/keys/new/", viewer=FORBIDDEN),
    Screen("Rotate access key", f"{P}/keys/{{key}}/rotate/", viewer=FORBIDDEN),
    Screen("Revoke access key", f"{P}/keys/{{key}}/revoke/", viewer=FORBIDDEN),
    Screen("Usage", f"{P}/usage/"),
    Screen("Billing statements", f"{P}/billing/"),
    Screen("A month's breakdown", f"{P}/billing/{{month}}/"),
    Screen("Last month's breakdown", f"{P}/billing/{{last_month}}/"),
    Screen("Activity", f"{P}/activity/"),
    Screen("Webhook endpoints (Settings)", f"{P}/webhooks/"),
    Screen("A webhook endpoint", f"{P}/webhooks/{{endpoint}}/"),
    Screen("New webhook endpoint", f"{P}/webhooks/new/", viewer=FORBIDDEN),
    Screen("Edit webhook endpoint", f"{P}/webhooks/{{endpoint}}/edit/", viewer=FORBIDDEN),
    # The customer's subproject and its sections.
    Screen("Subproject page in sections", f"{S}/", customer=OK),
    Screen("Subproject's usage", f"{S}/usage/", customer=OK),
    Screen("Subproject's activity", f"{S}/activity/", customer=OK),
    Screen("Subproject's key creation", f"{S}/keys/new/", viewer=FORBIDDEN, customer=OK),
    Screen("A subproject has no subprojects", f"{S}/subprojects/", customer=OK),
    Screen("A suspended subproject's page", "/projects/{suspended}/"),
    # Its bill and spend limit are the ASP's (shown to its customer only if the ASP
    # says so: off here).
    Screen("A subproject's bill", f"{S}/billing/"),
    Screen("A subproject's bill for a month", f"{S}/billing/{{last_month}}/"),
    Screen("Spend limit", f"{S}/spend-limit/"),
    Screen("Remove subproject", f"{S}/remove/", viewer=FORBIDDEN, customer=FORBIDDEN),
    # The account's pages: its admins'.
    Screen("Members", "/accounts/{account}/members/", viewer=NOT_FOUND),
    Screen("Invite a member", "/accounts/{account}/members/invite/", viewer=NOT_FOUND),
    Screen("A member", "/accounts/{account}/members/{member}/", viewer=NOT_FOUND),
    Screen("Single sign-on", "/accounts/{account}/single-sign-on/", viewer=NOT_FOUND),
    # The user's own.
    Screen("Profile (sessions, two-factor)", "/accounts/profile/", customer=OK),
    Screen("Two-factor authentication", "/accounts/two-factor/", customer=OK),
    Screen("Change password", "/accounts/password/", customer=OK),
    Screen("About access keys", "/help/access-keys/", customer=OK, signed_out=OK),
    # The product's own error page for an address that is no project.
    Screen(
        "Page not found",
        "/projects/01ZZZZZZZZZZZZZZZZZZZZZZZZ/",
        admin=NOT_FOUND,
        viewer=NOT_FOUND,
        signed_out=SIGN_IN,
    ),
    # Signed out.
    Screen("Sign-in", "/accounts/login/", OK, OK, OK, OK),
    Screen("Password reset", "/accounts/password/reset/", OK, OK, OK, OK),
]


@pytest.fixture
def world(acme_with_usage, settings):
    """Acme Messaging (acme_with_usage), a key on its project and one on Taco Time, a
    webhook endpoint, a pending invitation to Taco Time, and the three logins."""
    from accounts.models import Membership, Role
    from projects import services
    from team import services as team_services
    from tests.factories import GrantFactory, MembershipFactory
    from webhooks import services as webhook_services

    admin, parent, customers, _gone = acme_with_usage
    taco = customers[0]
    account = parent.account
    key, _ = services.access_key_create(project=parent, display_name="Billing service")
    services.access_key_create(project=taco, display_name="Taco Time's own key")
    settings.WEBHOOK_ALLOW_PRIVATE = True  # (an address that needs no name lookup)
    endpoint, _ = webhook_services.endpoint_create(
        project=parent, url="http://127.0.0.1:9/acme", description="Billing system"
    )
    services.project_update(project=taco, labels={"tier": "gold"})
    services.project_suspend(project=customers[1], reason="Unpaid invoice")
    team_services.invitation_create(
        account=account, email="owner@tacotime.example", role=Role.VIEWER, projects=[taco]
    )
    viewer = MembershipFactory(account=account, role=Role.VIEWER)
    GrantFactory(membership=viewer, project=parent)
    customer = MembershipFactory(account=account, role=Role.MEMBER)
    GrantFactory(membership=customer, project=taco)
    now = timezone.now()
    # Opened months ago, so that last month has a statement (none before an account).
    type(account).objects.filter(pk=account.pk).update(created_at=now - timedelta(days=120))
    ids = {
        "parent": parent.public_id,
        "sub": taco.public_id,
        "suspended": customers[1].public_id,
        "key": key.key_id,
        "endpoint": endpoint.public_id,
        "account": account.public_id,
        "member": Membership.objects.get(user=admin).public_id,
        "month": f"{now:%Y-%m}",
        "last_month": f"{now.replace(day=1) - timedelta(days=1):%Y-%m}",
    }
    users = {"admin": admin, "viewer": viewer.user, "customer": customer.user}
    return users, ids


def _refusal(page, response, expected) -> str:
    """Nothing if the page is the refusal `expected`, else what it is instead."""
    if expected == SIGN_IN:
        if page.url.split("?")[0].endswith("/accounts/login/"):
            return ""
        return f"not sent to sign in (at {page.url}, {response.status})"
    if response.status != expected:
        return f"answered {response.status}, not {expected}"
    return ""


@pytest.mark.parametrize("role", ROLES)
def test_every_screen(role, browser, live_server, world):
    from django.test import Client

    users, ids = world
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    try:
        if role in users:
            client = Client()
            client.force_login(users[role])
            cookie = client.cookies["sessionid"].value
            context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
        page = context.new_page()
        problems = []
        checked_sign_in = False
        for viewport, width in ((DESKTOP, "1440px"), (PHONE, "375px")):
            page.set_viewport_size(viewport)
            for screen in SCREENS:
                name = f"{screen.name} as {role} at {width}"
                expected = screen.expected(role)
                response = page.goto(live_server.url + screen.path.format(**ids))
                if expected == OK:
                    if response.status != OK:
                        problems.append(f"{name}: answered {response.status}, not 200")
                        continue
                else:
                    refused = _refusal(page, response, expected)
                    if refused:
                        problems.append(f"{name}: {refused}")
                        continue
                    if expected == SIGN_IN:  # the same page each time: checked once a width
                        if checked_sign_in == width:
                            continue
                        checked_sign_in = width
                problems += screen_problems(page, name)
        assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
    finally:
        context.close()
