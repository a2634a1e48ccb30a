"""Credentials refused by their shape (a Key ID that is not a UUID, a secret without
`csk_`, of the wrong length or with a bad checksum, a token whose signature fails, a
platform token of the wrong shape) cost 0 queries in the whole request: a flood of
garbage is no flood of writes. Only attempts that could have succeeded are counted."""

import pytest
from django.core.signing import dumps

from core import credentials
from core.models import FailureCount
from projects import services
from projects.api import auth
from tests.support.api_client import basic

KEY_ID = "2f9213f3-47c6-46f9-b7ca-eef62c259c42"
GOOD_SECRET = credentials.new_secret()
SUBPROJECT = "01ARZ3NDEKTSV4RRFFQ69G5FAV"


def bad_checksum(secret):
    last = "A" if secret[-1] != "A" else "B"
    return secret[:-1] + last


MALFORMED = {
    "bad checksum": basic(KEY_ID, bad_checksum(GOOD_SECRET)),
    "short secret": basic(KEY_ID, GOOD_SECRET[:-1]),
    "long secret": basic(KEY_ID, GOOD_SECRET + "x"),
    "no csk_ prefix": basic(KEY_ID, "xsk_" + GOOD_SECRET[4:]),
    "Key ID not a UUID": basic("not-a-key-id", GOOD_SECRET),
    "Key ID in capitals": basic(KEY_ID.upper(), GOOD_SECRET),
    "not base64": "Basic !!!",
    "no colon": "Basic " + "bm9jb2xvbg==",
    "forged token": "Bearer forged.token",
    "token of another salt": "Bearer " + dumps({"k": KEY_ID}, salt="another salt"),
}


@pytest.mark.parametrize("header", MALFORMED.values(), ids=MALFORMED.keys())
def test_the_api_refuses_them_without_a_query(client, db, header, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(
            f"/api/v1/subprojects/{SUBPROJECT}", headers={"Authorization": header}
        )
    assert response.status_code == 401
    assert response.json()["error"]["status"] == "UNAUTHENTICATED"


@pytest.mark.parametrize(
    ("key_id", "secret"),
    [
        (KEY_ID, bad_checksum(GOOD_SECRET)),
        ("not-a-key-id", GOOD_SECRET),
        (KEY_ID, "csk_short"),
    ],
)
def test_the_token_endpoint_refuses_them_without_a_query(
    client, db, key_id, secret, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.post(
            "/oauth2/token",
            {"grant_type": "client_credentials"},
            headers={"Authorization": basic(key_id, secret)},
        )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


@pytest.mark.parametrize("token", ["cpt_short", "x" * 42, GOOD_SECRET])
def test_the_internal_api_refuses_them_without_a_query(
    client, db, token, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get(
            f"/api/internal/v1/projects/{SUBPROJECT}/limits",
            headers={"Authorization": f"Bearer {token}"},
        )
    assert response.status_code == 401


def test_only_credentials_that_could_succeed_are_counted(client, project):
    key, _ = services.access_key_create(project=project, display_name="k")
    for header in MALFORMED.values():
        client.get(f"/api/v1/subprojects/{SUBPROJECT}", headers={"Authorization": header})
    assert not FailureCount.objects.exists()
    wrong = basic(key.key_id, credentials.new_secret())  # well formed: it could have been
    assert client.get("/api/v1/subprojects/x", headers={"Authorization": wrong}).status_code == 401
    revoked_token = "Bearer " + auth.issue_token(key)
    services.access_key_revoke(key=key)
    client.get("/api/v1/subprojects/x", headers={"Authorization": revoked_token})
    assert sum(FailureCount.objects.values_list("count", flat=True)) == 2
