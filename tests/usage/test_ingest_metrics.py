"""/metrics: usage records accepted, duplicated and rejected (by the field at fault),
the newest hour per metric, and platform-token failures apart from access keys'."""

import json

import pytest

from tests.usage.conftest import TEST_HOUR, record

URL = "/api/internal/v1/usage:batchRecord"


@pytest.fixture
def scraper(client, settings):
    settings.METRICS_ALLOWED_NETWORKS = ["127.0.0.1"]
    return client


def value(client, name: str) -> float:
    for line in client.get("/metrics").content.decode().splitlines():
        if line.startswith(name + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def post(client, auth, body):
    return client.post(
        URL, json.dumps(body), content_type="application/json", headers={"Authorization": auth}
    )


ACCEPTED = 'console_usage_records_total{outcome="accepted",reason=""}'
DUPLICATE = 'console_usage_records_total{outcome="duplicate",reason=""}'
REJECTED_QUANTITY = 'console_usage_records_total{outcome="rejected",reason="quantity"}'
REJECTED_BATCH = 'console_usage_records_total{outcome="rejected",reason="batch"}'


@pytest.fixture
def send(scraper, django_capture_on_commit_callbacks):
    """POST a batch; counts are added after commit, so commit callbacks run at its end."""

    def sent(auth, body):
        with django_capture_on_commit_callbacks(execute=True):
            return post(scraper, auth, body)

    return sent


def test_accepted_duplicate_and_rejected_are_counted(scraper, platform_token, project, send):
    _, auth = platform_token
    before = {
        n: value(scraper, n) for n in (ACCEPTED, DUPLICATE, REJECTED_QUANTITY, REJECTED_BATCH)
    }
    batch = {"records": [record(project, 4), record(project, 5)]}
    assert send(auth, batch).status_code == 200
    assert send(auth, batch).status_code == 200  # a retry: two duplicates
    bad = {"records": [record(project, -1, record_id="bad-1"), record(project, 6)]}
    assert send(auth, bad).status_code == 400
    assert value(scraper, ACCEPTED) - before[ACCEPTED] == 2
    assert value(scraper, DUPLICATE) - before[DUPLICATE] == 2
    assert value(scraper, REJECTED_QUANTITY) - before[REJECTED_QUANTITY] == 1
    assert value(scraper, REJECTED_BATCH) - before[REJECTED_BATCH] == 1


def test_the_newest_hour_per_metric(scraper, platform_token, project, send):
    _, auth = platform_token
    batch = {"records": [record(project, 1, metric="sms.inbound")]}
    assert send(auth, batch).status_code == 200
    name = 'console_usage_newest_record_hour_seconds{metric="sms.inbound"}'
    assert value(scraper, name) == TEST_HOUR.timestamp()


def test_platform_token_failures_have_their_own_label(scraper, db):
    platform = 'console_auth_failures_total{interface="platform"}'
    keys = 'console_auth_failures_total{interface="api"}'
    before = (value(scraper, platform), value(scraper, keys))
    assert post(scraper, "Bearer cpt_wrong", {"records": []}).status_code == 401
    assert (value(scraper, platform), value(scraper, keys)) == (before[0] + 1, before[1])
