"""Ingest answers 503 UNAVAILABLE with Retry-After, never 500, when its database
connection drops in the middle of the batch (its backend terminated, as a failover or
an administrator does): the hand-written upserts run through Django's cursor wrapper,
whose errors the API's outage handling knows (core.upsert, core.outages)."""

import pytest
from django.db import connection

from tests.support.postgres import terminate
from tests.usage.conftest import record
from usage import storage

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="terminates a PostgreSQL backend"
)


def test_a_dropped_connection_is_a_503(transactional_db, client, monkeypatch, subproject):
    from usage import services

    _, secret = services.platform_token_create(name="gateway")
    real = storage.upsert

    def dropped(*args, **kwargs):
        terminate(connection.connection.info.backend_pid)  # between two statements
        return real(*args, **kwargs)

    monkeypatch.setattr(storage, "upsert", dropped)
    try:
        response = client.post(
            "/api/internal/v1/usage:batchRecord",
            {"records": [record(subproject, 5)]},
            content_type="application/json",
            headers={"Authorization": f"Bearer {secret}"},
        )
    finally:
        connection.close()
    assert response.status_code == 503
    assert response["Retry-After"]
    assert response.json()["error"]["status"] == "UNAVAILABLE"
