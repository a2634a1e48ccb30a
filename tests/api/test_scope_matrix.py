"""Who reaches what: every kind of credential against every kind of project.

Account A has a top-level project P with subprojects S and S2, and another top-level
project Q; account B has O. Credentials: a key of P ("parent key"), a key of S
("subproject key"), a revoked key and an expired key of P, and a bearer token of each.
Out of scope answers exactly like a nonexistent project: 403 on the list (the contract
documents no 404 there), 404 on a single key. Bad credentials answer 401.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from projects import services
from projects.api import auth
from tests.factories import ProjectFactory
from tests.support.api_client import basic

# The projects each working credential reaches.
REACH = {"parent": {"P", "S", "S2"}, "subproject": {"S"}, "revoked": set(), "expired": set()}
TARGETS = {
    "P": "own project of the parent key; the parent of the subproject key",
    "S": "a subproject of the parent key; own project of the subproject key",
    "S2": "a sibling of the subproject key",
    "Q": "a sibling top-level project (same account)",
    "O": "another account",
}
CREDENTIALS = [(kind, how) for kind in REACH for how in ("basic", "bearer")]


@pytest.fixture
def world(db):
    P = ProjectFactory(name="P")
    projects = {
        "P": P,
        "S": ProjectFactory(parent=P, name="S"),
        "S2": ProjectFactory(parent=P, name="S2"),
        "Q": ProjectFactory(account=P.account, name="Q"),
        "O": ProjectFactory(name="O"),
    }
    targets = {
        name: services.access_key_create(project=project, display_name="target")[0]
        for name, project in projects.items()
    }
    credentials = {}
    for kind, project in [
        ("parent", P),
        ("subproject", projects["S"]),
        ("revoked", P),
        ("expired", P),
    ]:
        key, secret = services.access_key_create(project=project, display_name=kind)
        token = auth.issue_token(key)  # issued while the key still works
        credentials[kind] = {"basic": basic(key.key_id, secret), "bearer": f"Bearer {token}"}
        if kind == "revoked":
            services.access_key_revoke(key=key)
        if kind == "expired":
            key.expires_at = timezone.now() - timedelta(seconds=1)
            key.save(update_fields=["expires_at"])
    return projects, targets, credentials


@pytest.mark.parametrize("target", list(TARGETS))
@pytest.mark.parametrize(("kind", "how"), CREDENTIALS)
def test_scope(client, world, kind, how, target):
    projects, targets, credentials = world
    header = {"Authorization": credentials[kind][how]}
    project_id = projects[target].public_id
    listing = client.get(f"/api/v1/projects/{project_id}/accessKeys", headers=header)
    single = client.get(
        f"/api/v1/projects/{project_id}/accessKeys/{targets[target].key_id}", headers=header
    )
    if kind in ("revoked", "expired"):
        expected = (401, 401)
    elif target in REACH[kind]:
        expected = (200, 200)
    else:
        expected = (403, 404)
    assert (listing.status_code, single.status_code) == expected
    if expected == (403, 404):  # and indistinguishable from a nonexistent project
        missing = "01ARZ3NDEKTSV4RRFFQ69G5FAV"
        assert (
            listing.content
            == client.get(f"/api/v1/projects/{missing}/accessKeys", headers=header).content
        )
        assert (
            single.content
            == client.get(
                f"/api/v1/projects/{missing}/accessKeys/{targets[target].key_id}", headers=header
            ).content
        )
    if 401 in expected:
        assert listing["WWW-Authenticate"]
        assert listing.json()["error"]["status"] == "UNAUTHENTICATED"


@pytest.mark.parametrize("how", ["basic", "bearer"])
def test_a_revoked_key_fails_on_the_very_next_request(client, project, how):
    key, secret = services.access_key_create(project=project, display_name="soon gone")
    services.access_key_create(project=project, display_name="spare")
    header = {
        "Authorization": basic(key.key_id, secret)
        if how == "basic"
        else f"Bearer {auth.issue_token(key)}"
    }
    url = f"/api/v1/projects/{project.public_id}/accessKeys"
    assert client.get(url, headers=header).status_code == 200
    # Revoked through the API, with itself.
    assert client.delete(f"{url}/{key.key_id}", headers=header).status_code == 200
    assert client.get(url, headers=header).status_code == 401


def test_removing_a_subproject_stops_its_keys_and_hides_it_from_the_parent_key(
    client, project, subproject
):
    parent, parent_secret = services.access_key_create(project=project, display_name="p")
    child, child_secret = services.access_key_create(project=subproject, display_name="c")
    url = f"/api/v1/projects/{subproject.public_id}/accessKeys"
    services.subproject_remove(subproject=subproject)
    child_header = {"Authorization": basic(child.key_id, child_secret)}
    parent_header = {"Authorization": basic(parent.key_id, parent_secret)}
    assert client.get(url, headers=child_header).status_code == 401
    assert client.get(url, headers=parent_header).status_code == 403
