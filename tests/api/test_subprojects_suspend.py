"""POST /api/v1/subprojects/{id}:suspend and :resume (parent key only)."""

import pytest
from django.urls import resolve

from audit.models import AuditEvent
from projects import services
from projects.api.bodies import UpdateSubproject
from tests.factories import ProjectFactory
from tests.support.api_client import call, error_of


def suspend(client, sub, auth, body=None, *, raw=None):
    body = {"reason": "Unpaid invoice"} if body is None and raw is None else body
    return call(client, "post", f"/api/v1/subprojects/{sub.public_id}:suspend", auth, body, raw=raw)


def resume(client, sub, auth, body=None, *, raw=None):
    raw = "" if body is None and raw is None else raw  # no body at all
    return call(client, "post", f"/api/v1/subprojects/{sub.public_id}:resume", auth, body, raw=raw)


def test_the_colon_routes_to_the_custom_method_not_the_subproject():
    assert resolve("/api/v1/subprojects/01ARZ3NDEKTSV4RRFFQ69G5FAV:suspend").url_name == (
        "api_subproject_suspend"
    )
    assert resolve("/api/v1/subprojects/01ARZ3NDEKTSV4RRFFQ69G5FAV:resume").url_name == (
        "api_subproject_resume"
    )
    assert resolve("/api/v1/subprojects/01ARZ3NDEKTSV4RRFFQ69G5FAV").url_name == "api_subproject"


def test_suspends_and_resumes_with_the_parent_key(client, subproject, project_key):
    _, auth = project_key
    response = suspend(client, subproject, auth, {"reason": "  Unpaid invoice "})
    assert response.status_code == 200
    body = response.json()
    assert (body["subprojectId"], body["state"], body["suspendReason"]) == (
        subproject.public_id,
        "SUSPENDED",
        "Unpaid invoice",
    )
    subproject.refresh_from_db()
    assert subproject.is_suspended and not subproject.suspended_by_platform
    got = call(client, "get", f"/api/v1/subprojects/{subproject.public_id}", auth).json()
    assert got["state"] == "SUSPENDED" and got["suspendReason"] == "Unpaid invoice"

    response = resume(client, subproject, auth)
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["suspendReason"]) == ("ACTIVE", "")
    subproject.refresh_from_db()
    assert not subproject.is_suspended


def test_each_writes_one_entry_naming_the_key(client, subproject, project_key):
    key, auth = project_key
    suspend(client, subproject, auth)
    suspend(client, subproject, auth)  # the same again: no change, no entry
    resume(client, subproject, auth, {})
    events = list(AuditEvent.objects.filter(project_id=subproject.public_id).order_by("id"))
    assert [e.action for e in events] == ["subproject.suspend", "subproject.resume"]
    for event in events:
        assert (event.actor_type, event.actor_id, event.source) == (
            "access_key",
            key.key_id,
            "api",
        )
        assert event.address == "127.0.0.1"


def test_the_list_shows_the_state(client, project, subproject, project_key):
    _, auth = project_key
    suspend(client, subproject, auth)
    ProjectFactory(parent=project, name="Active one")
    listed = call(client, "get", f"/api/v1/projects/{project.public_id}/subprojects", auth)
    states = {s["displayName"]: s["state"] for s in listed.json()["subprojects"]}
    assert states == {"Taco Time": "SUSPENDED", "Active one": "ACTIVE"}


def test_a_subprojects_own_key_cannot(client, subproject, subproject_key):
    _, auth = subproject_key
    status, word, message = error_of(suspend(client, subproject, auth))
    assert (status, word) == (403, "PERMISSION_DENIED")
    assert "parent project's key" in message
    status, word, _ = error_of(resume(client, subproject, auth))
    assert (status, word) == (403, "PERMISSION_DENIED")
    subproject.refresh_from_db()
    assert not subproject.is_suspended


