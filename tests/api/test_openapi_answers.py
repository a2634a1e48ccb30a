"""/api/openapi.json says what the server answers: every status every route can give,
with its error body and headers, the token endpoint under the document's one server,
ingest faults typed, and no description contradicting what the server does."""

import pytest

from api.openapi import METHODS, document
from tests.support.api_client import call, error_of, key_header

SUBPROJECT = "/v1/subprojects/{subprojectId}"


def _operations():
    for template, item in document()["paths"].items():
        for method in METHODS:
            if method in item:
                yield template, method, item[method]


def _resolve(response: dict) -> dict:
    if "$ref" in response:
        return document()["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    return response


def test_every_operation_documents_what_every_route_can_answer():
    for template, method, operation in _operations():
        responses = operation["responses"]
        where = f"{method.upper()} {template}"
        assert {"400", "401", "405", "500", "503"} <= set(responses), where
        for status in ("400", "401", "405", "500", "503"):
            assert "application/json" in _resolve(responses[status])["content"], (where, status)
        assert _resolve(responses["405"])["headers"]["Allow"]
        for status in ("500", "503"):
            assert "Retry-After" in _resolve(responses[status])["headers"], (where, status)
        if "security" not in operation:  # customers' keys: a suspended project's key
            assert "403" in responses, where


@pytest.mark.django_db
def test_a_method_the_path_does_not_answer_is_the_documented_405(client, subproject, project):
    url = f"/api/v1/subprojects/{subproject.public_id}"
    response = call(client, "put", url, key_header(project), {"displayName": "x"})
    assert error_of(response)[:2] == (405, "METHOD_NOT_ALLOWED")
    assert response["Allow"] == "GET, PATCH, DELETE"
    assert "405" in document()["paths"][SUBPROJECT]["get"]["responses"]


def test_a_bug_answers_retry_after_as_documented(client, db, monkeypatch):
    from accounts import middleware

    def fail(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(middleware.timezone, "deactivate", fail)
    client.raise_request_exception = False
    response = client.get("/api/v1/projects/x/subprojects")
    assert error_of(response)[:2] == (500, "INTERNAL_ERROR")
    assert response["Retry-After"] == "5"


def test_the_ingest_fault_list_is_typed():
    doc = document()
    operation = doc["paths"]["/internal/v1/usage:batchRecord"]["post"]
    schema = operation["responses"]["400"]["content"]["application/json"]["schema"]
    error = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    details = error["properties"]["error"]["properties"]["details"]
    assert details["items"] == {"$ref": "#/components/schemas/RecordFault"}


def test_the_access_key_delete_says_what_allow_self_delete_does():
    doc = document()
    delete = doc["paths"]["/v1/projects/{projectId}/accessKeys/{accessKeyId}"]["delete"]
    assert "possible to delete the last" not in delete["description"]
    assert "allowSelfDelete=true" in delete["description"]
    assert "FAILED_PRECONDITION" in delete["description"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/oauth2/token", "/oauth2/token"])
def test_the_token_endpoint_answers_under_the_documents_server_and_at_the_root(
    client, project_key, path
):
    _key, header = project_key
    response = client.post(
        path, {"grant_type": "client_credentials"}, headers={"Authorization": header}
    )
    assert response.status_code == 200 and response.json()["token_type"] == "bearer"
    refused = client.get(path)  # in OAuth's shape, as documented, at both
    assert refused.status_code == 405 and refused["Allow"] == "POST"
    assert refused.json()["error"] == "invalid_request"
    assert "/oauth2/token" in document()["paths"]
