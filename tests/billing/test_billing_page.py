"""The Billing page of a top-level project, /projects/{Project ID}/billing/, and a
month's breakdown, /projects/{Project ID}/billing/YYYY-MM/."""

import re

import pytest

from accounts.models import Role
from billing import services
from tests.billing.conftest import LAST, THIS, add_usage
from tests.factories import (
    NASTY_NAME,
    GrantFactory,
    MembershipFactory,
    ProjectFactory,
    bulk_subprojects,
)


def url(project, month=None):
    return f"/projects/{project.public_id}/billing/" + (f"{month:%Y-%m}/" if month else "")


@pytest.fixture
def usage(project, subproject):
    add_usage(project, 100, month=THIS)
    add_usage(subproject, 1000, month=THIS)
    add_usage(subproject, 200, month=LAST)
    services.billing_period_close(month=LAST)


def months(body):
    return re.findall(r'data-month="([\d-]+)"', body)


def test_lists_the_months_with_status_and_total(client_for, admin_user, project, usage):
    response = client_for(admin_user).get(url(project))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Billing</h1>" in body
    assert months(body) == [f"{THIS:%Y-%m}", f"{LAST:%Y-%m}"]
    this_row, last_row = body.split("data-month=")[1:3]
    assert "Estimate" in this_row and "49.50" in this_row  # 1,100 x 0.045
    assert "Closed" in last_row and "9.00" in last_row
    assert "Unit prices" in body and "0.045" in body


@pytest.mark.parametrize("persona", ["admin_user", "member", "viewer"])
def test_those_who_see_the_parent_read_it(request, client_for, project, usage, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(url(project)).status_code == 200
    assert client.get(url(project, THIS)).status_code == 200
    assert client.get(url(project, THIS) + "statement.csv").status_code == 200


def test_the_outsider_gets_404(client_for, outsider, project, usage):
    client = client_for(outsider)
    for path in (url(project), url(project, THIS), url(project, THIS) + "statement.csv"):
        assert client.get(path).status_code == 404


def test_a_user_granted_only_a_subproject_never_sees_prices_or_siblings(
    client_for, account, project, subproject, usage
):
    membership = MembershipFactory(account=account, role=Role.MEMBER)
    GrantFactory(membership=membership, project=subproject)
    client = client_for(membership.user)
    for path in (
        url(project),
        url(project, THIS),
        url(project, THIS) + "statement.csv",
        url(subproject),  # a subproject has no Billing page of its own
        url(subproject, THIS),
    ):
        assert client.get(path).status_code == 404, path
    details = client.get(f"/projects/{subproject.public_id}/").content.decode()
    assert "/billing/" not in details and "0.045" not in details


def test_a_subproject_s_billing_page_is_its_own_bill(client_for, admin_user, subproject):
    """(tests/billing/test_subproject_bill.py tests the bill itself.)"""
    body = client_for(admin_user).get(url(subproject)).content.decode()
    assert "<h1>Billing of <bdi>Taco Time</bdi>" in body


def test_writes_are_not_accepted(client_for, admin_user, project):
    assert client_for(admin_user).post(url(project)).status_code == 405


def test_a_month_breakdown_per_subproject(client_for, member, project, subproject, usage):
    other = ProjectFactory(parent=project, name=NASTY_NAME)
    add_usage(other, 3, month=THIS, metric="voice.minutes")
    body = client_for(member).get(url(project, THIS)).content.decode()
    rows = re.findall(r'<tr[^>]*data-project-id="(\w+)"', body)
    assert rows == [project.public_id, other.public_id, subproject.public_id]  # parent first
    assert "this project" in body
    assert "&lt;script&gt;" in body and "<script>alert" not in body
    assert "data-statement-total>49.54\xa0EUR<" in body  # 4.50 + 45.00 + 0.04
    assert "Download CSV" in body


def test_a_closed_month_says_so(client_for, member, project, usage):
    body = client_for(member).get(url(project, LAST)).content.decode()
    assert "Closed" in body and "data-statement-total>9.00\xa0EUR<" in body


def test_late_usage_rows_are_marked(client_for, member, project, subproject, usage):
    add_usage(subproject, 10, month=LAST)  # after LAST was closed
    body = client_for(member).get(url(project, THIS)).content.decode()
    assert f"late usage for {LAST:%Y-%m}" in body
    assert f"{LAST:%B %Y}" in body


def test_a_long_breakdown_pages_by_position_like_every_dashboard_list(client_for, member, project):
    for sub in bulk_subprojects(project, 60):
        add_usage(sub, 5, month=THIS)
    client = client_for(member)
    first = client.get(url(project, THIS)).content.decode()
    shown = re.findall(r'<tr[^>]*data-project-id="(\w+)"', first)
    assert len(shown) == 50 and "1\u201350 of 60 rows" in first
    next_url = re.search(r'href="([^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    assert "cursor=" in next_url
    second = client.get(next_url).content.decode()
    rest = re.findall(r'<tr[^>]*data-project-id="(\w+)"', second)
    assert len(rest) == 10 and not set(rest) & set(shown)
    assert "51\u201360 of 60 rows" in second
    tampered = client.get(url(project, THIS) + "?cursor=nonsense")
    assert tampered.status_code == 400 and "no longer valid" in tampered.content.decode()


@pytest.mark.parametrize("month", ["2026-13", "1999-00"])
def test_an_impossible_month_is_404(client_for, member, project, month):
    assert (
        client_for(member).get(f"/projects/{project.public_id}/billing/{month}/").status_code == 404
    )


def test_a_future_month_is_404(client_for, member, project):
    future = THIS.replace(year=THIS.year + 1)
    assert client_for(member).get(url(project, future)).status_code == 404


def test_linked_from_the_details_panel_and_the_options_menu(client_for, admin_user, project):
    client = client_for(admin_user)
    details = client.get(f"/projects/{project.public_id}/").content.decode()
    assert f'href="{url(project)}"' in details
    menu = client.get("/projects/menu/?partial=1").content.decode()
    assert f'<a role="menuitem" href="{url(project)}">Billing</a>' in menu


def _costs(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_a_fixed_number_of_queries_with_a_thousand_subprojects(client_for, admin_user, account):
    small = ProjectFactory(account=account, name="Small")
    large = ProjectFactory(account=account, name="Large")
    for parent, count in ((small, 3), (large, 1000)):
        for sub in bulk_subprojects(parent, count):
            add_usage(sub, 5, month=THIS)
            add_usage(sub, 5, month=LAST)
    services.billing_period_close(month=LAST)
    client = client_for(admin_user)
    # The session, the user, the project, billing's own reads, and on a month's page the
    # project the top bar names (the current one); a closed month also reads the family's
    # names and states (two queries), to link each subproject still there to its bill.
    expected = {"": 11, f"{THIS:%Y-%m}/": 13, f"{LAST:%Y-%m}/": 8}
    for path, count in expected.items():
        client.get(f"/projects/{small.public_id}/billing/{path}")  # the current project set
        client.get(f"/projects/{large.public_id}/billing/{path}")
        small_cost = _costs(client, f"/projects/{small.public_id}/billing/{path}")
        large_cost = _costs(client, f"/projects/{large.public_id}/billing/{path}")
        assert small_cost == large_cost == count, (path, small_cost, large_cost)
