"""GET /api/v1/projects/{projectId}/usage: customers read usage with their keys."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from tests.factories import ProjectFactory
from tests.support.api_client import call, error_of, key_header
from tests.usage.conftest import TEST_HOUR, ingest, record

HOUR = TEST_HOUR
TODAY = HOUR.date()


def url(project_id, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"/api/v1/projects/{project_id}/usage" + (f"?{query}" if query else "")


@pytest.fixture
def usage(project, subproject):
    other = ProjectFactory(parent=project, name="Other customer")
    ingest(
        record(project, 1),
        record(subproject, 5),
        record(subproject, 7, hour=HOUR - timedelta(hours=1), record_id="sub-earlier"),
        record(subproject, 2, metric="voice.minutes"),
        record(other, 11),
    )
    return other


def items(response):
    assert response.status_code == 200, response.content
    return response.json()["usage"]


def test_parent_key_reads_itself_and_each_subproject(client, project, subproject, usage):
    got = items(call(client, "GET", url(project.public_id), key_header(project)))
    assert sorted((i["projectId"], i["metric"], i["quantity"]) for i in got) == sorted(
        [
            (project.public_id, "sms.outbound", 1),
            (subproject.public_id, "sms.outbound", 12),
            (subproject.public_id, "voice.minutes", 2),
            (usage.public_id, "sms.outbound", 11),
        ]
    )
    assert {i["unit"] for i in got if i["metric"] == "voice.minutes"} == {"minutes"}
    # The parent's total is the sum of its subprojects plus its own.
    assert sum(i["quantity"] for i in got if i["metric"] == "sms.outbound") == 1 + 12 + 11


def test_group_by_day(client, project, subproject, usage):
    start = (TODAY - timedelta(days=3)).isoformat()
    response = call(
        client,
        "GET",
        url(subproject.public_id, groupBy="day", startDate=start, endDate=TODAY),
        key_header(project),
    )
    got = items(response)
    days = {(i["metric"], i["date"]): i["quantity"] for i in got}
    assert days[("sms.outbound", HOUR.date().isoformat())] >= 5
    assert sum(v for (m, _), v in days.items() if m == "sms.outbound") == 12
    assert {i["projectId"] for i in got} == {subproject.public_id}


def test_subproject_key_reads_only_itself(client, project, subproject, usage):
    auth = key_header(subproject)
    got = items(call(client, "GET", url(subproject.public_id), auth))
    assert {i["projectId"] for i in got} == {subproject.public_id}
    for other in (project.public_id, usage.public_id):
        code, status, _ = error_of(call(client, "GET", url(other), auth))
        assert (code, status) == (403, "PERMISSION_DENIED")


def test_out_of_scope_answers_like_nonexistent(client, project, usage):
    outsider = ProjectFactory()
    auth = key_header(project)
    unknown = error_of(call(client, "GET", url("01ARZ3NDEKTSV4RRFFQ69G5FAV"), auth))
    foreign = error_of(call(client, "GET", url(outsider.public_id), auth))
    assert unknown[:2] == foreign[:2] == (403, "PERMISSION_DENIED")
    assert unknown[2] == foreign[2]


def test_removed_and_purged_subprojects_stay_in_the_parents_usage(
    client, project, subproject, usage
):
    from projects import services

    services.subproject_remove(subproject=subproject)
    services.subproject_remove(subproject=usage)
    type(usage).objects.filter(pk=usage.pk).update(removed_at=timezone.now() - timedelta(days=31))
    assert services.purge_removed_subprojects() == 1
    auth = key_header(project)
    got = items(call(client, "GET", url(project.public_id), auth))
    totals = {(i["projectId"], i["metric"]): i["quantity"] for i in got}
    assert totals[(subproject.public_id, "sms.outbound")] == 12  # removed
    assert totals[(usage.public_id, "sms.outbound")] == 11  # purged
    # A removed subproject's usage can still be asked for by ID with the parent's key.
    got = items(call(client, "GET", url(subproject.public_id), auth))
    assert {i["projectId"] for i in got} == {subproject.public_id}


def test_pages_visit_every_item_once(client, project, subproject, usage):
    auth = key_header(project)
    seen, token = [], None
    while True:
        params = {"pageSize": 1, **({"pageToken": token} if token else {})}
        body = call(client, "GET", url(project.public_id, **params), auth).json()
        seen += [(i["projectId"], i["metric"]) for i in body["usage"]]
        token = body["nextPageToken"]
        if not token:
            break
    assert len(seen) == len(set(seen)) == 4


def test_a_page_token_belongs_to_its_listing(client, project, usage):
    auth = key_header(project)
    body = call(client, "GET", url(project.public_id, pageSize=1), auth).json()
    other = url(project.public_id, pageSize=1, groupBy="day", pageToken=body["nextPageToken"])
    code, status, message = error_of(call(client, "GET", other, auth))
    assert (code, status) == (400, "INVALID_ARGUMENT") and "another listing" in message


def test_defaults_to_this_month(client, project, usage):
    now = datetime.now(UTC)
    if HOUR.month != now.month:  # the last full hour was last month (just after midnight)
        pytest.skip("the records fell in the previous month")
    assert items(call(client, "GET", url(project.public_id), key_header(project)))


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"startDate": "2026-13-01"}, "startDate: must be a date as YYYY-MM-DD"),
        ({"startDate": "20261101"}, "startDate: must be a date as YYYY-MM-DD"),
        ({"endDate": "yesterday"}, "endDate: must be a date"),
        ({"startDate": "2026-11-10", "endDate": "2026-11-01"}, "endDate: must not be before"),
        ({"startDate": "2025-01-01", "endDate": "2026-02-01"}, "at most 13 months"),
        ({"startDate": "1999-12-31"}, "startDate: must be a date from 2000-01-01"),
        ({"groupBy": "week"}, "groupBy: must be one of subproject, day"),
        ({"pageSize": 0}, "pageSize"),
        ({"pageToken": "forged"}, "pageToken"),
    ],
)
def test_bad_parameters_are_refused_naming_them(client, project, params, words):
    code, status, message = error_of(
        call(client, "GET", url(project.public_id, **params), key_header(project))
    )
    assert (code, status) == (400, "INVALID_ARGUMENT")
    assert words in message


def test_thirteen_months_are_allowed(client, project):
    response = call(
        client,
        "GET",
        url(project.public_id, startDate="2025-01-01", endDate="2026-01-31"),
        key_header(project),
    )
    assert response.status_code == 200


def test_needs_credentials_and_refuses_platform_tokens(client, project, platform_token):
    _, platform_auth = platform_token
    for auth in ("", platform_auth):
        code, status, _ = error_of(call(client, "GET", url(project.public_id), auth))
        assert (code, status) == (401, "UNAUTHENTICATED")
    # Nor does a platform token open any other customer endpoint.
    response = call(
        client, "GET", f"/api/v1/projects/{project.public_id}/subprojects", platform_auth
    )
    assert response.status_code == 401


def test_customers_cannot_write_usage_here(client, project):
    response = call(client, "POST", url(project.public_id), key_header(project), {"records": []})
    assert response.status_code == 405
