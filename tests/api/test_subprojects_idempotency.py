"""Idempotency-Key on POST /api/v1/projects/{parentProjectId}/subprojects."""

import json
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.db import connection, connections

from projects import services
from projects.api import idempotency
from projects.models import Project
from tests.api.subprojects_client import call, error_of, key_header
from tests.factories import ProjectFactory


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
    name = cache.make_and_validate_key(idempotency.cache_key(project.pk, "kept"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM django_cache WHERE cache_key = %s", [name])
        (expires,) = cursor.fetchone()
    if isinstance(expires, str):
        expires = datetime.fromisoformat(expires)
    if expires.tzinfo is None:  # SQLite
        expires = expires.replace(tzinfo=UTC)
    expected = datetime.now(UTC) + timedelta(hours=24)
    assert abs(expires - expected) < timedelta(minutes=1)


@pytest.mark.parametrize("key", ["", "x" * 256, "naïve", "tab\there"])
def test_malformed_keys_are_invalid_argument(client, project, key):
    response = create(client, project, key_header(project), {"displayName": "A"}, key)
    code, status, message = error_of(response)
    assert (code, status) == (400, "INVALID_ARGUMENT") and "Idempotency-Key" in message
    assert not Project.objects.filter(parent=project).exists()


def test_a_request_still_running_answers_retry_later(client, project, monkeypatch):
    monkeypatch.setattr(idempotency, "WAIT_FOR", 0.2)
    body = {"displayName": "A", "labels": {}}
    fingerprint = idempotency._digest(
        json.dumps([project.public_id, body], sort_keys=True, ensure_ascii=False)
    )
    cache.add(
        idempotency.cache_key(project.pk, "busy"), {"fingerprint": fingerprint, "result": None}
    )
    response = create(client, project, key_header(project), body, "busy")
    assert error_of(response)[:2] == (400, "FAILED_PRECONDITION")
    assert not Project.objects.filter(parent=project).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs concurrent writers: run with DATABASE_URL=postgres://... (CI does)",
)
def test_concurrent_requests_with_one_key_create_one_subproject(monkeypatch):
    from django.test import Client

    from tests.factories import AccountFactory

    project = ProjectFactory(account=AccountFactory())
    auth = key_header(project)
    slow_create = services.subproject_create

    def slowly(**kwargs):
        time.sleep(0.3)  # make sure the others arrive while the first is creating
        return slow_create(**kwargs)

    monkeypatch.setattr(services, "subproject_create", slowly)
    key = str(uuid.uuid4())
    barrier = threading.Barrier(5)
    results = []

    def worker():
        try:
            barrier.wait()
            response = create(Client(), project, auth, {"displayName": "Once"}, key)
            results.append((response.status_code, response.json()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _ in results] == [200] * 5
    assert len({body["subprojectId"] for _, body in results}) == 1
    assert Project.objects.filter(parent=project).count() == 1
