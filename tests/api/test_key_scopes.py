"""Scoped access keys (projects.scopes): a key may do everything (the default, answered
exactly as the contracts say) or only what its permissions allow; a request outside them
answers 403 PERMISSION_DENIED naming the permission; a key never creates a broader key;
checking the scope costs no query."""

import pytest

from audit.models import AuditEvent
from projects import scopes, services
from projects.models import AccessKey
from tests.factories import ProjectFactory
from tests.support.api_client import basic, call, error_of


def scoped_header(project, *permissions, name="scoped"):
    key, secret = services.access_key_create(
        project=project, display_name=name, permissions=list(permissions)
    )
    return basic(key.key_id, secret)


def refused_for(response, permission):
    status, word, message = error_of(response)
    assert (status, word) == (403, "PERMISSION_DENIED")
    assert permission in message
    return message


def test_a_read_only_key_lists_but_may_not_create_rename_or_delete(client, project, subproject):
    auth = scoped_header(project, "subprojects:read")
    listed = call(client, "get", f"/api/v1/projects/{project.public_id}/subprojects", auth)
    assert listed.status_code == 200
    assert [s["subprojectId"] for s in listed.json()["subprojects"]] == [subproject.public_id]
    assert (
        call(client, "get", f"/api/v1/subprojects/{subproject.public_id}", auth).status_code == 200
    )

    created = call(
        client,
        "post",
        f"/api/v1/projects/{project.public_id}/subprojects",
        auth,
        {"displayName": "New"},
    )
    refused_for(created, "subprojects:write")
    renamed = call(
        client, "patch", f"/api/v1/subprojects/{subproject.public_id}", auth, {"displayName": "X"}
    )
    refused_for(renamed, "subprojects:write")
    deleted = call(client, "delete", f"/api/v1/subprojects/{subproject.public_id}", auth)
    refused_for(deleted, "subprojects:write")
    suspended = call(
        client, "post", f"/api/v1/subprojects/{subproject.public_id}:suspend", auth, {"reason": "x"}
    )
    refused_for(suspended, "subprojects:write")
    subproject.refresh_from_db()
    assert subproject.name == "Taco Time" and subproject.removed_at is None
    assert subproject.suspended_at is None


def test_a_subprojects_only_key_gets_403_on_usage_and_statements(client, project, subproject):
    auth = scoped_header(project, "subprojects:write")
    usage = call(client, "get", f"/api/v1/projects/{project.public_id}/usage", auth)
    refused_for(usage, "usage:read")
    statements = call(client, "get", f"/api/v1/projects/{project.public_id}/statements", auth)
    refused_for(statements, "billing:read")
    own_bill = call(client, "get", f"/api/v1/subprojects/{subproject.public_id}/statements", auth)
    refused_for(own_bill, "billing:read")
    limit = call(client, "get", f"/api/v1/subprojects/{subproject.public_id}/spendLimit", auth)
    refused_for(limit, "billing:read")
    events = call(client, "get", f"/api/v1/projects/{project.public_id}/auditEvents", auth)
    refused_for(events, "auditEvents:read")
    keys = call(client, "get", f"/api/v1/projects/{project.public_id}/accessKeys", auth)
    refused_for(keys, "accessKeys:read")
    # write includes read, and it may write its own resource.
    created = call(
        client,
        "post",
        f"/api/v1/projects/{project.public_id}/subprojects",
        auth,
        {"displayName": "New"},
    )
    assert created.status_code == 200


def test_a_usage_key_reads_usage(client, project):
    auth = scoped_header(project, "usage:read")
    assert call(client, "get", f"/api/v1/projects/{project.public_id}/usage", auth).status_code in (
        200,
        400,  # needs its period: the scope let it through either way
    )
    response = call(client, "get", f"/api/v1/projects/{project.public_id}/usage", auth)
    assert response.json().get("error", {}).get("status") != "PERMISSION_DENIED"


def test_create_a_scoped_key_through_the_api_and_it_shows_its_permissions(client, project):
    full_key, secret = services.access_key_create(project=project, display_name="full")
    auth = basic(full_key.key_id, secret)
    url = f"/api/v1/projects/{project.public_id}/accessKeys"
    response = call(
        client,
        "post",
        url,
        auth,
        {"displayName": "reader", "permissions": ["usage:read", "subprojects:write"]},
    )
    assert response.status_code == 200, response.content
    created = response.json()["accessKey"]
    assert created["permissions"] == ["subprojects:write", "usage:read"]
    assert AccessKey.objects.get(key_id=created["accessKeyId"]).scope == (
        "subprojects:write usage:read"
    )
    entry = AuditEvent.objects.get(action="access_key.create", target_id=created["accessKeyId"])
    assert entry.changes["scope"]["after"] == "subprojects:write usage:read"
    # A key that may do everything is answered as the contract says: no addition.
    listed = call(client, "get", url, auth).json()["accessKeys"]
    by_name = {k["displayName"]: k for k in listed}
    assert "permissions" not in by_name["full"]
    assert by_name["reader"]["permissions"] == ["subprojects:write", "usage:read"]


