"""GET /api/v1/projects/{projectId}/events: the family's events in sequence, 35 days,
filters by type and time, keyset pages; a subproject's key sees its subproject's."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from events.models import Event
from projects import services
from tests.factories import ProjectFactory
from tests.support.api_client import call, error_of, key_header


@pytest.fixture(autouse=True)
def _fresh_rate_limits(db):
    cache.clear()


def url(project, query=""):
    return f"/api/v1/projects/{project.public_id}/events{query}"


@pytest.fixture
def three(project):
    sub = services.subproject_create(parent=project, name="A")
    services.project_suspend(project=sub, reason="Unpaid")
    other = services.subproject_create(parent=project, name="B")
    return sub, other


def test_the_family_in_sequence(client, project, three):
    sub, other = three
    body = call(client, "GET", url(project), key_header(project)).json()
    assert [(e["type"], e["sequence"], e["projectId"]) for e in body["events"]] == [
        ("subproject.created", 1, sub.public_id),
        ("project.suspended", 2, sub.public_id),
        ("subproject.created", 3, other.public_id),
        # the key made by key_header is an event too
        ("access_key.created", 4, project.public_id),
    ]
    assert body["nextPageToken"] == ""
    first = body["events"][0]
    assert set(first) == {
        "id",
        "type",
        "timestamp",
        "projectId",
        "parentProjectId",
        "sequence",
        "data",
    }
    assert first["data"]["displayName"] == "A"


def test_filters_and_pages(client, project, three):
    auth = key_header(project)
    body = call(client, "GET", url(project, "?type=subproject.created"), auth).json()
    assert [e["sequence"] for e in body["events"]] == [1, 3]
    body = call(
        client, "GET", url(project, "?type=project.suspended,access_key.created"), auth
    ).json()
    assert [e["sequence"] for e in body["events"]] == [2, 4]

    page = call(client, "GET", url(project, "?pageSize=2"), auth).json()
    assert [e["sequence"] for e in page["events"]] == [1, 2]
    rest = call(client, "GET", url(project, f"?pageSize=2&pageToken={page['nextPageToken']}"), auth)
    assert [e["sequence"] for e in rest.json()["events"]] == [3, 4]

    Event.objects.filter(sequence__lte=2).update(created_at=timezone.now() - timedelta(days=3))
    since = (timezone.now() - timedelta(days=1)).isoformat()
    body = call(client, "GET", url(project, f"?since={since.replace('+', '%2B')}"), auth).json()
    assert [e["sequence"] for e in body["events"]] == [3, 4]
    body = call(client, "GET", url(project, f"?until={since.replace('+', '%2B')}"), auth).json()
    assert [e["sequence"] for e in body["events"]] == [1, 2]


def test_kept_35_days(client, project, three):
    Event.objects.filter(sequence=1).update(created_at=timezone.now() - timedelta(days=36))
    body = call(client, "GET", url(project), key_header(project)).json()
    assert [e["sequence"] for e in body["events"]] == [2, 3, 4]


def test_a_subprojects_key_sees_its_subprojects_events_only(client, project, three):
    _, other = three  # (the first is suspended: its keys are refused)
    body = call(client, "GET", url(other), key_header(other, "customer")).json()
    assert [e["type"] for e in body["events"]] == ["subproject.created", "access_key.created"]
    assert {e["projectId"] for e in body["events"]} == {other.public_id}
    assert call(client, "GET", url(project), key_header(other, "c2")).status_code == 403


def test_bad_filters_and_outsiders(client, project, three):
    auth = key_header(project)
    status, _, message = error_of(call(client, "GET", url(project, "?type=nope"), auth))
    assert status == 400 and "'nope' is not an event type" in message
    status, _, message = error_of(call(client, "GET", url(project, "?since=yesterday"), auth))
    assert status == 400 and message.startswith("since must be an RFC 3339 time")
    assert call(client, "GET", url(project), key_header(ProjectFactory())).status_code == 403
