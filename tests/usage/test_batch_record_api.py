"""POST /api/internal/v1/usage:batchRecord: platform services report usage."""

import json
from datetime import timedelta

import pydantic
import pytest
from django.utils import timezone

from tests.support.api_client import key_header
from tests.usage.conftest import last_full_hour, record
from usage import ingest
from usage.api import bodies
from usage.models import DailyUsage, FamilyDailyUsage, MonthlyUsage, UsageRecord

URL = "/api/internal/v1/usage:batchRecord"


def post(client, auth, body=None, *, raw=None):
    data = raw if raw is not None else json.dumps(body)
    return client.post(URL, data, content_type="application/json", headers={"Authorization": auth})


def nothing_written():
    return not (
        UsageRecord.objects.exists()
        or DailyUsage.objects.exists()
        or MonthlyUsage.objects.exists()
        or FamilyDailyUsage.objects.exists()
    )


def test_records_and_rolls_up_into_day_month_and_family(
    client, platform_token, project, subproject
):
    _, auth = platform_token
    hour = last_full_hour()
    records = [
        record(project, 3),
        record(subproject, 5, hour=hour),
        record(subproject, 7, hour=hour - timedelta(hours=1), record_id="r-earlier"),
    ]
    response = post(client, auth, {"records": records})
    assert response.status_code == 200
    assert response.json() == {"accepted": 3, "duplicates": 0}
    assert UsageRecord.objects.count() == 3
    sub_days = DailyUsage.objects.filter(project_public_id=subproject.public_id)
    assert sum(sub_days.values_list("quantity", flat=True)) == 12
    assert set(sub_days.values_list("family_public_id", flat=True)) == {project.public_id}
    family = FamilyDailyUsage.objects.filter(family_public_id=project.public_id)
    assert sum(family.values_list("quantity", flat=True)) == 15
    month = MonthlyUsage.objects.get(project_public_id=subproject.public_id)
    assert month.quantity == 12 and month.month == (hour - timedelta(hours=1)).date().replace(day=1)


def test_a_retried_batch_and_repeated_records_never_count_twice(client, platform_token, project):
    _, auth = platform_token
    batch = {"records": [record(project, 4), record(project, 4)]}
    assert post(client, auth, batch).json() == {"accepted": 1, "duplicates": 1}
    assert post(client, auth, batch).json() == {"accepted": 0, "duplicates": 2}
    assert DailyUsage.objects.get().quantity == 4
    assert FamilyDailyUsage.objects.get().quantity == 4


def test_same_record_id_with_another_quantity_is_refused_not_merged(
    client, platform_token, project
):
    _, auth = platform_token
    post(client, auth, {"records": [record(project, 4, record_id="r1")]})
    changed = record(project, 9, record_id="r1")
    response = post(client, auth, {"records": [record(project, 1, record_id="r2"), changed]})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["status"] == "INVALID_ARGUMENT"
    assert error["details"] == [
        {
            "index": 1,
            "field": "quantity",
            "message": error["details"][0]["message"],
            "recordId": "r1",
        }
    ]
    assert "already recorded" in error["details"][0]["message"]
    # All or nothing: r2 was not recorded either.
    assert list(UsageRecord.objects.values_list("record_id", flat=True)) == ["r1"]
    assert DailyUsage.objects.get().quantity == 4


def test_same_record_id_twice_in_one_batch_with_other_values_is_refused(
    client, platform_token, project
):
    _, auth = platform_token
    response = post(
        client,
        auth,
        {"records": [record(project, 1, record_id="x"), record(project, 2, record_id="x")]},
    )
    details = response.json()["error"]["details"]
    assert response.status_code == 400
    assert [(d["index"], d["field"]) for d in details] == [(1, "recordId")]
    assert nothing_written()


def test_removed_and_purged_subprojects_still_take_late_usage(client, platform_token, project):
    from projects import services as project_services
    from tests.factories import ProjectFactory

    _, auth = platform_token
    removed = ProjectFactory(parent=project, name="Gone", removed=True)
    purged = ProjectFactory(parent=project, name="Long gone")
    purged.removed_at = timezone.now() - timedelta(days=40)
    purged.save(update_fields=["removed_at"])
    project_services.purge_removed_subprojects()
    response = post(client, auth, {"records": [record(removed, 2), record(purged.public_id, 3)]})
    assert response.json() == {"accepted": 2, "duplicates": 0}
    assert set(DailyUsage.objects.values_list("family_public_id", flat=True)) == {project.public_id}


