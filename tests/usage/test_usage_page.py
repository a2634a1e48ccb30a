"""The Usage page of a project: /projects/{Project ID}/usage/."""

import io
import re
from csv import reader
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from tests.factories import (
    NASTY_NAME,
    GrantFactory,
    MembershipFactory,
    ProjectFactory,
    bulk_subprojects,
)
from tests.usage.conftest import TEST_HOUR, ingest, record
from usage import services
from usage.models import DailyUsage, FamilyDailyUsage, MonthlyUsage

HOUR = TEST_HOUR


def url(project, query=""):
    return f"/projects/{project.public_id}/usage/{query}"


@pytest.fixture
def usage(project, subproject):
    removed = ProjectFactory(parent=project, name="Removed customer", removed=True)
    ingest(
        record(project, 3),
        record(subproject, 5),
        record(subproject, 2, metric="voice.minutes"),
        record(removed, 7),
    )
    return removed


def rows(body):
    """The per-subproject table's rows: (Project ID, [quantities as text])."""
    table = body.split("data-usage-table")[1].split("</tbody>")[0]
    found = []
    for row in table.split("<tr")[2:]:
        public_id = re.search(r'data-project-id="(\w+)"', row).group(1)
        found.append((public_id, re.findall(r'<td class="num">([\d,]+)</td>', row)))
    return found


def test_shows_totals_chart_and_a_row_per_subproject(
    client_for, member, project, subproject, usage
):
    response = client_for(member).get(url(project))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Usage" in body and "<svg" in body and "chart-bar" in body
    assert "Download CSV" in body
    found = dict(rows(body))
    # The parent's own row comes first, then each subproject, removed ones marked.
    assert rows(body)[0][0] == project.public_id
    assert found[project.public_id][0] == "3"
    assert found[subproject.public_id][:3] == ["5", "0", "2"]
    assert found[usage.public_id][0] == "7" and "removed" in body
    # Totals: the parent's own usage plus every subproject's.
    total = body.split("<tfoot>")[1]
    assert re.findall(r'<td class="num">([\d,]+)</td>', total)[:3] == ["15", "0", "2"]


def test_a_subproject_page_shows_only_its_own_usage(client_for, member, project, subproject, usage):
    body = client_for(member).get(url(subproject)).content.decode()
    assert [public_id for public_id, _ in rows(body)] == [subproject.public_id]
    total = body.split("<tfoot>")[1]
    assert re.findall(r'<td class="num">([\d,]+)</td>', total)[:3] == ["5", "0", "2"]


def test_a_user_granted_only_a_subproject_sees_only_its_usage(
    client_for, account, project, subproject, usage
):
    membership = MembershipFactory(account=account, role=Role.VIEWER)
    GrantFactory(membership=membership, project=subproject)
    client = client_for(membership.user)
    assert client.get(url(project)).status_code == 404
    body = client.get(url(subproject)).content.decode()
    assert [public_id for public_id, _ in rows(body)] == [subproject.public_id]


def test_viewers_see_usage(client_for, viewer, project, usage):
    assert client_for(viewer).get(url(project)).status_code == 200


def test_outsider_and_unknown_ids_get_404(client_for, outsider, admin_user, project):
    assert client_for(outsider).get(url(project)).status_code == 404
    assert (
        client_for(admin_user).get("/projects/01ARZ3NDEKTSV4RRFFQ69G5FAV/usage/").status_code == 404
    )


def test_sorting_by_a_metric(client_for, member, project, subproject, usage):
    client = client_for(member)
    body = client.get(url(project, "?sort=sms.outbound&order=desc")).content.decode()
    order = [public_id for public_id, _ in rows(body)]
    assert order == [project.public_id, usage.public_id, subproject.public_id]
    body = client.get(url(project, "?sort=sms.outbound&order=asc")).content.decode()
    assert [public_id for public_id, _ in rows(body)][1:] == [subproject.public_id, usage.public_id]
    assert 'aria-sort="ascending"' in body


def test_pages_of_the_table_by_position_keep_the_sort(client_for, member, project):
    subs = bulk_subprojects(project, 120)
    ingest(*(record(sub, 1 + i % 7) for i, sub in enumerate(subs)))
    client = client_for(member)
    query = "?sort=sms.outbound&order=desc"
    shown, link = [], url(project, query)
    while link:
        response = client.get(link)
        page = response.context["page"]
        shown += [row.public_id for row in page.rows]
        assert len(page.rows) <= 50 and "sort=sms.outbound&order=desc" in page.next_url + link
        link = url(project, page.next_url) if page.has_next else ""
    assert page.range_text == "101\u2013121" and page.count_text == "121 projects"
    csv = client.get(f"/projects/{project.public_id}/usage/usage.csv{query}")
    in_csv = [row[1] for row in reader(io.StringIO(b"".join(csv.streaming_content).decode()))]
    assert shown == in_csv[1:-1]  # the CSV's rows in the same order, its header and total aside
    back = client.get(url(project, page.previous_url)).context["page"]
    assert [row.public_id for row in back.rows] == shown[50:100]
    last = client.get(url(project, query + "&cursor=last")).context["page"]
    assert [row.public_id for row in last.rows] == shown[-50:]
    forged = client.get(url(project, query + "&cursor=forged"))
    assert (
        forged.status_code == 400 and "This page link is no longer valid" in forged.content.decode()
    )
    assert [row.public_id for row in forged.context["page"].rows] == shown[:50]


