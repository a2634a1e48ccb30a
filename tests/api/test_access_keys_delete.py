from projects import services
from projects.models import AccessKey
from tests.factories import ProjectFactory


def delete(client, project, key_id, header, query=""):
    return client.delete(
        f"/api/v1/projects/{project.public_id}/accessKeys/{key_id}{query}",
        headers={"Authorization": header},
    )


def test_deletes_another_key(client, project, project_key):
    _, header = project_key
    other, _ = services.access_key_create(project=project, display_name="old")
    response = delete(client, project, other.key_id, header)
    assert response.status_code == 200
    assert response.json() == {}
    assert AccessKey.objects.get(pk=other.pk).is_revoked
    assert delete(client, project, other.key_id, header).status_code == 404


def test_parent_key_deletes_a_subprojects_key(client, subproject, project_key, subproject_key):
    _, header = project_key
    sub_key, sub_header = subproject_key
    assert delete(client, subproject, sub_key.key_id, header).status_code == 200
    # The deleted key fails on the very next request.
    url = f"/api/v1/projects/{subproject.public_id}/accessKeys"
    assert client.get(url, headers={"Authorization": sub_header}).status_code == 401


def test_deleting_the_last_key_you_call_with_needs_confirmation(client, project, project_key):
    key, header = project_key
    response = delete(client, project, key.key_id, header)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["status"] == "FAILED_PRECONDITION"
    assert "allowSelfDelete=true" in error["message"]
    assert not AccessKey.objects.get(pk=key.pk).is_revoked
    assert delete(client, project, key.key_id, header, "?allowSelfDelete=true").status_code == 200
    assert AccessKey.objects.get(pk=key.pk).is_revoked


def test_deleting_your_own_key_is_fine_when_another_remains(client, project, project_key):
    key, header = project_key
    services.access_key_create(project=project, display_name="spare")
    assert delete(client, project, key.key_id, header).status_code == 200


def test_out_of_scope_is_404(client, project, subproject, subproject_key, project_key):
    parent_key, _ = project_key
    _, sub_header = subproject_key
    other = ProjectFactory()
    theirs, _ = services.access_key_create(project=other, display_name="theirs")
    assert delete(client, other, theirs.key_id, sub_header).status_code == 404
    # A subproject's key cannot touch its parent's keys.
    assert delete(client, project, parent_key.key_id, sub_header).status_code == 404
    assert not AccessKey.objects.filter(revoked_at__isnull=False).exists()