BAD_RECORDS = [
    ({"metric": "sms.carrier-pigeon"}, "metric", "not a known metric"),
    ({"quantity": -1}, "quantity", "whole number"),
    ({"quantity": 1.5}, "quantity", "whole number"),
    ({"quantity": "5"}, "quantity", "whole number"),
    ({"quantity": True}, "quantity", "whole number"),
    ({"hour": "2026-11-27T10:30:00Z"}, "hour", "start of an hour"),
    ({"hour": "2026-11-27T10:00:00"}, "hour", "time zone"),
    ({"hour": "yesterday"}, "hour", "ISO 8601"),
    ({"projectId": "01ARZ3NDEKTSV4RRFFQ69G5FAV"}, "projectId", "No project has this ID"),
    ({"projectId": "not-an-id"}, "projectId", "Project ID"),
    ({"recordId": ""}, "recordId", "printable ASCII"),
    ({"recordId": "has space"}, "recordId", "printable ASCII"),
    ({"colour": "blue"}, "colour", "unknown field"),
]


@pytest.mark.parametrize(("change", "field", "words"), BAD_RECORDS)
def test_bad_records_are_named_by_index_and_field_and_nothing_is_written(
    client, platform_token, project, change, field, words
):
    _, auth = platform_token
    bad = {**record(project, 1, record_id="bad"), **change}
    response = post(client, auth, {"records": [record(project, 2, record_id="good"), bad]})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["status"] == "INVALID_ARGUMENT" and error["code"] == 400
    assert [(d["index"], d["field"]) for d in error["details"]] == [(1, field)]
    assert words in error["details"][0]["message"]
    assert error["message"].startswith("1 of 2 records are invalid, so none was recorded")
    assert nothing_written()


def test_a_missing_field_is_named(client, platform_token, project):
    _, auth = platform_token
    bad = record(project, 1)
    del bad["hour"]
    details = post(client, auth, {"records": [bad]}).json()["error"]["details"]
    assert details[0]["field"] == "hour" and details[0]["message"] == "is required."


def test_hours_beyond_one_hour_of_clock_skew_are_refused(client, platform_token, project):
    _, auth = platform_token
    soon = last_full_hour() + timedelta(hours=2)  # at most an hour ahead of now
    later = last_full_hour() + timedelta(hours=3)
    assert post(client, auth, {"records": [record(project, 1, hour=soon)]}).status_code == 200
    response = post(client, auth, {"records": [record(project, 1, hour=later)]})
    assert response.status_code == 400
    assert "in the future" in response.json()["error"]["details"][0]["message"]


def test_hours_older_than_the_retention_window_are_too_late(
    client, platform_token, project, settings
):
    _, auth = platform_token
    settings.USAGE_RECORD_RETENTION_DAYS = 35
    old = last_full_hour() - timedelta(days=36)
    response = post(client, auth, {"records": [record(project, 1, hour=old)]})
    message = response.json()["error"]["details"][0]["message"]
    assert response.status_code == 400 and "too late" in message and "35 days" in message
    assert nothing_written()


def test_every_faulty_record_is_listed(client, platform_token, project):
    _, auth = platform_token
    records = [record(project, -1, record_id=f"r{i}") for i in range(3)]
    details = post(client, auth, {"records": records}).json()["error"]["details"]
    assert [d["index"] for d in details] == [0, 1, 2]


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "JSON object"),
        ('{"records": []}', "1 to 1,000"),
        ('{"records": {}}', "1 to 1,000"),
        ('{"records": [], "extra": 1}', "extra: unknown field"),
    ],
)
def test_malformed_bodies_are_refused(client, platform_token, raw, words):
    _, auth = platform_token
    response = post(client, auth, raw=raw)
    assert response.status_code == 400
    assert words in response.json()["error"]["message"]
    assert nothing_written()


