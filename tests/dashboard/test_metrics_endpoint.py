"""/metrics: Prometheus metrics (django-prometheus and ours), closed unless the
settings open it to some networks or a token."""

import pytest

from tests.factories import UserFactory
from tests.support.api_client import call


def test_closed_by_default(client, db):
    assert client.get("/metrics").status_code == 404


def test_open_to_the_networks_named(client, db, settings):
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.1").status_code == 404
    response = client.get("/metrics", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "django_http_requests_latency_seconds_by_view_method" in response.content.decode()


def test_open_with_the_token(client, db, settings):
    settings.METRICS_TOKEN = "scrape-me-0123456789"
    bearer = {"Authorization": "Bearer scrape-me-0123456789"}
    assert client.get("/metrics", headers=bearer).status_code == 200
    wrong = {"Authorization": "Bearer scrape-me"}
    assert client.get("/metrics", headers=wrong).status_code == 404


def value(client, name: str) -> float:
    for line in client.get("/metrics").content.decode().splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


@pytest.fixture
def scraper(client, settings):
    settings.METRICS_ALLOWED_NETWORKS = ["127.0.0.1"]
    return client


def test_requests_are_counted_by_view(scraper, db):
    name = (
        "django_http_requests_total_by_view_transport_method_total"
        '{method="GET",transport="http",view="healthz"}'
    )
    before = value(scraper, name)
    scraper.get("/healthz")
    assert value(scraper, name) == before + 1


def test_auth_failures_are_counted(scraper, project):
    api = 'console_auth_failures_total{interface="api"}'
    sign_in = 'console_auth_failures_total{interface="sign_in"}'
    before_api, before_sign_in = value(scraper, api), value(scraper, sign_in)
    call(scraper, "get", f"/api/v1/projects/{project.public_id}/subprojects", "Basic eDp5")
    UserFactory(email="ann@example.com")
    scraper.post("/accounts/login/", {"username": "ann@example.com", "password": "wrong"})
    assert value(scraper, api) == before_api + 1
    assert value(scraper, sign_in) == before_sign_in + 1


def test_database_errors_are_counted(scraper, db):
    from django.db import DatabaseError, connection, transaction

    errors = "django_db_errors_total"
    before = sum(
        float(line.rsplit(" ", 1)[1])
        for line in scraper.get("/metrics").content.decode().splitlines()
        if line.startswith(errors + "{")
    )
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table")
    after = sum(
        float(line.rsplit(" ", 1)[1])
        for line in scraper.get("/metrics").content.decode().splitlines()
        if line.startswith(errors + "{")
    )
    assert after == before + 1
