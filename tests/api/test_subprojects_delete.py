"""DELETE /api/v1/subprojects/{subprojectId}: the product's removal (restorable 30 days)."""

from projects import services
from projects.models import Project
from tests.factories import ProjectFactory
from tests.support.api_client import call, error_of, key_header


def url(project):
    return f"/api/v1/subprojects/{project.public_id}"


def test_parent_key_deletes_and_the_subprojects_keys_stop_at_once(client, project, subproject):
    parent_auth = key_header(project)
    own = key_header(subproject)
    assert call(client, "get", url(subproject), own).status_code == 200
    response = call(client, "delete", url(subproject), parent_auth)
    assert response.status_code == 200 and response.json() == {}
    assert error_of(call(client, "get", url(subproject), own))[:2] == (401, "UNAUTHENTICATED")
    assert call(client, "get", url(subproject), parent_auth).json()["deleted"] is True
    # Soft removal: the row stays, and it can be restored.
    services.subproject_restore(subproject=Project.objects.get(pk=subproject.pk))
    assert call(client, "get", url(subproject), own).json()["deleted"] is False


def test_deleting_twice_is_fine(client, project, subproject):
    auth = key_header(project)
    assert call(client, "delete", url(subproject), auth).status_code == 200
    assert call(client, "delete", url(subproject), auth).status_code == 200


def test_a_subproject_key_cannot_delete_its_own_subproject(client, subproject):
    response = call(client, "delete", url(subproject), key_header(subproject))
    code, status, message = error_of(response)
    assert (code, status) == (403, "PERMISSION_DENIED") and "parent project's key" in message
    subproject.refresh_from_db()
    assert subproject.removed_at is None


def test_siblings_parents_and_strangers_are_404(client, project, subproject):
    sibling = ProjectFactory(parent=project)
    stranger = ProjectFactory(parent=ProjectFactory())
    sub_auth = key_header(subproject)
    for auth, target in (
        (sub_auth, sibling),
        (sub_auth, project),
        (key_header(project), stranger),
        (key_header(project, "second"), project),  # a top-level project is no subproject
    ):
        assert error_of(call(client, "delete", url(target), auth))[:2] == (404, "NOT_FOUND")
    assert not Project.objects.removed().exists()