def test_more_than_1000_records_are_refused(client, platform_token, project):
    _, auth = platform_token
    records = [record(project, 1, record_id=f"r{i}") for i in range(1001)]
    response = post(client, auth, {"records": records})
    assert response.status_code == 400
    assert "this one has 1,001" in response.json()["error"]["message"]
    assert nothing_written()


def test_a_customer_access_key_cannot_write_usage(client, project):
    auth = key_header(project)
    response = post(client, auth, {"records": [record(project, 1000)]})
    assert response.status_code == 401
    assert response.json()["error"]["status"] == "UNAUTHENTICATED"
    assert nothing_written()


def test_a_customer_bearer_token_cannot_write_usage(client, project):
    from projects.api.auth import issue_token
    from projects.services import access_key_create

    key, _ = access_key_create(project=project, display_name="k")
    response = post(client, f"Bearer {issue_token(key)}", {"records": [record(project, 1)]})
    assert response.status_code == 401
    assert nothing_written()


def test_no_token_a_wrong_token_or_a_revoked_token_is_401(client, platform_token, project):
    from usage import services

    token, auth = platform_token
    body = {"records": [record(project, 1)]}
    assert post(client, "", body).status_code == 401
    wrong = auth[:-1] + ("x" if auth[-1] != "x" else "y")  # (a secret may end in "x")
    assert post(client, wrong, body).status_code == 401
    services.platform_token_revoke(token=token)
    response = post(client, auth, body)
    assert response.status_code == 401
    assert "revoked" in response.json()["error"]["message"]
    assert nothing_written()


def test_get_is_not_allowed(client, platform_token):
    _, auth = platform_token
    response = client.get(URL, headers={"Authorization": auth})
    assert response.status_code == 405


def test_record_ids_with_quotes_backslashes_and_braces_are_kept_exactly(
    client, platform_token, project
):
    _, auth = platform_token
    odd = "a\"b\\c{d},e'f"
    assert post(client, auth, {"records": [record(project, 2, record_id=odd)]}).json() == {
        "accepted": 1,
        "duplicates": 0,
    }
    assert list(UsageRecord.objects.values_list("record_id", flat=True)) == [odd]
    again = post(client, auth, {"records": [record(project, 2, record_id=odd)]})
    assert again.json() == {"accepted": 0, "duplicates": 1}


# The documented record (usage.api.bodies.UsageRecord, the schema in /api/openapi.json)
# and what usage.ingest.check() refuses: the same fields, the same refusals (but for what
# a schema cannot know: the hour's window, whether a project exists).


def _schema_refuses(body: dict) -> set[str]:
    try:
        bodies.UsageRecord.model_validate_json(json.dumps(body), strict=True)
    except pydantic.ValidationError as error:
        return {str(e["loc"][0]) if e["loc"] else "record" for e in error.errors()}
    return set()


def _ingest_refuses(body: dict) -> set[str]:
    return {fault["field"] for fault in ingest.check([body], now=timezone.now()).faults}


def test_the_documented_record_has_the_fields_ingest_checks():
    assert tuple(bodies.UsageRecord.model_fields) == ingest.FIELDS
    records = bodies.BatchRecordUsageRequest.model_json_schema()["properties"]["records"]
    assert (records["minItems"], records["maxItems"]) == (1, ingest.MAX_BATCH)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("recordId", ""),
        ("recordId", "has space"),
        ("recordId", "x" * 129),
        ("recordId", 7),
        ("metric", "sms.nothing"),
        ("quantity", -1),
        ("quantity", 10**12 + 1),
        ("quantity", 1.5),
        ("quantity", "3"),
        ("hour", "yesterday"),
        ("projectId", None),
        ("unknown", "x"),
    ],
)
def test_the_documented_record_refuses_what_ingest_refuses(project, field, value):
    good = record(project)
    assert _schema_refuses(good) == _ingest_refuses(good) == set()
    bad = {**good, field: value}
    assert _schema_refuses(bad) == _ingest_refuses(bad) == {field}
    missing = {name: v for name, v in good.items() if name != field}
    if field in good:
        assert _schema_refuses(missing) == _ingest_refuses(missing) == {field}