def test_out_of_scope_or_unknown_is_404(client, project_key, subproject):
    _, auth = project_key
    stranger = ProjectFactory(parent=ProjectFactory())
    for sub in (stranger,):
        assert error_of(suspend(client, sub, auth))[:2] == (404, "NOT_FOUND")
    unknown = call(
        client,
        "post",
        "/api/v1/subprojects/01ARZ3NDEKTSV4RRFFQ69G5FAV:suspend",
        auth,
        {"reason": "x"},
    )
    assert error_of(unknown)[:2] == (404, "NOT_FOUND")
    # The key's own top-level project is not a subproject.
    own = call(
        client,
        "post",
        f"/api/v1/subprojects/{subproject.parent.public_id}:suspend",
        auth,
        {"reason": "x"},
    )
    assert error_of(own)[:2] == (404, "NOT_FOUND")
    stranger.refresh_from_db()
    assert not stranger.is_suspended


@pytest.mark.parametrize(
    ("body", "raw", "expected"),
    [
        ({}, None, "reason: Field required"),
        ({"reason": ""}, None, "reason: Reason cannot be empty."),
        ({"reason": "   "}, None, "reason: Reason cannot be empty."),
        ({"reason": None}, None, "reason: Input should be a valid string"),
        ({"reason": "x" * 256}, None, "reason: Reason can be at most 255 characters"),
        ({"reason": "bad\u202eone"}, None, "reason: Reason cannot contain a bidirectional"),
        ({"reason": "ok", "extra": 1}, None, "extra: unknown field."),
        (None, "not json", "The request body is not valid JSON."),
    ],
)
def test_bad_input_is_400_and_changes_nothing(client, subproject, project_key, body, raw, expected):
    _, auth = project_key
    status, word, message = error_of(suspend(client, subproject, auth, body, raw=raw))
    assert (status, word) == (400, "INVALID_ARGUMENT")
    assert message.startswith(expected), message
    subproject.refresh_from_db()
    assert not subproject.is_suspended
    assert not AuditEvent.objects.filter(action="subproject.suspend").exists()


def test_resume_refuses_a_body_with_fields(client, subproject, project_key):
    _, auth = project_key
    status, word, message = error_of(resume(client, subproject, auth, {"reason": "x"}))
    assert (status, word, message) == (400, "INVALID_ARGUMENT", "reason: unknown field.")


def test_a_platform_suspension_cannot_be_lifted_or_changed_by_a_key(
    client, subproject, project_key
):
    from core.actors import Actor

    services.project_suspend(
        project=subproject, reason="Fraud review", actor=Actor.for_command("suspend_project")
    )
    _, auth = project_key
    status, word, message = error_of(resume(client, subproject, auth))
    assert (status, word) == (403, "PERMISSION_DENIED") and "by the platform" in message
    status, word, _ = error_of(suspend(client, subproject, auth, {"reason": "Mine now"}))
    assert (status, word) == (403, "PERMISSION_DENIED")
    subproject.refresh_from_db()
    assert subproject.suspend_reason == "Fraud review" and subproject.suspended_by_platform


def test_a_removed_subproject_cannot_be_suspended(client, subproject, project_key):
    _, auth = project_key
    services.subproject_remove(subproject=subproject)
    status, word, message = error_of(suspend(client, subproject, auth))
    assert (status, word) == (400, "FAILED_PRECONDITION") and "restore it" in message


def test_get_is_not_allowed(client, subproject, project_key):
    _, auth = project_key
    response = call(client, "get", f"/api/v1/subprojects/{subproject.public_id}:suspend", auth)
    assert response.status_code == 405 and response["Allow"] == "POST"


def test_the_read_only_fields_are_ignored_in_a_patch(client, subproject, project_key):
    _, auth = project_key
    response = call(
        client,
        "patch",
        f"/api/v1/subprojects/{subproject.public_id}",
        auth,
        {"displayName": "Renamed", "state": "SUSPENDED", "suspendReason": "x"},
    )
    assert response.status_code == 200 and response.json()["state"] == "ACTIVE"
    assert {"state", "suspendReason"} <= set(UpdateSubproject.ignored)
