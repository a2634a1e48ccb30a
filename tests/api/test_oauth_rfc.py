"""OAuth2 as RFC 6749 and RFC 6750 say, where clients rely on it: the client's ID may be
repeated in the body with HTTP Basic (6749 section 3.2.1); a refused bearer token is
challenged with error="invalid_token" (6750 section 3.1); tokens are b64token (6750
section 2.1), the ":" tokens made before still taken until they expire; `scope` is left
out of the answer, and asking for one is invalid_scope (6749 section 5.2)."""

import re
from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone

from projects import services
from projects.api import auth
from tests.support.api_client import basic

B64TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]+=*")
TOKEN_URLS = ["/api/oauth2/token", "/oauth2/token"]


@pytest.fixture
def credentials(project):
    key, secret = services.access_key_create(project=project, display_name="auto")
    return key, secret


def _token(client, url, data, key_id, secret):
    return client.post(url, data, headers={"Authorization": basic(key_id, secret)})


def _list(client, project, authorization):
    return client.get(
        f"/api/v1/projects/{project.public_id}/subprojects",
        headers={"Authorization": authorization},
    )


@pytest.mark.parametrize("url", TOKEN_URLS)
def test_basic_with_the_client_id_in_the_body_gets_a_token(client, credentials, url):
    key, secret = credentials
    body = {"grant_type": "client_credentials", "client_id": key.key_id}
    response = _token(client, url, body, key.key_id, secret)
    assert response.status_code == 200, response.content
    assert response.json()["token_type"] == "bearer"


def test_basic_with_another_client_id_in_the_body_is_invalid_request(client, credentials):
    key, secret = credentials
    other, _ = services.access_key_create(project=key.project, display_name="other")
    body = {"grant_type": "client_credentials", "client_id": other.key_id}
    response = _token(client, "/api/oauth2/token", body, key.key_id, secret)
    assert response.status_code == 400 and response.json()["error"] == "invalid_request"


def test_basic_with_the_secret_in_the_body_too_is_still_refused(client, credentials):
    key, secret = credentials
    body = {"grant_type": "client_credentials", "client_id": key.key_id, "client_secret": secret}
    response = _token(client, "/api/oauth2/token", body, key.key_id, secret)
    assert response.status_code == 400 and response.json()["error"] == "invalid_request"


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        "eyJrIjoiYWJjIn0.1xa7uW.forged",
        signing.dumps({"k": "x"}, salt=auth.TOKEN_SALT, key="not ours"),
    ],
)
def test_a_bad_bearer_token_is_challenged_with_invalid_token(client, project, token):
    response = _list(client, project, f"Bearer {token}")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith('Bearer error="invalid_token"')


def test_a_revoked_keys_token_is_challenged_with_invalid_token(client, project, credentials):
    key, _ = credentials
    token = auth.issue_token(key)
    services.access_key_revoke(key=key)
    response = _list(client, project, f"Bearer {token}")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith('Bearer error="invalid_token"')


def test_no_credentials_are_challenged_without_an_error_code(client, project):
    response = client.get(f"/api/v1/projects/{project.public_id}/subprojects")
    assert response.status_code == 401
    assert "error=" not in response["WWW-Authenticate"]
    assert "Bearer" in response["WWW-Authenticate"] and "Basic" in response["WWW-Authenticate"]


def test_a_bad_platform_token_is_challenged_with_invalid_token(client, db):
    response = client.post(
        "/api/internal/v1/usage:batchRecord",
        "{}",
        content_type="application/json",
        headers={"Authorization": "Bearer cpt_nope"},
    )
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith('Bearer error="invalid_token"')


def test_tokens_are_b64token_and_work(client, project, credentials):
    key, secret = credentials
    for _ in range(20):  # the payload, time and signature vary
        body = {"grant_type": "client_credentials"}
        token = _token(client, "/api/oauth2/token", body, key.key_id, secret).json()
        assert B64TOKEN.fullmatch(token["access_token"]), token["access_token"]
    assert _list(client, project, f"Bearer {token['access_token']}").status_code == 200


def test_tokens_made_before_with_colons_work_until_they_expire(client, project, credentials):
    key, _ = credentials
    old = signing.dumps({"k": key.key_id}, salt=auth.TOKEN_SALT, compress=False)
    assert ":" in old
    assert _list(client, project, f"Bearer {old}").status_code == 200
    later = timezone.now() + timedelta(seconds=auth.TOKEN_LIFETIME + 1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(signing.time, "time", lambda: later.timestamp())
        assert _list(client, project, f"Bearer {old}").status_code == 401
        assert _list(client, project, f"Bearer {auth.issue_token(key)}").status_code == 200


def test_the_answer_names_no_scope(client, credentials):
    key, secret = credentials
    body = {"grant_type": "client_credentials", "scope": ""}
    response = _token(client, "/api/oauth2/token", body, key.key_id, secret)
    assert response.status_code == 200 and "scope" not in response.json()


@pytest.mark.parametrize("scope", ["subprojects", "subprojects:read", "read write", "*"])
def test_asking_for_a_scope_is_invalid_scope(client, credentials, scope):
    key, secret = credentials
    body = {"grant_type": "client_credentials", "scope": scope}
    response = _token(client, "/api/oauth2/token", body, key.key_id, secret)
    assert response.status_code == 400 and response.json()["error"] == "invalid_scope"
