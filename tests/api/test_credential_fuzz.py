"""10,000 random and malformed credentials: no acceptance, no server error.

A seeded loop rather than hypothesis: the point is volume across many shapes, and a
fixed seed makes any failure reproducible. Each address makes fewer attempts than the
rate limit, so every request reaches the credential check itself.
"""

import base64
import random
import string

from django.core.signing import dumps
from django.test import Client

from core import credentials as key_credentials
from projects import services
from projects.api import auth
from tests.support.api_client import basic

ATTEMPTS = 10_000
PRINTABLE = string.printable + "éü€😀\u202e\x00"


def _text(rng, max_len=80):
    return "".join(rng.choice(PRINTABLE) for _ in range(rng.randint(0, max_len)))


def _mutate(rng, value):
    i = rng.randrange(len(value))
    choices = [c for c in string.ascii_letters + string.digits if c != value[i]]
    return value[:i] + rng.choice(choices) + value[i + 1 :]


def credentials(rng, key, secret, revoked, revoked_secret):
    token = auth.issue_token(key)
    makers = [
        lambda: "Basic " + base64.b64encode(rng.randbytes(rng.randint(0, 120))).decode(),
        lambda: basic(key.key_id, key_credentials.new_secret()),  # well formed, wrong
        lambda: basic(key.key_id, _mutate(rng, secret)),  # one character off
        lambda: basic(key_credentials.new_key_id(), secret),  # right secret, wrong Key ID
        lambda: basic(_mutate(rng, key.key_id), secret),
        lambda: basic(revoked.key_id, revoked_secret),  # revoked
        lambda: basic(_text(rng), _text(rng)),
        lambda: basic(key.key_id, secret[:-1]),  # truncated
        lambda: basic(key.key_id, secret + "x"),
        lambda: basic(key.key_id, ""),
        lambda: "Basic " + _text(rng),
        lambda: rng.choice(["Basic", "Bearer", "", " ", "Token x", "Digest a=b"]),
        lambda: "Bearer " + _text(rng, 200),
        lambda: "Bearer " + _mutate(rng, token),  # tampered token
        lambda: "Bearer " + token[:-1],
        lambda: "Bearer " + dumps({"k": key.key_id}, salt="another salt"),
        lambda: "Bearer " + dumps({"k": key.key_id}),  # right key, no salt
        lambda: "Bearer " + auth.issue_token(revoked),
        lambda: "Bearer " + dumps({"k": _text(rng)}, salt=auth.TOKEN_SALT, key="not ours"),
        lambda: "Bearer " + secret,  # a Key Secret is not a token
        lambda: (
            rng.choice(["basic ", "BASIC ", "Basic  "])
            + base64.b64encode(f"{key.key_id}:{_mutate(rng, secret)}".encode()).decode()
        ),
    ]
    return lambda: rng.choice(makers)()


def test_random_and_malformed_credentials_are_all_refused(project):
    key, secret = services.access_key_create(project=project, display_name="real")
    revoked, revoked_secret = services.access_key_create(project=project, display_name="old")
    services.access_key_revoke(key=revoked)
    rng = random.Random(20261127)
    make = credentials(rng, key, secret, revoked, revoked_secret)
    client = Client()
    url = f"/api/v1/projects/{project.public_id}/accessKeys"
    statuses: dict[int, int] = {}
    for i in range(ATTEMPTS):
        address = f"10.{i // 40 // 256 % 256}.{i // 40 % 256}.1"
        response = client.get(url, headers={"Authorization": make()}, REMOTE_ADDR=address)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    assert statuses == {401: ATTEMPTS}, statuses
    # The real credentials still work afterwards.
    assert client.get(url, headers={"Authorization": basic(key.key_id, secret)}).status_code == 200


def test_token_endpoint_gives_no_token_for_bad_credentials(project):
    key, secret = services.access_key_create(project=project, display_name="real")
    rng = random.Random(7)
    client = Client()
    for i in range(500):
        client_id = rng.choice([key.key_id, _text(rng, 40)])
        client_secret = rng.choice([_mutate(rng, secret), _text(rng), key_credentials.new_secret()])
        response = client.post(
            "/oauth2/token",
            {
                "grant_type": "client_credentials",
                "client_id": client_id,
                "client_secret": client_secret,
            },
            REMOTE_ADDR=f"10.1.{i // 40}.1",
        )
        assert response.status_code in (400, 401)
        assert "access_token" not in response.json()
