"""Idempotency-Key on POST /api/v1/projects/{parentProjectId}/subprojects."""

import time
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from core import idempotency as idempotency_records
from core.models import IdempotencyRecord
from projects import services
from projects.models import Project
from tests.factories import ProjectFactory
from tests.support.api_client import call, error_of, key_header
from tests.support.concurrency import at_once


def url(parent):
    return f"/api/v1/projects/{parent.public_id}/subprojects"


def create(client, parent, auth, body, key):
    return call(client, "post", url(parent), auth, body, headers={"Idempotency-Key": key})


def test_a_retry_returns_the_same_subproject(client, project):
    auth = key_header(project)
    body = {"displayName": "Taco Time", "labels": {"a": "b"}}
    first = create(client, project, auth, body, "order-42")
    # Same body in another key order: the same request.
    again = create(
        client, project, auth, {"labels": {"a": "b"}, "displayName": "Taco Time"}, "order-42"
    )
    assert first.status_code == again.status_code == 200
    assert first.json()["subprojectId"] == again.json()["subprojectId"]
    assert Project.objects.filter(parent=project).count() == 1
    assert (
        create(client, project, auth, body, "order-43").json()["subprojectId"]
        != (first.json()["subprojectId"])
    )


def test_the_same_key_with_another_body_is_refused(client, project):
    auth = key_header(project)
    create(client, project, auth, {"displayName": "Taco Time"}, "k1")
    response = create(client, project, auth, {"displayName": "Burrito Barn"}, "k1")
    code, status, message = error_of(response)
    assert (code, status) == (400, "INVALID_ARGUMENT") and "Idempotency-Key" in message
    assert Project.objects.filter(parent=project).count() == 1


def test_keys_are_per_caller_project(client, project):
    other = ProjectFactory()
    mine = create(client, project, key_header(project), {"displayName": "A"}, "shared")
    theirs = create(client, other, key_header(other), {"displayName": "A"}, "shared")
    assert mine.status_code == theirs.status_code == 200
    assert theirs.json()["parentProjectId"] == other.public_id


def test_a_refused_request_does_not_use_up_the_key(client, project):
    auth = key_header(project)
    assert create(client, project, auth, {"displayName": " "}, "k").status_code == 400
    response = create(client, project, auth, {"displayName": "Fixed"}, "k")
    assert response.status_code == 200 and response.json()["displayName"] == "Fixed"


def test_records_are_kept_24_hours(client, project):
    create(client, project, key_header(project), {"displayName": "A"}, "kept")
    record = IdempotencyRecord.objects.get(key="kept")
    assert record.result == Project.objects.get(parent=project).public_id
    expected = timezone.now() + timedelta(hours=24)
    assert abs(record.expires_at - expected) < timedelta(minutes=1)


def test_an_expired_record_no_longer_replays(client, project):
    auth = key_header(project)
    first = create(client, project, auth, {"displayName": "A"}, "old")
    IdempotencyRecord.objects.filter(key="old").update(expires_at=timezone.now())
    again = create(client, project, auth, {"displayName": "A"}, "old")
    assert first.json()["subprojectId"] != again.json()["subprojectId"]
    assert idempotency_records.purge_expired(timezone.now() + timedelta(days=2)) == 1


def test_a_server_error_does_not_use_up_the_key(client, project, monkeypatch):
    auth = key_header(project)

    def broken(**kwargs):
        raise RuntimeError("boom")

    real = services.subproject_create
    monkeypatch.setattr(services, "subproject_create", broken)
    client.raise_request_exception = False
    assert create(client, project, auth, {"displayName": "A"}, "k").status_code == 500
    monkeypatch.setattr(services, "subproject_create", real)
    response = create(client, project, auth, {"displayName": "A"}, "k")
    assert response.status_code == 200
    assert Project.objects.filter(parent=project).count() == 1


@pytest.mark.parametrize("key", ["", "x" * 256, "naïve", "tab\there"])
def test_malformed_keys_are_invalid_argument(client, project, key):
    response = create(client, project, key_header(project), {"displayName": "A"}, key)
    code, status, message = error_of(response)
    assert (code, status) == (400, "INVALID_ARGUMENT") and "Idempotency-Key" in message
    assert not Project.objects.filter(parent=project).exists()


POSTGRESQL_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs concurrent writers: run with DATABASE_URL=postgres://... (CI does)",
)


def _concurrently(count, request):
    """Run `request()` in `count` threads at once; their (status, body, seconds)."""

    def timed():
        started = time.monotonic()
        response = request()
        return response.status_code, response.json(), time.monotonic() - started

    return at_once([timed] * count)


@pytest.mark.django_db(transaction=True)
@POSTGRESQL_ONLY
def test_concurrent_requests_with_one_key_create_one_subproject(monkeypatch):
    from django.test import Client

    from tests.factories import AccountFactory

    project = ProjectFactory(account=AccountFactory())
    auth = key_header(project)
    slow_create = services.subproject_create

    def slowly(**kwargs):
        time.sleep(1.0)  # make sure the others arrive while the first is creating
        return slow_create(**kwargs)

    monkeypatch.setattr(services, "subproject_create", slowly)
    key = str(uuid.uuid4())
    results = _concurrently(
        5, lambda: create(Client(), project, auth, {"displayName": "Once"}, key)
    )
    assert Project.objects.filter(parent=project).count() == 1
    created = [(s, body) for s, body, _ in results if s == 200]
    waiting = [(s, body, t) for s, body, t in results if s != 200]
    assert len(created) == 1
    # The others are told at once that the first is still at work (no polling).
    assert len(waiting) == 4
    for status, body, seconds in waiting:
        assert (status, body["error"]["status"]) == (400, "FAILED_PRECONDITION")
        assert "in progress" in body["error"]["message"] and seconds < 0.8
    # Once it is done, a retry answers the same subproject.
    again = create(Client(), project, auth, {"displayName": "Once"}, key)
    assert again.json()["subprojectId"] == created[0][1]["subprojectId"]
