import json

from projects import services
from projects.models import AccessKey
from tests.factories import ProjectFactory


def patch(client, project, key_id, header, body):
    return client.patch(
        f"/api/v1/projects/{project.public_id}/accessKeys/{key_id}",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": header},
    )


def test_renames(client, project, project_key):
    key, header = project_key
    response = patch(client, project, key.key_id, header, {"displayName": "My staging Access Key"})
    assert response.status_code == 200
    assert response.json()["displayName"] == "My staging Access Key"
    assert AccessKey.objects.get(pk=key.pk).display_name == "My staging Access Key"


def test_duplicate_name_is_409(client, project, project_key):
    key, header = project_key
    services.access_key_create(project=project, display_name="taken")
    response = patch(client, project, key.key_id, header, {"displayName": "taken"})
    assert response.status_code == 409
    assert AccessKey.objects.get(pk=key.pk).display_name == "automation"


def test_bad_input_is_400_and_nothing_changes(client, project, project_key):
    key, header = project_key
    for body in ({"displayName": ""}, {"displayName": None}, {"name": "x"}, {}):
        response = patch(client, project, key.key_id, header, body)
        assert response.status_code == 400, body
        assert response.json()["error"]["status"] == "INVALID_ARGUMENT"
    assert AccessKey.objects.get(pk=key.pk).display_name == "automation"


def test_out_of_scope_is_404(client, project_key):
    _, header = project_key
    other = ProjectFactory()
    theirs, _ = services.access_key_create(project=other, display_name="theirs")
    response = patch(client, other, theirs.key_id, header, {"displayName": "mine now"})
    assert response.status_code == 404
    assert AccessKey.objects.get(pk=theirs.pk).display_name == "theirs"
