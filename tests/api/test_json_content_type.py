"""A JSON body must be sent as Content-Type: application/json: anything else (a form,
no type, text) is 415, naming what was sent; charset and case do not matter."""

import json

import pytest

from tests.support.api_client import error_of, key_header


@pytest.fixture
def auth(project):
    return key_header(project)


def _create(client, project, auth, content_type, body=None):
    body = json.dumps({"displayName": "Customer"}) if body is None else body
    return client.generic(
        "POST",
        f"/api/v1/projects/{project.public_id}/subprojects",
        body,
        content_type=content_type,
        headers={"Authorization": auth},
    )


@pytest.mark.parametrize(
    "content_type",
    ["", "text/plain", "application/x-www-form-urlencoded", "application/jsonx"],
)
def test_a_body_that_is_not_said_to_be_json_is_415(client, project, auth, content_type):
    response = _create(client, project, auth, content_type)
    code, status, message = error_of(response)
    assert (code, status) == (415, "INVALID_ARGUMENT")
    assert "Content-Type: application/json" in message
    assert not project.subprojects.exists()


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/json; charset=utf-8", "Application/JSON"]
)
def test_json_in_any_spelling_is_taken(client, project, auth, content_type):
    assert _create(client, project, auth, content_type).status_code == 200


def test_a_form_on_every_json_body_route_is_415(client, project, subproject, auth):
    for method, url in [
        ("patch", f"/api/v1/subprojects/{subproject.public_id}"),
        ("post", f"/api/v1/subprojects/{subproject.public_id}:suspend"),
        ("post", f"/api/v1/projects/{project.public_id}/accessKeys"),
        ("put", f"/api/v1/subprojects/{subproject.public_id}/spendLimit"),
    ]:
        response = getattr(client, method)(
            url,
            "displayName=x",
            content_type="application/x-www-form-urlencoded",
            headers={"Authorization": auth},
        )
        assert error_of(response)[:2] == (415, "INVALID_ARGUMENT"), url


def test_restore_and_resume_take_no_body_at_all(client, project, subproject, auth):
    for verb in ("resume", "restore"):
        response = client.generic(  # no body, no Content-Type
            "POST",
            f"/api/v1/subprojects/{subproject.public_id}:{verb}",
            headers={"Authorization": auth},
        )
        assert response.status_code == 200, verb


def test_every_operation_with_a_json_body_documents_415():
    from api.openapi import METHODS, document

    for template, item in document()["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation and "application/json" in operation.get("requestBody", {}).get(
                "content", {}
            ):
                assert "415" in operation["responses"], f"{method} {template}"


def test_no_body_at_all_is_not_a_json_object(client, project, auth):
    response = client.generic(
        "POST", f"/api/v1/projects/{project.public_id}/subprojects", headers={"Authorization": auth}
    )
    assert error_of(response)[:2] == (400, "INVALID_ARGUMENT")
