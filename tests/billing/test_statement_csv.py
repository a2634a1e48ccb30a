"""Download CSV of a month's statement: one line per project and metric, with the
Project IDs, streamed."""

import csv
import io
from decimal import Decimal

import pytest

from billing import services
from tests.billing.conftest import LAST, THIS, add_usage
from tests.factories import ProjectFactory


def download(client, project, month):
    response = client.get(f"/projects/{project.public_id}/billing/{month:%Y-%m}/statement.csv")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode()
    return response, list(csv.DictReader(io.StringIO(body)))


@pytest.fixture
def usage(project, subproject):
    add_usage(project, 100, month=LAST)
    add_usage(subproject, 1000, month=LAST)
    add_usage(subproject, 30, month=LAST, metric="voice.minutes")
    ProjectFactory(parent=project, name="=HYPERLINK(evil)")


def test_a_line_per_project_and_metric_with_project_ids(
    client_for, member, project, subproject, usage
):
    response, lines = download(client_for(member), project, LAST)
    assert (
        f"statement-{project.public_id}-{LAST:%Y-%m}-estimate.csv"
        in response["Content-Disposition"]
    )
    assert [(r["Project ID"], r["Metric"], r["Quantity"], r["Amount"]) for r in lines] == [
        (project.public_id, "sms.outbound", "100", "4.50"),
        (subproject.public_id, "sms.outbound", "1000", "45.00"),
        (subproject.public_id, "voice.minutes", "30", "0.36"),
    ]
    assert {r["Parent Project ID"] for r in lines} == {project.public_id}
    assert {r["Status"] for r in lines} == {"ESTIMATE"}
    assert lines[0]["Unit price"] == "0.045" and lines[0]["Currency"] == "EUR"
    assert sum(Decimal(r["Amount"]) for r in lines) == Decimal("49.86")


def test_a_closed_statement_as_stored(client_for, member, project, subproject, usage):
    services.billing_period_close(month=LAST)
    services.prices_set(account=project.account, prices_given={"sms.outbound": "1"})
    response, lines = download(client_for(member), project, LAST)
    assert "closed.csv" in response["Content-Disposition"]
    assert {r["Status"] for r in lines} == {"CLOSED"}
    assert lines[1]["Amount"] == "45.00"  # the price it was closed with


def test_late_usage_has_its_own_lines(client_for, member, project, subproject, usage):
    services.billing_period_close(month=LAST)
    add_usage(subproject, 7, month=LAST)
    add_usage(subproject, 1, month=THIS)
    _, lines = download(client_for(member), project, THIS)
    assert [(r["Usage month"], r["Quantity"]) for r in lines] == [
        (f"{LAST:%Y-%m}", "7"),
        (f"{THIS:%Y-%m}", "1"),
    ]


def test_names_that_look_like_formulas_are_defused(client_for, member, project, usage):
    add_usage(project.subprojects.get(name="=HYPERLINK(evil)"), 1, month=LAST)
    _, lines = download(client_for(member), project, LAST)
    assert "'=HYPERLINK(evil)" in [r["Project"] for r in lines]


def test_the_outsider_gets_404(client_for, outsider, project, usage):
    url = f"/projects/{project.public_id}/billing/{LAST:%Y-%m}/statement.csv"
    assert client_for(outsider).get(url).status_code == 404