@pytest.mark.parametrize(
    "wanted",
    [None, ["accessKeys:write", "subprojects:read"], ["billing:read", "accessKeys:write"]],
)
def test_a_key_never_creates_a_broader_key(client, project, wanted):
    auth = scoped_header(project, "accessKeys:write")
    body = {"displayName": "broader"}
    if wanted is not None:
        body["permissions"] = wanted
    response = call(client, "post", f"/api/v1/projects/{project.public_id}/accessKeys", auth, body)
    message = refused_for(response, "broader than itself")
    assert "subprojects:read" in message or "billing:read" in message
    assert not AccessKey.objects.filter(display_name="broader").exists()


def test_a_key_may_create_a_key_within_its_scope(client, project):
    auth = scoped_header(project, "accessKeys:write", "usage:read")
    body = {"displayName": "narrower", "permissions": ["usage:read", "accessKeys:read"]}
    response = call(client, "post", f"/api/v1/projects/{project.public_id}/accessKeys", auth, body)
    assert response.status_code == 200
    assert response.json()["accessKey"]["permissions"] == ["accessKeys:read", "usage:read"]


@pytest.mark.parametrize(
    "permissions", [["subprojects:admin"], ["everything"], [], "usage:read", [1]]
)
def test_bad_permissions_are_refused_naming_the_field(client, project, permissions):
    auth = scoped_header(project, "accessKeys:write", name="creator")
    body = {"displayName": "bad", "permissions": permissions}
    response = call(client, "post", f"/api/v1/projects/{project.public_id}/accessKeys", auth, body)
    status, word, message = error_of(response)
    assert (status, word) == (400, "INVALID_ARGUMENT")
    assert "permissions" in message


def test_a_rotated_key_keeps_its_scope(project):
    key, _ = services.access_key_create(
        project=project, display_name="reader", permissions=["usage:read"]
    )
    new, _ = services.access_key_rotate(key=key)
    assert new.scope == "usage:read"


def test_a_bearer_token_has_its_keys_scope(client, project):
    key, secret = services.access_key_create(
        project=project, display_name="reader", permissions=["subprojects:read"]
    )
    token = client.post(
        "/oauth2/token",
        {"grant_type": "client_credentials"},
        headers={"Authorization": basic(key.key_id, secret)},
    ).json()["access_token"]
    bearer = f"Bearer {token}"
    url = f"/api/v1/projects/{project.public_id}/subprojects"
    assert call(client, "get", url, bearer).status_code == 200
    refused_for(call(client, "post", url, bearer, {"displayName": "x"}), "subprojects:write")


def test_checking_the_scope_costs_no_query(client, project, django_assert_num_queries):
    ProjectFactory(parent=project)
    full = scoped_header(project, *scopes.PERMISSIONS, name="all-permissions")
    key, secret = services.access_key_create(project=project, display_name="everything")
    everything = basic(key.key_id, secret)
    url = f"/api/v1/projects/{project.public_id}/subprojects"
    for auth in (full, everything):
        call(client, "get", url, auth)  # records the key's last use
        with django_assert_num_queries(2):  # the key with its project, one page
            assert call(client, "get", url, auth).status_code == 200
    refused = scoped_header(project, "usage:read", name="refused")
    call(client, "get", url, refused)
    with django_assert_num_queries(1):  # the key only: refused before any other query
        assert call(client, "get", url, refused).status_code == 403


def test_the_scope_rules():
    assert scopes.allows("", "webhooks:write")
    assert scopes.allows("usage:write", "usage:read")
    assert not scopes.allows("usage:read", "usage:write")
    assert scopes.clean(["usage:read", "usage:write", "billing:read"]) == "usage:write billing:read"
    assert scopes.missing("", "usage:read") == []
    assert scopes.missing("usage:write", "usage:read") == []
    assert "subprojects:read" in scopes.missing("usage:write", "")
    assert scopes.describe("subprojects:read usage:write") == "Subprojects: read · Usage: write"
