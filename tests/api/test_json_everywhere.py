"""Every answer under /api/ and /oauth2/ is JSON, also when Django answers before or
around the API's code (a foreign Host header, a NUL character, an unknown /oauth2/
path, a method the token endpoint does not take), and a database or cache outage is a
503 UNAVAILABLE with Retry-After, never a 500. (The server's own 414/431:
tests/servers/test_gunicorn_errors.py.)"""

import pytest
from django.db import OperationalError

from tests.support.api_client import call, error_of, key_header


@pytest.fixture
def auth(project):
    return key_header(project)


@pytest.mark.parametrize("path", ["/api/v1/projects/x/subprojects", "/api/openapi.json", "/api"])
def test_a_foreign_host_is_a_json_400(client, db, path):
    response = client.get(path, HTTP_HOST="evil.example")
    code, status, message = error_of(response)
    assert (code, status) == (400, "INVALID_ARGUMENT")
    assert message == "This server does not answer for the host name in this request."
    assert response["X-Request-ID"]


def test_a_foreign_host_on_the_token_endpoint_is_an_oauth_error(client, db):
    response = client.post("/oauth2/token", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response.json() == {
        "error": "invalid_request",
        "error_description": "This server does not answer for the host name in this request.",
    }


def test_an_unknown_oauth2_path_is_json(client, db):
    response = client.get("/oauth2/authorize")
    assert response.status_code == 404 and response.json()["error"] == "invalid_request"


def test_get_on_the_token_endpoint_is_json_and_says_what_is_allowed(client, db):
    response = client.get("/oauth2/token")
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert response.json()["error"] == "invalid_request"


def test_the_api_without_its_slash_redirects_to_a_json_answer(client, db):
    response = client.get("/api")
    assert (response.status_code, response["Location"], response.content) == (301, "/api/", b"")
    assert error_of(client.get("/api/"))[:2] == (404, "NOT_FOUND")


def test_a_database_outage_in_an_api_call_is_a_503(client, project, auth, monkeypatch):
    from projects.api import subprojects

    def unreachable(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(subprojects.services, "subproject_create", unreachable)
    url = f"/api/v1/projects/{project.public_id}/subprojects"
    response = call(client, "post", url, auth, {"displayName": "x"})
    assert error_of(response)[:2] == (503, "UNAVAILABLE")
    assert response["Retry-After"] == "5"


def test_a_cache_outage_in_an_api_call_is_a_503(client, project, auth, monkeypatch):
    redis = pytest.importorskip("redis")
    from projects.api import subprojects

    def unreachable(*args, **kwargs):
        raise redis.exceptions.ConnectionError("Connection refused")

    monkeypatch.setattr(subprojects, "keyset_page", unreachable)
    url = f"/api/v1/projects/{project.public_id}/subprojects"
    response = call(client, "get", url, auth)
    assert error_of(response)[:2] == (503, "UNAVAILABLE") and response["Retry-After"] == "5"


@pytest.fixture
def middleware_raises(client, db, monkeypatch):
    """middleware_raises(exception): a middleware raises it, before any view runs (as a
    session lookup would, the database being down)."""
    from accounts import middleware

    def arrange(exception):
        def fail(*args, **kwargs):
            raise exception

        monkeypatch.setattr(middleware.timezone, "deactivate", fail)
        client.raise_request_exception = False
        return client

    return arrange


def test_an_outage_outside_the_views_is_a_503_too(middleware_raises):
    client = middleware_raises(OperationalError("the database system is shutting down"))
    response = client.get("/api/v1/projects/x/subprojects")
    assert error_of(response)[:2] == (503, "UNAVAILABLE") and response["Retry-After"] == "5"
    page = client.get("/accounts/login/")
    assert page.status_code == 503 and page["Retry-After"] == "5"
    assert "Temporarily unavailable" in page.content.decode()
    assert page["X-Request-ID"] in page.content.decode()


def test_a_bug_is_still_a_500_in_the_contracts_words(middleware_raises):
    client = middleware_raises(RuntimeError("bug"))
    response = client.get("/api/v1/projects/x/subprojects")
    assert error_of(response)[:2] == (500, "INTERNAL_ERROR")
