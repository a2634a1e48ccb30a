"""The Removed tab of the Subprojects page: removed in the last 30 days, with Restore."""

from datetime import UTC, datetime, timedelta

from django.utils import timezone
from django.utils.html import escape

from projects.models import Project
from tests.factories import NASTY_NAME, ProjectFactory, bulk_subprojects
from tests.support.pages import link


def url(project):
    return f"/projects/{project.public_id}/subprojects/removed/"


def removed(parent, name, *, ago):
    sub = ProjectFactory(parent=parent, name=name)
    Project.objects.filter(pk=sub.pk).update(removed_at=timezone.now() - ago)
    return sub


def test_reachable_from_the_subprojects_page(client_for, member, project):
    body = client_for(member).get(f"/projects/{project.public_id}/subprojects/").content.decode()
    assert f'href="{url(project)}"' in body


def test_lists_recent_removals_with_dates_and_restore(client_for, member, project, subproject):
    recent = removed(project, "Recent", ago=timedelta(hours=1))
    older = removed(project, "Older", ago=timedelta(days=10))
    removed(project, "Too old", ago=timedelta(days=31))
    response = client_for(member).get(url(project))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.index("Recent") < body.index("Older")  # most recently removed first
    assert "Too old" not in body and "Taco Time" not in body  # purged soon; not removed
    older.refresh_from_db()
    deadline = older.removed_at + timedelta(days=30)
    assert f'datetime="{deadline.isoformat()}"' in body
    assert f'action="/projects/{recent.public_id}/restore/"' in body
    assert ">Restore</button>" in body


def test_restore_from_the_list(client_for, member, project):
    gone = removed(project, "Back soon", ago=timedelta(days=2))
    client = client_for(member)
    client.get(url(project))
    response = client.post(f"/projects/{gone.public_id}/restore/", follow=True)
    assert not Project.objects.get(pk=gone.pk).is_removed
    assert "Subproject “Back soon” restored." in response.content.decode()
    assert "Back soon" not in client.get(url(project)).content.decode()


def test_times_are_in_the_users_time_zone(client_for, member, project):
    sub = ProjectFactory(parent=project, name="Late")
    when = timezone.now().replace(hour=23, minute=30) - timedelta(days=1)
    Project.objects.filter(pk=sub.pk).update(removed_at=when.astimezone(UTC))
    member.time_zone = "Asia/Tokyo"
    member.save()
    body = client_for(member).get(url(project)).content.decode()
    tokyo = when.astimezone(timezone.get_fixed_timezone(9 * 60))
    assert tokyo.strftime("%-d %b %Y, 08:30") in body


def test_empty_state(client_for, member, project):
    body = client_for(member).get(url(project)).content.decode()
    assert "No subproject was removed in the last 30 days." in body


def test_outsider_gets_404(client_for, outsider, project):
    removed(project, "Secret", ago=timedelta(days=1))
    assert client_for(outsider).get(url(project)).status_code == 404


def test_viewer_sees_the_list_without_restore(client_for, viewer, project):
    gone = removed(project, "Viewed", ago=timedelta(days=1))
    body = client_for(viewer).get(url(project)).content.decode()
    assert "Viewed" in body
    assert "/restore/" not in body and ">Restore</button>" not in body
    assert client_for(viewer).post(f"/projects/{gone.public_id}/restore/").status_code == 403


def test_a_subprojects_removed_page_says_it_has_none(client_for, member, subproject):
    body = client_for(member).get(url(subproject)).content.decode()
    assert "is itself a subproject" in body


def test_names_are_escaped(client_for, member, project):
    removed(project, NASTY_NAME, ago=timedelta(days=1))
    body = client_for(member).get(url(project)).content.decode()
    assert "<script>alert" not in body and escape(NASTY_NAME) in body


def test_1000_removed_fixed_queries(client_for, member, project, django_assert_num_queries):
    rows = bulk_subprojects(project, 1000)
    Project.objects.filter(pk__in=[r.pk for r in rows]).update(
        removed_at=datetime.now(UTC) - timedelta(days=1)
    )
    client = client_for(member)
    client.get(url(project))  # becomes the current project
    # session, user, project, count, page of 50
    with django_assert_num_queries(5):
        body = client.get(url(project)).content.decode()
    assert "<strong>1,000 removed subprojects</strong>" in body
    with django_assert_num_queries(5):
        body = client.get(link(body, "Next")).content.decode()
    assert body.count("<tr") == 51 and body.count(">Restore</button>") == 50
    assert "51\u2013100 of 1,000 removed subprojects" in body
