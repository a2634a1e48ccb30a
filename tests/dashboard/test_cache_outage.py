"""A cache outage, for real: a redis-server of the test's own (never the shared one) is
the cache, and is killed (SIGKILL) in the middle of the run.

Nothing needs the cache to answer correctly: idempotency records and failure counters
live in the database, in the creating transaction. So during the outage idempotent
creates and their retries make exactly one subproject each, and never answer 500;
wrong API credentials are 401; sign-in, its throttling and password change work. Code
that does need the cache answers 503 with Retry-After (in the API's JSON shape under
/api/), never 500. Before the fix, records and counters were in the cache: a killed
Redis turned a committed create into a 500 and its retry into a duplicate.
"""

import threading

import pytest
from django.test import Client

from accounts import forms
from projects.models import Project
from tests.factories import PASSWORD, UserFactory
from tests.servers.support import PrivateRedis
from tests.support.api_client import basic, call, error_of, key_header

KEYS = 20


@pytest.fixture
def redis_cache(settings):
    pytest.importorskip("redis")
    redis = PrivateRedis()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    yield redis
    redis.stop()


def create(client, project, auth, key):
    url = f"/api/v1/projects/{project.public_id}/subprojects"
    body = {"displayName": f"Customer {key}"}
    return call(client, "post", url, auth, body, headers={"Idempotency-Key": key})


def test_idempotent_creates_while_redis_dies(redis_cache, project, client):
    """Each key is sent, then retried; Redis is killed after the fifth key."""
    auth = key_header(project)
    client.raise_request_exception = False
    statuses, ids = [], {}
    for i in range(KEYS):
        if i == 5:
            redis_cache.stop()
        key = f"order-{i}"
        for _attempt in range(2):
            response = create(client, project, auth, key)
            statuses.append(response.status_code)
            ids.setdefault(key, set()).add(response.json().get("subprojectId"))
    assert set(statuses) == {200}
    assert all(len(found) == 1 for found in ids.values())
    assert Project.objects.filter(parent=project).count() == KEYS


def test_a_kill_during_a_create_neither_fails_nor_duplicates(redis_cache, project, monkeypatch):
    """Redis dies while the first request is inside its creating transaction."""
    from projects import services

    auth = key_header(project)
    real = services.subproject_create
    killed = threading.Event()

    def create_then_lose_redis(**kwargs):
        created = real(**kwargs)
        redis_cache.stop()
        killed.set()
        return created

    monkeypatch.setattr(services, "subproject_create", create_then_lose_redis)
    client = Client(raise_request_exception=False)
    first = create(client, project, auth, "mid-kill")
    assert killed.is_set() and first.status_code == 200
    monkeypatch.setattr(services, "subproject_create", real)
    retry = create(client, project, auth, "mid-kill")
    assert retry.status_code == 200
    assert retry.json()["subprojectId"] == first.json()["subprojectId"]
    assert Project.objects.filter(parent=project).count() == 1


def test_wrong_api_credentials_are_401_during_the_outage(redis_cache, client, project):
    redis_cache.stop()
    url = f"/api/v1/projects/{project.public_id}/subprojects"
    wrong = basic("00000000-0000-4000-8000-000000000000", "csk_" + "a" * 38)
    code, status, _ = error_of(call(client, "get", url, wrong))
    assert (code, status) == (401, "UNAUTHENTICATED")
    assert call(client, "get", url, key_header(project)).status_code == 200


def test_sign_in_and_its_limit_work_during_the_outage(redis_cache, client, db):
    redis_cache.stop()
    UserFactory(email="ann@example.com")
    for _ in range(forms.EMAIL_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "ann@example.com", "password": "x"})
    refused = client.post("/accounts/login/", {"username": "ann@example.com", "password": PASSWORD})
    assert "Too many failed sign-ins for this email" in refused.content.decode()
    UserFactory(email="bob@example.com")
    ok = client.post("/accounts/login/", {"username": "bob@example.com", "password": PASSWORD})
    assert ok.status_code == 302
    new = "a much newer passphrase"
    changed = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert changed.status_code == 302


def test_the_dashboard_works_during_the_outage(redis_cache, client_for, member, project):
    redis_cache.stop()
    client = client_for(member)
    assert client.get(f"/projects/{project.public_id}/subprojects/").status_code == 200
    assert client.get("/readyz").json() == {
        "ready": True,
        "checks": {"database": "ok", "migrations": "ok", "cache": "unreachable"},
    }


@pytest.mark.urls("tests.support.urls_cache_probe")
def test_what_needs_the_cache_is_a_503_never_a_500(redis_cache, db):
    client = Client(raise_request_exception=False)
    assert client.get("/api/v1/cache-probe").json() == {"value": None}
    redis_cache.stop()
    response = client.get("/api/v1/cache-probe")
    assert error_of(response)[:2] == (503, "UNAVAILABLE") and response["Retry-After"] == "5"
    page = client.get("/cache-probe")
    assert page.status_code == 503 and page["Retry-After"] == "5"
    assert "Temporarily unavailable" in page.content.decode()
