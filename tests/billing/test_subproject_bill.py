"""A bill per customer: each subproject's part of its parent's statements, on its own
Billing pages, in its CSV and in the API (GET /api/v1/subprojects/{id}/statements and
…/{YYYY-MM}), equal to its lines of the parent's statement to the cent."""

import csv
import io
import re
from decimal import Decimal

import pytest

from accounts.models import Role
from billing import services, statements
from projects.services import project_customers_see
from tests.billing.conftest import BEFORE, LAST, THIS, add_usage
from tests.factories import ProjectFactory, granted
from tests.support.api_client import call, error_of, key_header


@pytest.fixture
def sibling(project):
    return ProjectFactory(parent=project, name="Burrito Barn")


@pytest.fixture
def usage(project, subproject, sibling):
    """Prices with odd decimals so that every line is rounded; usage of the parent and
    two customers over three months, the two earlier ones closed, and late usage for
    LAST that arrives after it was closed (billed in THIS)."""
    services.prices_set(
        account=project.account,
        prices_given={
            "sms.outbound": "0.0437",
            "voice.minutes": "0.0119",
            "verification.requests": "0.05",
        },
    )
    for month, factor in ((BEFORE, 1), (LAST, 3), (THIS, 7)):
        add_usage(project, 101 * factor, month=month)
        add_usage(subproject, 333 * factor, month=month)
        add_usage(subproject, 17 * factor, month=month, metric="voice.minutes")
        add_usage(sibling, 2999 * factor, month=month)
    services.billing_period_close(month=BEFORE)
    services.billing_period_close(month=LAST)
    add_usage(subproject, 5, month=LAST, metric="voice.minutes")  # late


@pytest.fixture
def customer(account, subproject):
    return granted(subproject, Role.VIEWER)


def parent_lines(project, subproject, month):
    """The subproject's lines of the parent's statement of `month`, as the API writes them."""
    statement = statements.statement_of(project, month)
    return [
        line for line in statement.lines if line.project_public_id == subproject.public_id
    ], statement


def cents(lines) -> Decimal:
    return sum((line.amount for line in lines), Decimal(0))


