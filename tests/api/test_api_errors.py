"""Whatever goes wrong under /api, the answer is the contract's JSON error shape."""

import pytest

from projects.models import Project
from tests.support.api_client import call, error_of, key_header


@pytest.fixture
def auth(project):
    return key_header(project)


def test_an_unsupported_method_is_a_json_405(client, project, auth):
    response = call(client, "put", f"/api/v1/projects/{project.public_id}/subprojects", auth)
    assert error_of(response)[:2] == (405, "METHOD_NOT_ALLOWED")
    assert response["Allow"] == "GET, POST"


def test_openapi_document_refuses_post_in_json(client, db):
    response = client.post("/api/openapi.json")
    assert response.status_code == 405
    assert response.json()["error"]["status"] == "METHOD_NOT_ALLOWED"


def test_too_many_query_fields_is_a_json_400(client, project, auth, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    query = "&".join(f"a{i}=1" for i in range(20))
    url = f"/api/v1/projects/{project.public_id}/subprojects?{query}"
    response = call(client, "get", url, auth)
    assert error_of(response)[:2] == (400, "INVALID_ARGUMENT")


def test_an_unexpected_error_is_a_json_500_and_logged(client, project, auth, monkeypatch, caplog):
    from projects.api import subprojects

    def boom(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(subprojects.services, "subproject_create", boom)
    client.raise_request_exception = False
    url = f"/api/v1/projects/{project.public_id}/subprojects"
    response = call(client, "post", url, auth, {"displayName": "x"})
    assert error_of(response)[:2] == (500, "INTERNAL_ERROR")
    assert "Internal Server Error" in caplog.text


@pytest.mark.parametrize("size", ["0", "1001", " 5", "1_0", "٣", "9" * 5000, "-1", "abc"])
def test_page_size_must_be_plain_digits_in_range(client, project, auth, size):
    url = f"/api/v1/projects/{project.public_id}/subprojects?pageSize={size}"
    assert error_of(call(client, "get", url, auth))[:2] == (400, "INVALID_ARGUMENT")


def test_an_empty_name_gets_one_message(client, project, auth):
    url = f"/api/v1/projects/{project.public_id}/subprojects"
    response = call(client, "post", url, auth, {"displayName": ""})
    assert error_of(response)[2] == "displayName: Name cannot be empty."
    assert not Project.objects.filter(parent=project).exists()
