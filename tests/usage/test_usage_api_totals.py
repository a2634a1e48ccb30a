"""GET /api/v1/projects/{projectId}/usage gives the scope's total per metric alongside
the rows: a family's (the parent's own and every subproject's), the same on every page."""

import pytest

from tests.factories import ProjectFactory
from tests.support.api_client import call, key_header
from tests.usage.conftest import ingest, record


@pytest.fixture
def other(project, subproject):
    other = ProjectFactory(parent=project, name="Other customer")
    ingest(
        record(project, 1),
        record(subproject, 5),
        record(subproject, 2, metric="voice.minutes", record_id="voice"),
        record(other, 11),
    )
    return other


def _get(client, project_id, auth, query=""):
    response = call(client, "GET", f"/api/v1/projects/{project_id}/usage{query}", auth)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_parent_gets_its_familys_total(client, project, subproject, other):
    body = _get(client, project.public_id, key_header(project))
    sms = {"metric": "sms.outbound", "unit": "messages", "quantity": 1 + 5 + 11}
    voice = {"metric": "voice.minutes", "unit": "minutes", "quantity": 2}
    assert body["totals"] == [
        {"projectId": project.public_id, **sms},
        {"projectId": project.public_id, **voice},
    ]


def test_every_page_has_the_same_totals(client, project, subproject, other):
    auth = key_header(project)
    first = _get(client, project.public_id, auth, "?pageSize=1")
    second = _get(
        client, project.public_id, auth, f"?pageSize=1&pageToken={first['nextPageToken']}"
    )
    assert len(first["usage"]) == 1 and first["totals"] == second["totals"]
    assert first["usage"] != second["usage"]


def test_a_subproject_gets_its_own(client, project, subproject, other):
    body = _get(client, subproject.public_id, key_header(subproject))
    assert [(t["metric"], t["quantity"]) for t in body["totals"]] == [
        ("sms.outbound", 5),
        ("voice.minutes", 2),
    ]


def test_no_usage_no_totals(client, project):
    assert _get(client, project.public_id, key_header(project))["totals"] == []