@pytest.mark.parametrize("month", [LAST, THIS, BEFORE], ids=["closed", "estimate", "older"])
def test_the_bill_equals_its_lines_in_the_parent_s_statement(
    client_for, admin_user, client, project, subproject, sibling, usage, month
):
    lines, parent_statement = parent_lines(project, subproject, month)
    assert lines, "the fixture bills the subproject every month"
    expected = cents(lines)
    # The family adds up: every project's part, summed, is the parent's total.
    parts = [cents(parent_lines(project, p, month)[0]) for p in (project, subproject, sibling)]
    assert sum(parts) == parent_statement.total

    web = client_for(admin_user)
    # The page: its amount, and each line's.
    page = web.get(f"/projects/{subproject.public_id}/billing/{month:%Y-%m}/")
    assert page.status_code == 200
    html = page.content.decode()
    shown = re.search(r"data-statement-total>([0-9,.]+)\xa0EUR<", html).group(1)
    assert Decimal(shown.replace(",", "")) == expected
    amounts = re.findall(r"data-amount>([0-9,.]+)\xa0EUR<", html)
    assert [Decimal(a.replace(",", "")) for a in amounts] == [line.amount for line in lines]
    # The months list.
    months = web.get(f"/projects/{subproject.public_id}/billing/").content.decode()
    row = re.search(rf'data-month="{month:%Y-%m}".*?data-amount>([0-9,.]+)\xa0EUR<', months, re.S)
    assert Decimal(row.group(1).replace(",", "")) == expected
    # The CSV: its lines only, the same amounts.
    response = web.get(f"/projects/{subproject.public_id}/billing/{month:%Y-%m}/statement.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {r["Project ID"] for r in rows} == {subproject.public_id}
    assert [Decimal(r["Amount"]) for r in rows] == [line.amount for line in lines]
    assert f"statement-{subproject.public_id}-{month:%Y-%m}" in response["Content-Disposition"]
    # The API, with the parent's key and with the subproject's own (its ASP showing
    # customers their bill: tests/projects/test_what_customers_see.py, both ways).
    project_customers_see(project=project, bills=True)
    for auth in (key_header(project), key_header(subproject)):
        one = call(
            client,
            "GET",
            f"/api/v1/subprojects/{subproject.public_id}/statements/{month:%Y-%m}",
            auth,
        ).json()
        assert Decimal(one["total"]) == expected
        assert one["subprojectId"] == subproject.public_id
        assert one["parentProjectId"] == project.public_id
        assert [(x["metric"], Decimal(x["amount"]), x["usageMonth"]) for x in one["lines"]] == [
            (line.metric, line.amount, f"{line.usage_month:%Y-%m}") for line in lines
        ]
        listed = call(
            client, "GET", f"/api/v1/subprojects/{subproject.public_id}/statements", auth
        ).json()
        by_month = {s["month"]: s for s in listed["statements"]}
        assert Decimal(by_month[f"{month:%Y-%m}"]["total"]) == expected


def test_late_usage_is_on_the_customer_s_bill(client_for, admin_user, project, subproject, usage):
    html = client_for(admin_user).get(f"/projects/{subproject.public_id}/billing/{THIS:%Y-%m}/")
    assert b"data-late" in html.content


def test_the_parent_s_breakdown_links_each_name_to_its_bill(
    client_for, admin_user, project, subproject, sibling, usage
):
    client = client_for(admin_user)
    for month in (THIS, LAST):
        html = client.get(f"/projects/{project.public_id}/billing/{month:%Y-%m}/").content.decode()
        for customer in (subproject, sibling):
            assert (
                f'<a href="/projects/{customer.public_id}/billing/{month:%Y-%m}/" data-bill-link>'
                f"<bdi>{customer.name}</bdi></a>"
            ) in html
        # The parent's own row is not a link to a bill of its own.
        assert f'href="/projects/{project.public_id}/billing/{month:%Y-%m}/" data-bill' not in html


def test_a_removed_customer_still_has_its_bill(client_for, admin_user, project, subproject, usage):
    from projects import services as project_services

    project_services.subproject_remove(subproject=subproject)
    client = client_for(admin_user)
    assert client.get(f"/projects/{subproject.public_id}/billing/{LAST:%Y-%m}/").status_code == 200
    html = client.get(f"/projects/{project.public_id}/billing/{LAST:%Y-%m}/").content.decode()
    assert f"/projects/{subproject.public_id}/billing/{LAST:%Y-%m}/" in html


def test_who_sees_a_subproject_s_bill(
    client_for, admin_user, member, viewer, customer, outsider, subproject, usage
):
    urls = [
        f"/projects/{subproject.public_id}/billing/",
        f"/projects/{subproject.public_id}/billing/{LAST:%Y-%m}/",
        f"/projects/{subproject.public_id}/billing/{LAST:%Y-%m}/statement.csv",
    ]
    for user, status in ((admin_user, 200), (member, 200), (viewer, 200), (customer, 404)):
        client = client_for(user)
        for url in urls:
            assert client.get(url).status_code == status, (user, url)
    client = client_for(outsider)
    for url in urls:
        assert client.get(url).status_code == 404


def test_the_subproject_page_and_the_navigation_link_its_bill(
    client_for, admin_user, customer, subproject
):
    url = f'href="/projects/{subproject.public_id}/billing/"'
    assert url in client_for(admin_user).get(f"/projects/{subproject.public_id}/").content.decode()
    assert (
        url not in client_for(customer).get(f"/projects/{subproject.public_id}/").content.decode()
    )


def test_the_api_refuses_other_keys_as_unknown_ids(client, project, subproject, sibling, usage):
    base = f"/api/v1/subprojects/{subproject.public_id}/statements"
    for auth in (key_header(sibling), key_header(ProjectFactory())):
        assert error_of(call(client, "GET", base, auth))[:2] == (403, "PERMISSION_DENIED")
        one = call(client, "GET", f"{base}/{LAST:%Y-%m}", auth)
        assert error_of(one)[:2] == (404, "NOT_FOUND")
    # A top-level project is not a subproject here.
    auth = key_header(project)
    top = f"/api/v1/subprojects/{project.public_id}/statements"
    assert error_of(call(client, "GET", top, auth))[:2] == (403, "PERMISSION_DENIED")
    assert error_of(call(client, "GET", f"{top}/{LAST:%Y-%m}", auth))[:2] == (404, "NOT_FOUND")


def test_the_api_pages_and_refuses_bad_months(client, project, subproject, usage):
    project_customers_see(project=project, bills=True)
    auth = key_header(subproject)
    base = f"/api/v1/subprojects/{subproject.public_id}/statements"
    first = call(client, "GET", base + "?pageSize=1", auth).json()
    assert [s["month"] for s in first["statements"]] == [f"{THIS:%Y-%m}", f"{LAST:%Y-%m}"]
    second = call(client, "GET", f"{base}?pageSize=1&pageToken={first['nextPageToken']}", auth)
    assert [s["month"] for s in second.json()["statements"]] == [f"{BEFORE:%Y-%m}"]
    status, word, message = error_of(call(client, "GET", f"{base}/2026-13", auth))
    assert (status, word) == (400, "INVALID_ARGUMENT") and "YYYY-MM" in message
    future = THIS.replace(year=THIS.year + 1)
    assert error_of(call(client, "GET", f"{base}/{future:%Y-%m}", auth))[:2] == (404, "NOT_FOUND")


def test_a_customer_shown_its_bill_sees_none_of_the_asp_s_own(
    client_for, admin_user, customer, project, subproject, usage
):
    """Shown its bill, a customer login reads it without the ASP's spend limit link or
    its "re-bill" note (projects.customers decides who is the customer)."""
    project_customers_see(project=project, bills=True)
    spend_limit = f'href="/projects/{subproject.public_id}/spend-limit/"'
    for user, asp in ((admin_user, True), (customer, False)):
        page = client_for(user).get(f"/projects/{subproject.public_id}/billing/")
        html = page.content.decode()
        assert page.status_code == 200
        assert (spend_limit in html) is asp and ("re-bill this customer" in html) is asp, user
