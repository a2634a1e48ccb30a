"""GET /api/v1/projects/{projectId}/statements and …/statements/{YYYY-MM}: the parent's
key only; amounts as decimal strings."""

from decimal import Decimal

import pytest

from billing import services
from tests.billing.conftest import BEFORE, LAST, THIS, add_usage
from tests.factories import ProjectFactory
from tests.support.api_client import basic, call, error_of, key_header


@pytest.fixture
def usage(project, subproject):
    add_usage(project, 100, month=THIS)
    add_usage(subproject, 1000, month=THIS)
    add_usage(subproject, 20, month=LAST)
    add_usage(subproject, 10, month=BEFORE)
    services.billing_period_close(month=BEFORE)
    services.billing_period_close(month=LAST)


def test_lists_the_months_newest_first(client, project, usage):
    response = call(
        client, "GET", f"/api/v1/projects/{project.public_id}/statements", key_header(project)
    )
    assert response.status_code == 200
    assert response.json() == {
        "statements": [
            {"month": f"{THIS:%Y-%m}", "status": "ESTIMATE", "currency": "EUR", "total": "49.50"},
            {"month": f"{LAST:%Y-%m}", "status": "CLOSED", "currency": "EUR", "total": "0.90"},
            {"month": f"{BEFORE:%Y-%m}", "status": "CLOSED", "currency": "EUR", "total": "0.45"},
        ],
        "nextPageToken": "",
    }


def test_pages_through_closed_statements(client, project, usage):
    auth = key_header(project)
    url = f"/api/v1/projects/{project.public_id}/statements"
    first = call(client, "GET", url + "?pageSize=1", auth).json()
    assert [s["month"] for s in first["statements"]] == [f"{THIS:%Y-%m}", f"{LAST:%Y-%m}"]
    second = call(client, "GET", url + f"?pageSize=1&pageToken={first['nextPageToken']}", auth)
    assert [s["month"] for s in second.json()["statements"]] == [f"{BEFORE:%Y-%m}"]
    assert second.json()["nextPageToken"] == ""


def test_a_statement_with_its_lines(client, project, subproject, usage):
    add_usage(subproject, 3, month=LAST)  # late, after LAST was closed
    response = call(
        client,
        "GET",
        f"/api/v1/projects/{project.public_id}/statements/{THIS:%Y-%m}",
        key_header(project),
    )
    body = response.json()
    assert response.status_code == 200
    assert (body["status"], body["currency"], body["total"]) == ("ESTIMATE", "EUR", "49.64")
    assert body["lines"] == [
        {"projectId": project.public_id, "metric": "sms.outbound", "quantity": 100,
         "unitPrice": "0.045", "amount": "4.50", "usageMonth": f"{THIS:%Y-%m}"},
        {"projectId": subproject.public_id, "metric": "sms.outbound", "quantity": 3,
         "unitPrice": "0.045", "amount": "0.14", "usageMonth": f"{LAST:%Y-%m}"},
        {"projectId": subproject.public_id, "metric": "sms.outbound", "quantity": 1000,
         "unitPrice": "0.045", "amount": "45.00", "usageMonth": f"{THIS:%Y-%m}"},
    ]  # fmt: skip
    assert sum(Decimal(line["amount"]) for line in body["lines"]) == Decimal(body["total"])


def test_a_closed_statement_never_changes(client, project, subproject, usage):
    url = f"/api/v1/projects/{project.public_id}/statements/{LAST:%Y-%m}"
    auth = key_header(project)
    before = call(client, "GET", url, auth).json()
    services.prices_set(account=project.account, prices_given={"sms.outbound": "7"})
    add_usage(subproject, 3, month=LAST)
    assert call(client, "GET", url, auth).json() == before


def test_a_subproject_key_gets_the_answer_of_an_unknown_id(client, project, subproject, usage):
    auth = key_header(subproject)
    for target in (project, subproject):
        listed = call(client, "GET", f"/api/v1/projects/{target.public_id}/statements", auth)
        one = call(
            client, "GET", f"/api/v1/projects/{target.public_id}/statements/{THIS:%Y-%m}", auth
        )
        assert error_of(listed)[:2] == (403, "PERMISSION_DENIED")
        assert error_of(one)[:2] == (404, "NOT_FOUND")
        assert "0.045" not in listed.content.decode() + one.content.decode()
    unknown = "01ARZ3NDEKTSV4RRFFQ69G5FAV"
    assert error_of(call(client, "GET", f"/api/v1/projects/{unknown}/statements", auth))[:2] == (
        403,
        "PERMISSION_DENIED",
    )


def test_a_parent_key_cannot_read_a_subproject_as_a_statement(client, project, subproject, usage):
    auth = key_header(project)
    response = call(client, "GET", f"/api/v1/projects/{subproject.public_id}/statements", auth)
    assert error_of(response)[:2] == (403, "PERMISSION_DENIED")


def test_another_accounts_key_sees_nothing(client, project, usage):
    stranger = ProjectFactory()
    response = call(
        client,
        "GET",
        f"/api/v1/projects/{project.public_id}/statements/{THIS:%Y-%m}",
        key_header(stranger),
    )
    assert error_of(response)[:2] == (404, "NOT_FOUND")


@pytest.mark.parametrize("month", ["2026-13", "2026-1", "latest", "2026-11-01"])
def test_a_malformed_month_is_refused(client, project, month):
    response = call(
        client,
        "GET",
        f"/api/v1/projects/{project.public_id}/statements/{month}",
        key_header(project),
    )
    status, word, message = error_of(response)
    assert (status, word) == (400, "INVALID_ARGUMENT") and "YYYY-MM" in message


def test_a_future_month_is_not_found(client, project):
    future = THIS.replace(year=THIS.year + 1)
    response = call(
        client,
        "GET",
        f"/api/v1/projects/{project.public_id}/statements/{future:%Y-%m}",
        key_header(project),
    )
    assert error_of(response)[:2] == (404, "NOT_FOUND")


def test_without_credentials_401(client, project):
    response = call(
        client, "GET", f"/api/v1/projects/{project.public_id}/statements", basic("x", "y")
    )
    assert response.status_code == 401
