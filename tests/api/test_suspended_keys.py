"""While a project is suspended, its keys and their bearer tokens are refused on the next
request with 403 PERMISSION_DENIED (never 401: the credentials are fine); a suspended
parent suspends its subprojects' keys too; resuming restores them at once."""

import pytest

from core.actors import Actor, Kind, Source
from core.failures import FailureLimit
from projects import services
from projects.api import auth
from tests.support.api_client import call, error_of


def asp(project_key) -> Actor:
    """An ASP suspending its customer with the parent's key (not the platform: SYSTEM,
    the default actor, is)."""
    return Actor(Kind.ACCESS_KEY, project_key[0].key_id, Source.API)


def get_sub(client, sub, authorization):
    return call(client, "get", f"/api/v1/subprojects/{sub.public_id}", authorization)


def bearer(client, authorization) -> str:
    response = client.post(
        "/oauth2/token",
        {"grant_type": "client_credentials"},
        headers={"Authorization": authorization},
    )
    assert response.status_code == 200, response.content
    return "Bearer " + response.json()["access_token"]


def test_a_suspended_subprojects_key_and_token_are_refused_then_work_again(
    client, subproject, subproject_key, project_key
):
    _, basic = subproject_key
    token = bearer(client, basic)
    assert get_sub(client, subproject, basic).status_code == 200
    services.project_suspend(project=subproject, reason="Unpaid invoice", actor=asp(project_key))
    for authorization in (basic, token):
        response = get_sub(client, subproject, authorization)
        status, word, message = error_of(response)
        assert (status, word) == (403, "PERMISSION_DENIED")
        assert f"The project {subproject.public_id} is suspended" in message
        assert "Unpaid invoice" in message and "by the platform" not in message
        assert "WWW-Authenticate" not in response
    services.project_resume(project=subproject, actor=asp(project_key))
    assert get_sub(client, subproject, basic).status_code == 200
    assert get_sub(client, subproject, token).status_code == 200


def test_a_suspended_parent_suspends_its_subprojects_keys_in_effect(
    client, project, subproject, project_key, subproject_key
):
    services.project_suspend(
        project=project, reason="Abuse", actor=Actor.for_command("suspend_project")
    )
    subproject.refresh_from_db()
    assert not subproject.is_suspended  # its own state is unchanged
    status, word, message = error_of(get_sub(client, subproject, subproject_key[1]))
    assert (status, word) == (403, "PERMISSION_DENIED")
    assert f"The parent project {project.public_id} is suspended by the platform" in message
    status, word, message = error_of(get_sub(client, subproject, project_key[1]))
    assert (status, word) == (403, "PERMISSION_DENIED") and "by the platform" in message
    services.project_resume(project=project, actor=Actor.for_command("resume_project"))
    assert get_sub(client, subproject, subproject_key[1]).status_code == 200


def test_the_parents_key_still_reaches_a_suspended_subproject(
    client, project, subproject, project_key, subproject_key
):
    """The parent's key is how an ASP resumes its customer."""
    services.project_suspend(project=subproject, reason="Unpaid")
    response = get_sub(client, subproject, project_key[1])
    assert response.status_code == 200 and response.json()["state"] == "SUSPENDED"
    sibling = services.subproject_create(parent=project, name="Sibling")
    assert get_sub(client, sibling, project_key[1]).status_code == 200


def test_refusals_are_not_counted_as_failed_authentications(client, subproject, subproject_key):
    services.project_suspend(project=subproject, reason="Unpaid")
    for _ in range(3):
        get_sub(client, subproject, subproject_key[1])
    assert FailureLimit("api-auth-address", 50, 300).count("127.0.0.1") == 0


def test_the_token_endpoint_refuses_a_suspended_projects_key(client, subproject, subproject_key):
    services.project_suspend(project=subproject, reason="Unpaid")
    response = client.post(
        "/oauth2/token",
        {"grant_type": "client_credentials"},
        headers={"Authorization": subproject_key[1]},
    )
    assert response.status_code == 400
    assert response.json()["error"] == "unauthorized_client"
    assert "is suspended" in response.json()["error_description"]


def test_the_lookup_stays_one_query(django_assert_num_queries, project, subproject, admin_user):
    admin = Actor(Kind.USER, str(admin_user.pk), Source.DASHBOARD, user=admin_user)
    services.project_suspend(project=project, reason="Unpaid", actor=admin)
    key, _ = services.access_key_create(project=subproject, display_name="k")
    auth._active_key(key.key_id)  # sets last_used_at
    with django_assert_num_queries(1):
        found = auth._active_key(key.key_id)
    assert found.suspension.of_parent and found.suspension.public_id == project.public_id
    assert found.suspension.reason == "Unpaid" and not found.suspension.by_platform


@pytest.mark.parametrize("suspended", ["own", "parent", "none"])
def test_the_lookup_reads_the_suspension(project, subproject, suspended):
    target = {"own": subproject, "parent": project, "none": None}[suspended]
    if target is not None:
        services.project_suspend(project=target, reason="Why")
    key, _ = services.access_key_create(project=subproject, display_name="k")
    found = auth._active_key(key.key_id)
    if target is None:
        assert found.suspension is None
    else:
        assert (found.suspension.public_id, found.suspension.of_parent) == (
            target.public_id,
            suspended == "parent",
        )