def test_chart_metric_choice(client_for, member, project, usage):
    body = client_for(member).get(url(project, "?metric=voice.minutes")).content.decode()
    assert "Daily Voice (minutes)" in body
    assert f"{HOUR:%-d %b %Y}: 2 minutes" in body


def test_last_month_and_custom_periods(client_for, member, project, usage):
    client = client_for(member)
    body = client.get(url(project, "?period=last_month")).content.decode()
    assert 'aria-current="true">Last month' in body
    start = (HOUR - timedelta(days=3)).date()
    body = client.get(url(project, f"?start={start}&end={HOUR.date()}")).content.decode()
    assert dict(rows(body))[project.public_id][0] == "3"


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("?period=custom&start=2026-02-01&end=2026-01-01", "must not be before the start date"),
        ("?period=custom&start=2025-01-01&end=2026-02-01", "at most 13 months"),
        ("?period=custom&start=2026-02-01", "Choose the last day"),
        ("?period=custom&start=nope&end=2026-01-01", "Enter a valid date"),
        ("?sort=price", "sort: Select a valid choice"),
    ],
)
def test_bad_input_is_refused_with_a_message(client_for, member, project, query, words):
    response = client_for(member).get(url(project, query))
    assert response.status_code == 400
    assert words in response.content.decode()


def test_no_usage_still_draws_an_empty_chart(client_for, member, project):
    body = client_for(member).get(url(project)).content.decode()
    assert "No usage in this period" in body and "chart-bar" not in body


def test_names_are_escaped(client_for, member, project):
    ProjectFactory(parent=project, name=NASTY_NAME)
    body = client_for(member).get(url(project)).content.decode()
    assert "<script>alert" not in body and "&lt;script&gt;" in body


def test_purged_subprojects_keep_their_name_and_usage(client_for, admin_user, project, usage):
    from projects import services as project_services

    type(usage).objects.filter(pk=usage.pk).update(removed_at=timezone.now() - timedelta(days=31))
    before = client_for(admin_user).get(url(project)).content.decode()
    project_services.purge_removed_subprojects()
    after = client_for(admin_user).get(url(project)).content.decode()
    assert "Removed customer" in after and "purged" in after
    assert dict(rows(after))[usage.public_id] == dict(rows(before))[usage.public_id]
    assert before.split("<tfoot>")[1] == after.split("<tfoot>")[1]


def test_linked_from_the_details_panel_and_the_projects_menu(client_for, member, project):
    client = client_for(member)
    link = f'href="/projects/{project.public_id}/usage/"'
    assert link in client.get(f"/projects/{project.public_id}/").content.decode()
    assert link in client.get("/projects/menu/").content.decode()


def test_fixed_query_count_with_1000_subprojects(
    client_for, admin_user, project, django_assert_num_queries
):
    subs = bulk_subprojects(project, 1000)
    days = {
        (sub.public_id, metric, (HOUR - timedelta(days=40 + d)).date()): 1
        for sub in subs
        for metric in ("sms.outbound", "api.requests")
        for d in range(3)
    }
    services.usage_history_add(days=days)
    ingest(*(record(sub, 2) for sub in subs[:500]))
    client = client_for(admin_user)
    client.get(url(project))  # warm up (session, content types)
    with django_assert_num_queries(5):
        response = client.get(url(project, "?sort=sms.outbound&order=desc"))
    assert response.status_code == 200
    third = url(project, "?period=last_month")
    for _ in range(2):
        third = url(project, client.get(third).context["page"].next_url)
    with django_assert_num_queries(5):
        response = client.get(third)
    assert response.status_code == 200
    assert response.context["page"].range_text == "101\u2013150"
    assert (
        DailyUsage.objects.count()
        and MonthlyUsage.objects.count()
        and FamilyDailyUsage.objects.count()
    )


def test_a_removed_subprojects_page_stays_readable(client_for, member, project, usage):
    body = client_for(member).get(url(usage)).content.decode()
    assert "This subproject was removed" in body
    assert dict(rows(body))[usage.public_id][0] == "7"


def test_days_still_to_come_are_not_drawn(client_for, member, project, usage):
    """A period reaching into the future: the chart and its table stop today, instead of
    drawing the days to come as days without usage."""
    today = timezone.now().date()
    start, end = today - timedelta(days=5), today + timedelta(days=5)
    body = client_for(member).get(url(project, f"?start={start}&end={end}")).content.decode()
    assert f'<time datetime="{today.isoformat()}">' in body
    tomorrow = today + timedelta(days=1)
    assert f'<time datetime="{tomorrow.isoformat()}">' not in body
    assert body.count('class="chart-day"') == 2 * 6  # six days, in each drawing
