"""Ingest refuses values at their extremes with a 400 naming the field, never a server
error: hours outside what a datetime can hold in UTC, metrics that are not strings."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.usage.conftest import record
from usage.models import UsageRecord

URL = "/api/internal/v1/usage:batchRecord"
EXTREME_HOURS = [
    "9999-12-31T23:00:00-14:00",  # past year 9999 in UTC
    "0001-01-01T00:00:00+14:00",  # before year 1 in UTC
    "9999-12-31T23:00:00+00:00",
    "0001-01-01T00:00:00Z",
]


def post(client, auth, body):
    return client.post(URL, body, content_type="application/json", headers={"Authorization": auth})


def faults(response) -> dict:
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["status"] == "INVALID_ARGUMENT"
    return {detail["field"]: detail["message"] for detail in error["details"]}


@pytest.mark.parametrize("hour", EXTREME_HOURS)
def test_an_hour_at_the_ends_of_time_is_refused(client, platform_token, subproject, hour):
    _, auth = platform_token
    body = {"records": [{**record(subproject), "hour": hour}]}
    assert "hour" in faults(post(client, auth, body))
    assert not UsageRecord.objects.exists()


@pytest.mark.parametrize("metric", [{}, [], 7, None, True, ["sms.outbound"], {"a": 1}])
def test_a_metric_that_is_not_a_string_is_refused(client, platform_token, subproject, metric):
    _, auth = platform_token
    body = {"records": [{**record(subproject), "metric": metric}]}
    assert "not a known metric" in faults(post(client, auth, body))["metric"]


def test_import_usage_names_the_line_of_an_extreme_hour(tmp_path, subproject):
    path = tmp_path / "usage.csv"
    path.write_text(
        "recordId,projectId,metric,hour,quantity\n"
        f"r1,{subproject.public_id},sms.outbound,9999-12-31T23:00:00-14:00,1\n",
        encoding="utf-8",
    )
    err = StringIO()
    with pytest.raises(CommandError, match="1 of 1 rows are invalid"):
        call_command("import_usage", str(path), stdout=StringIO(), stderr=err)
    assert "Line 2: hour:" in err.getvalue()
