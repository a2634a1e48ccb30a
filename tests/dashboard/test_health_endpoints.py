"""/healthz (liveness) and /readyz (readiness): unauthenticated, cheap."""

import pytest
from django.db import OperationalError, connections

from dashboard import views


def test_healthz_needs_no_sign_in(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"


def test_healthz_never_touches_the_database(client, db, django_assert_num_queries, monkeypatch):
    """Liveness must not fail with the database: every server would be restarted."""
    with django_assert_num_queries(0):
        assert client.get("/healthz").status_code == 200

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    wrapper = connections["default"]  # the object itself, not the thread-local proxy
    with monkeypatch.context() as patched:
        patched.setattr(wrapper, "ensure_connection", refuse)
        assert client.get("/healthz").status_code == 200
        assert client.get("/readyz").status_code == 503


def test_readyz_when_everything_answers(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "ready": True,
        "checks": {"database": "ok", "migrations": "ok", "cache": "ok"},
    }


def test_readyz_is_cheap_once_migrations_were_seen_applied(client, db, django_assert_num_queries):
    client.get("/readyz")
    with django_assert_num_queries(2):  # SELECT 1, and the database cache's get
        client.get("/readyz")


def test_readyz_is_not_ready_without_the_database(client, db, monkeypatch):
    def unreachable():
        return "unreachable"

    monkeypatch.setattr(views, "_database_check", unreachable)
    response = client.get("/readyz")
    assert response.status_code == 503 and response["Retry-After"]
    assert response.json()["checks"]["database"] == "unreachable"
    assert response.json()["checks"]["migrations"] == "unknown"


def test_the_database_check_reports_an_outage(db, monkeypatch):
    class Broken:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(views, "connection", Broken())
    assert views._database_check() == "unreachable"


def test_readyz_is_not_ready_with_migrations_pending(client, db, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(views, "_migrations_applied", False)
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [1, 2])
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "2 pending"


def test_an_unreachable_cache_is_reported_but_still_ready(client, db, settings):
    """Nothing needs the cache to answer correctly (docs/operations.md: Degraded modes)."""
    pytest.importorskip("redis")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing listens
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["cache"] == "unreachable"


def test_probes_are_not_redirected_to_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/readyz").status_code == 200
    assert client.get("/healthz").status_code == 200
