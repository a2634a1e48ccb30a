import pytest

from projects import services
from tests.support.api_client import basic


@pytest.fixture
def credentials(project):
    key, secret = services.access_key_create(project=project, display_name="auto")
    return key.key_id, secret


def test_token_with_basic_credentials(client, credentials):
    response = client.post(
        "/oauth2/token",
        {"grant_type": "client_credentials"},
        headers={"Authorization": basic(*credentials)},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3599
    assert body["access_token"]
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_token_with_form_credentials(client, credentials):
    key_id, secret = credentials
    response = client.post(
        "/oauth2/token",
        {"grant_type": "client_credentials", "client_id": key_id, "client_secret": secret},
    )
    assert response.status_code == 200


def test_wrong_grant_type(client, credentials):
    response = client.post(
        "/oauth2/token", {"grant_type": "password"}, headers={"Authorization": basic(*credentials)}
    )
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


def test_bad_credentials(client, credentials):
    key_id, _ = credentials
    response = client.post(
        "/oauth2/token",
        {"grant_type": "client_credentials"},
        headers={"Authorization": basic(key_id, "csk_nope")},
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_missing_credentials(client, db):
    response = client.post("/oauth2/token", {"grant_type": "client_credentials"})
    assert response.status_code == 401
    assert response["WWW-Authenticate"]


def test_get_is_not_allowed(client, db):
    assert client.get("/oauth2/token").status_code == 405


def test_unknown_api_path_is_json_404(client, db):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"]["status"] == "NOT_FOUND"


def test_valid_credentials_get_a_token_from_a_blocked_address(client, credentials):
    from core.credentials import new_secret
    from projects.api import auth

    key_id, _ = credentials
    wrong = basic(key_id, new_secret())  # of our shape, so counted
    for _ in range(auth.FAILURE_LIMIT + 1):
        client.post(
            "/oauth2/token", {"grant_type": "client_credentials"}, headers={"Authorization": wrong}
        )
    blocked = client.post(
        "/oauth2/token", {"grant_type": "client_credentials"}, headers={"Authorization": wrong}
    )
    assert blocked.status_code == 401 and blocked["Retry-After"]
    response = client.post(
        "/oauth2/token",
        {"grant_type": "client_credentials"},
        headers={"Authorization": basic(*credentials)},
    )
    assert response.status_code == 200


def post_token(client, data, credentials=None):
    headers = {"Authorization": basic(*credentials)} if credentials else {}
    return client.post("/oauth2/token", data, headers=headers)


def test_a_missing_grant_type_is_invalid_request(client, credentials):
    response = post_token(client, {}, credentials)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
    assert "grant_type" in response.json()["error_description"]


def test_a_repeated_parameter_is_invalid_request(client, credentials):
    body = "grant_type=client_credentials&grant_type=client_credentials"
    response = client.post(
        "/oauth2/token",
        body,
        content_type="application/x-www-form-urlencoded",
        headers={"Authorization": basic(*credentials)},
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
    assert "grant_type is repeated" in response.json()["error_description"]


def test_credentials_in_both_basic_and_the_body_are_refused(client, credentials):
    key_id, secret = credentials
    body = {"grant_type": "client_credentials", "client_id": key_id, "client_secret": secret}
    response = post_token(client, body, credentials)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_answers_are_not_cached(client, credentials):
    for response in (
        post_token(client, {"grant_type": "client_credentials"}, credentials),
        post_token(client, {"grant_type": "password"}, credentials),
    ):
        assert "no-store" in response["Cache-Control"]
        assert response["Pragma"] == "no-cache"
