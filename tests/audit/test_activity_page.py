"""The Activity page: /projects/{id}/activity/."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django.utils.html import escape

from accounts.models import Role
from audit.models import AuditEvent
from core.actors import Actor, Kind, Source
from projects import services
from tests.factories import GrantFactory, MembershipFactory, ProjectFactory, bulk_subprojects

from .helpers import move_in_time


def url(project, query=""):
    return f"/projects/{project.public_id}/activity/{query}"


def page(client, project, query="") -> str:
    """The table of entries as HTML ("" when there is none)."""
    response = client.get(url(project, query))
    assert response.status_code == 200, response.content.decode()[:500]
    body = response.content.decode()
    start = body.find('<table class="table cards activity">')
    return body[start : body.index("</table>", start)] if start >= 0 else ""


def listed(client, project, query="") -> list[tuple[str, str]]:
    """(action, target name) of each entry shown, in order."""
    response = client.get(url(project, query))
    assert response.status_code == 200
    return [(e.action, e.target_label) for e in response.context["events"]]


def user_actor(user, source=Source.DASHBOARD, address="198.51.100.4"):
    return Actor(Kind.USER, str(user.pk), source, address, user)


def test_a_parents_activity_includes_its_subprojects_newest_first(
    client_for, admin_user, project, subproject
):
    actor = user_actor(admin_user)
    services.project_update(project=project, name="Acme renamed", actor=actor)
    services.project_update(project=subproject, name="Taco renamed", actor=actor)
    body = page(client_for(admin_user), project)
    assert body.index("Subproject renamed") < body.index("Project renamed")
    assert "Taco Time</bdi> → <bdi>Taco renamed" in body
    assert listed(client_for(admin_user), project) == [
        ("subproject.rename", "Taco renamed"),
        ("project.rename", "Acme renamed"),
    ]
    assert admin_user.email in body and "198.51.100.4" in body and "dashboard" in body


def test_a_subprojects_activity_is_its_own(client_for, admin_user, project, subproject):
    services.project_update(project=project, name="Parent renamed")
    services.project_update(project=subproject, name="Sub renamed")
    assert listed(client_for(admin_user), subproject) == [("subproject.rename", "Sub renamed")]


def test_viewers_read_it_and_outsiders_get_404(client_for, viewer, outsider, project):
    services.project_update(project=project, name="Renamed")
    assert "Project renamed" in page(client_for(viewer), project)
    assert client_for(outsider).get(url(project)).status_code == 404
    assert client_for(outsider).get("/projects/nope/activity/").status_code == 404


def test_a_user_granted_one_subproject_sees_only_its_entries(client_for, account, project):
    mine, sibling = ProjectFactory(parent=project, name="Mine"), ProjectFactory(parent=project)
    membership = MembershipFactory(account=account, role=Role.VIEWER)
    GrantFactory(membership=membership, project=mine)
    services.project_update(project=mine, name="Mine renamed")
    services.project_update(project=sibling, name="Sibling renamed")
    client = client_for(membership.user)
    assert listed(client, mine) == [("subproject.rename", "Mine renamed")]
    assert client.get(url(project)).status_code == 404
    assert client.get(url(sibling)).status_code == 404


def test_a_removed_subprojects_history_stays_readable(client_for, admin_user, subproject):
    services.subproject_remove(subproject=subproject, actor=user_actor(admin_user))
    assert "Subproject removed" in page(client_for(admin_user), subproject)
    body = client_for(admin_user).get(url(subproject)).content.decode()
    assert "Taco Time</bdi> (removed)" in body
    assert f'href="/projects/{subproject.public_id}/"' not in body  # its details are gone


def test_operators_appear_as_the_platform(client_for, admin_user, project, operator):
    services.project_suspend(
        project=project, reason="Abuse", actor=user_actor(operator, Source.ADMIN, "10.1.2.3")
    )
    body = page(client_for(admin_user), project)
    assert "A platform operator" in body
    assert operator.email not in body and "10.1.2.3" not in body


def test_filter_by_action(client_for, admin_user, project, subproject):
    services.project_update(project=subproject, name="Renamed")
    services.subproject_remove(subproject=subproject)
    assert [a for a, _ in listed(client_for(admin_user), project, "?action=subproject.remove")] == [
        "subproject.remove"
    ]
    response = client_for(admin_user).get(url(project, "?action=nope"))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_filter_by_actor_email_or_key_id(client_for, admin_user, member, project, subproject):
    services.project_update(project=subproject, name="By admin", actor=user_actor(admin_user))
    services.project_update(project=subproject, name="By member", actor=user_actor(member))
    key, _ = services.access_key_create(project=project, display_name="k")
    key_actor = Actor(Kind.ACCESS_KEY, key.key_id, Source.API, "192.0.2.1")
    services.project_update(project=subproject, name="By key", actor=key_actor)
    client = client_for(admin_user)
    assert listed(client, project, f"?actor={member.email.upper()}") == [
        ("subproject.rename", "By member")
    ]
    assert listed(client, project, f"?actor={key.key_id}") == [("subproject.rename", "By key")]
    assert listed(client, project, "?actor=nobody@example.com") == []


def test_filter_by_date_in_the_users_time_zone(client_for, admin_user, project):
    services.project_update(project=project, name="Late on the 1st in Tokyo")
    move_in_time(AuditEvent.objects.get(), datetime(2026, 1, 1, 23, 30, tzinfo=UTC))
    admin_user.time_zone = "Asia/Tokyo"  # 08:30 on 2 January there
    admin_user.save()
    client = client_for(admin_user)
    assert "Project renamed" in page(client, project, "?since=2026-01-02&until=2026-01-02")
    assert "Project renamed" not in page(client, project, "?since=2026-01-01&until=2026-01-01")
    assert "2 Jan 2026, 08:30:00" in page(client, project)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?since=yesterday", "Enter a date as YYYY-MM-DD."),
        ("?since=2026-02-01&amp;until=2026-01-01".replace("&amp;", "&"), "“To” is before “From”."),
        ("?until=9999-12-31", "Enter a date from 2000 to 9998."),
        ("?actor=" + "x" * 300, "Ensure this value has at most 255 characters"),
    ],
)
def test_bad_filters_are_400_with_a_message(client_for, admin_user, project, query, message):
    response = client_for(admin_user).get(url(project, query))
    assert response.status_code == 400
    assert message in response.content.decode()


def test_pages_are_keyset_and_links_keep_the_filters(client_for, admin_user, project):
    subs = bulk_subprojects(project, 60)
    for sub in subs:
        services.project_update(project=sub, labels={"n": "1"})
    client = client_for(admin_user)
    first = client.get(url(project, "?action=subproject.relabel"))
    assert len(first.context["events"]) == 50
    older = first.context["page"].next_url
    assert older.startswith("?action=subproject.relabel&cursor=")
    assert f'href="{escape(url(project, older))}" rel="next">Older</a>' in first.content.decode()
    second = client.get(url(project, older))
    assert len(second.context["events"]) == 10
    assert not second.context["page"].has_next
    body = second.content.decode()
    assert 'rel="next"' not in body and "Newest" in body and 'rel="prev">Newer' in body
    seen = {e.pk for e in first.context["events"]} | {e.pk for e in second.context["events"]}
    assert len(seen) == 60
    # "Oldest" reads the index backwards: the 50 oldest, still newest first.
    oldest = client.get(url(project, first.context["page"].last_url)).context["events"]
    assert [e.pk for e in oldest] == sorted((e.pk for e in oldest), reverse=True)
    assert {e.pk for e in oldest} == seen - {e.pk for e in first.context["events"][:10]}


def test_a_forged_page_link_shows_the_newest_entries_with_a_message(
    client_for, admin_user, project
):
    # As on every core.lists page (the Activity page's own pagination showed no entries).
    services.project_update(project=project, name="Renamed")
    forged = client_for(admin_user).get(url(project, "?cursor=forged"))
    assert forged.status_code == 400
    assert "This page link is no longer valid" in forged.content.decode()
    assert [e.action for e in forged.context["events"]] == ["project.rename"]


def test_linked_from_the_details_panel_and_the_options_menu(client_for, admin_user, project):
    client = client_for(admin_user)
    link = f'href="/projects/{project.public_id}/activity/"'
    assert link in client.get(f"/projects/{project.public_id}/").content.decode()
    assert link in client.get("/projects/menu/?partial=1").content.decode()


def test_fixed_queries_whatever_the_number_of_subprojects_and_entries(
    client_for, admin_user, project, django_assert_num_queries
):
    client = client_for(admin_user)
    services.project_update(project=project, name="First")
    # session, user, the project (with the user's role), one page of entries; the top
    # bar and the navigation name the page's project (no query of their own)
    with django_assert_num_queries(4):
        client.get(url(project))
    subs = bulk_subprojects(project, 300)
    for sub in subs[:120]:
        services.project_update(project=sub, labels={"n": "1"})
    with django_assert_num_queries(4):
        response = client.get(url(project))
    assert len(response.context["events"]) == 50
    with django_assert_num_queries(4):
        client.get(url(project, "?action=subproject.relabel&actor=x&since=2020-01-01"))
    # bench/audit_activity.py measures the time with 10,000 subprojects and 1,000,000
    # entries.


def test_dates_before_now_only_show_when_asked(client_for, admin_user, project):
    services.project_update(project=project, name="Old")
    move_in_time(AuditEvent.objects.get(), timezone.now() - timedelta(days=40))
    since = (timezone.now() - timedelta(days=7)).date().isoformat()
    assert "Project renamed" not in page(client_for(admin_user), project, f"?since={since}")


def test_changes_are_shown_with_names_and_local_times(client_for, admin_user, subproject):
    admin_user.time_zone = "Asia/Tokyo"
    admin_user.save()
    services.project_suspend(project=subproject, reason="Unpaid", actor=user_actor(admin_user))
    services.project_update(project=subproject, labels={"b": "2", "a": "1"})
    body = page(client_for(admin_user), subproject)
    when = timezone.localtime(
        AuditEvent.objects.get(action="subproject.suspend").time, timezone=ZoneInfo("Asia/Tokyo")
    )
    assert f"Suspended</span>: <bdi>—</bdi> → <bdi>{when:%-d %b %Y, %H:%M}" in body
    assert "Reason</span>: <bdi>—</bdi> → <bdi>Unpaid</bdi>" in body
    assert "Labels</span>: <bdi>—</bdi> → <bdi>a=1, b=2</bdi>" in body
