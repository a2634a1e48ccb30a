"""POST /api/v1/subprojects/{id}:restore (parent key only, within the restore window,
idempotent, audited), and unknown custom methods answered as such, not as IDs."""

from datetime import timedelta

import pytest
from django.urls import resolve
from django.utils import timezone

from audit.models import AuditEvent
from projects import services
from projects.models import Project
from tests.factories import ProjectFactory
from tests.support.api_client import basic, call, error_of, key_header


def restore(client, sub_id, auth, body=None):
    raw = "" if body is None else None
    return call(client, "post", f"/api/v1/subprojects/{sub_id}:restore", auth, body, raw=raw)


def test_the_colon_routes_to_restore_not_the_subproject():
    url = "/api/v1/subprojects/01ARZ3NDEKTSV4RRFFQ69G5FAV:restore"
    assert resolve(url).url_name == "api_subproject_restore"


def test_a_deleted_subproject_comes_back_with_its_keys(client, project, subproject):
    auth = key_header(project)
    sub_key, sub_secret = services.access_key_create(project=subproject, display_name="c")
    customer = basic(sub_key.key_id, sub_secret)
    own = f"/api/v1/subprojects/{subproject.public_id}"
    assert call(client, "delete", own, auth).status_code == 200
    assert call(client, "get", own, customer).status_code == 401  # keys stop at once

    response = restore(client, subproject.public_id, auth)
    assert response.status_code == 200, response.content
    assert response.json()["deleted"] is False
    assert response.json()["subprojectId"] == subproject.public_id
    assert call(client, "get", own, customer).status_code == 200  # and work again
    listed = call(client, "get", f"/api/v1/projects/{project.public_id}/subprojects", auth)
    assert subproject.public_id in [s["subprojectId"] for s in listed.json()["subprojects"]]
    project.refresh_from_db()
    assert project.subproject_count == 1


def test_restoring_twice_or_an_alive_one_is_fine_and_audited_once(client, project, subproject):
    auth = key_header(project)
    services.subproject_remove(subproject=subproject)
    assert restore(client, subproject.public_id, auth, {}).status_code == 200
    assert restore(client, subproject.public_id, auth).status_code == 200
    events = AuditEvent.objects.filter(project_id=subproject.public_id, action="subproject.restore")
    assert [(e.actor_type, e.source) for e in events] == [("access_key", "api")]
    project.refresh_from_db()
    assert project.subproject_count == 1


def test_past_the_window_is_failed_precondition(client, project, subproject, settings):
    auth = key_header(project)
    services.subproject_remove(subproject=subproject)
    long_ago = timezone.now() - timedelta(days=settings.SUBPROJECT_RESTORE_DAYS, seconds=1)
    Project.objects.filter(pk=subproject.pk).update(removed_at=long_ago)
    code, status, message = error_of(restore(client, subproject.public_id, auth))
    assert (code, status) == (400, "FAILED_PRECONDITION")
    assert "can no longer be restored" in message
    assert Project.objects.get(pk=subproject.pk).removed_at == long_ago


def test_purged_unknown_and_out_of_scope_are_404(client, project, subproject):
    auth = key_header(project)
    services.subproject_remove(subproject=subproject)
    purged_id = subproject.public_id
    Project.objects.filter(pk=subproject.pk).update(removed_at=timezone.now() - timedelta(days=400))
    services.purge_removed_subprojects()
    stranger = ProjectFactory(parent=ProjectFactory())
    for sub_id in (purged_id, "01ARZ3NDEKTSV4RRFFQ69G5FAV", stranger.public_id, "nope"):
        assert error_of(restore(client, sub_id, auth))[:2] == (404, "NOT_FOUND"), sub_id


def test_a_subprojects_own_key_cannot(client, project, subproject):
    own = key_header(subproject)
    code, status, _ = error_of(restore(client, subproject.public_id, own))
    assert (code, status) == (403, "PERMISSION_DENIED")


def test_a_body_other_than_empty_is_refused(client, project, subproject):
    auth = key_header(project)
    response = restore(client, subproject.public_id, auth, {"force": True})
    assert error_of(response)[:2] == (400, "INVALID_ARGUMENT")


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_other_methods_are_405(client, project, subproject, method):
    response = call(client, method, f"/api/v1/subprojects/{subproject.public_id}:restore", "")
    assert response.status_code == 405 and response["Allow"] == "POST"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/subprojects/01ARZ3NDEKTSV4RRFFQ69G5FAV:undelete",
        "/api/v1alpha1/subprojects/01ARZ3NDEKTSV4RRFFQ69G5FAV:restore",
        "/api/v1/subprojects/01ARZ3NDEKTSV4RRFFQ69G5FAV:",
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unknown_custom_method_is_a_404_naming_the_verb(client, db, path, method):
    response = getattr(client, method)(path)
    code, status, message = error_of(response)
    assert (code, status) == (404, "NOT_FOUND")
    assert "custom method" in message and "01ARZ3NDEKTSV4RRFFQ69G5FAV" not in message


def test_a_read_only_key_may_not_restore(client, project, subproject):
    """Restoring is a write on subprojects: a `subprojects:read` key is refused naming the
    permission it lacks, and the subproject stays removed."""
    own = f"/api/v1/subprojects/{subproject.public_id}"
    assert call(client, "delete", own, key_header(project)).status_code == 200
    key, secret = services.access_key_create(
        project=project, display_name="reader", permissions=["subprojects:read"]
    )
    response = restore(client, subproject.public_id, basic(key.key_id, secret))
    code, status, message = error_of(response)
    assert (code, status) == (403, "PERMISSION_DENIED")
    assert "subprojects:write" in message
    assert Project.objects.get(pk=subproject.pk).removed_at is not None
