import json

from core import credentials
from projects.models import AccessKey
from tests.factories import ProjectFactory
from tests.support.api_client import basic


def post(client, project, header, body):
    return client.post(
        f"/api/v1/projects/{project.public_id}/accessKeys",
        json.dumps(body) if not isinstance(body, str) else body,
        content_type="application/json",
        headers={"Authorization": header},
    )


def test_creates_a_key_and_returns_its_secret_once(client, project, project_key):
    _, header = project_key
    response = post(client, project, header, {"displayName": "My production Access Key"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"accessKey", "secret"}
    assert body["accessKey"]["displayName"] == "My production Access Key"
    assert body["accessKey"]["projectId"] == project.public_id
    assert credentials.is_well_formed(body["secret"])
    key = AccessKey.objects.get(key_id=body["accessKey"]["accessKeyId"])
    assert key.project == project and body["secret"] not in key.secret_hash
    # The new credentials work at once.
    new = basic(key.key_id, body["secret"])
    listed = client.get(
        f"/api/v1/projects/{project.public_id}/accessKeys", headers={"Authorization": new}
    )
    assert listed.status_code == 200


def test_parent_key_creates_a_subprojects_key(client, subproject, project_key):
    _, header = project_key
    response = post(client, subproject, header, {"displayName": "customer"})
    assert response.status_code == 200
    assert response.json()["accessKey"]["projectId"] == subproject.public_id


def test_subproject_key_cannot_create_on_the_parent(client, project, subproject_key):
    _, header = subproject_key
    response = post(client, project, header, {"displayName": "escalate"})
    assert response.status_code == 403
    assert response.json()["error"]["status"] == "PERMISSION_DENIED"
    assert not AccessKey.objects.filter(display_name="escalate").exists()


def test_out_of_scope_project_is_403(client, project_key):
    _, header = project_key
    response = post(client, ProjectFactory(), header, {"displayName": "x"})
    assert response.status_code == 403


def test_duplicate_name_is_409(client, project, project_key):
    _, header = project_key
    response = post(client, project, header, {"displayName": " automation "})
    assert response.status_code == 409
    assert response.json()["error"]["status"] == "ALREADY_EXISTS"


def test_limit_of_ten_is_400_failed_precondition(client, project, project_key):
    _, header = project_key
    for i in range(9):
        assert post(client, project, header, {"displayName": f"k{i}"}).status_code == 200
    response = post(client, project, header, {"displayName": "eleventh"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["status"] == "FAILED_PRECONDITION"
    assert "10" in error["message"]
    assert AccessKey.objects.filter(project=project).count() == 10


def test_bad_bodies_are_400_naming_the_field(client, project, project_key):
    _, header = project_key
    cases = [
        ({}, "displayName"),
        ({"displayName": 5}, "displayName"),
        ({"displayName": "  "}, "displayName"),
        ({"displayName": "x" * 256}, "displayName"),
        ({"displayName": "a\u202eb"}, "displayName"),
        ({"displayName": "ok", "secret": "mine"}, "secret"),
        ("[1]", "object"),
        ("{nope", "JSON"),
    ]
    for body, word in cases:
        response = post(client, project, header, body)
        assert response.status_code == 400, body
        error = response.json()["error"]
        assert error["status"] == "INVALID_ARGUMENT"
        assert word in error["message"], (body, error["message"])
    assert AccessKey.objects.count() == 1
