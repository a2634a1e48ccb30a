"""Every time the dashboard shows says its zone, the user's (accounts' profile page)."""

from datetime import UTC, datetime, timedelta

from django.template import Context, Template
from django.utils import timezone

from projects import services
from projects.models import AccessKey, Project
from tests.factories import ProjectFactory

LATE = datetime(2026, 1, 1, 23, 30, tzinfo=UTC)


def test_the_tag_writes_the_abbreviation_and_names_the_zone():
    template = Template(
        '{% load project_rows %}{% local_time when %}|{% local_time when "j M Y" %}'
    )
    with timezone.override("Asia/Tokyo"):
        html = template.render(Context({"when": LATE}))
    assert html == (
        '<time datetime="2026-01-02T08:30:00+09:00" title="Asia/Tokyo">2 Jan 2026, 08:30 JST</time>'
        '|<time datetime="2026-01-02T08:30:00+09:00" title="Asia/Tokyo">2 Jan 2026 JST</time>'
    )


def in_zone(user, zone):
    user.time_zone = zone
    user.save(update_fields=["time_zone"])


def test_the_pages_show_times_with_their_zone(client_for, member, project):
    in_zone(member, "America/New_York")
    sub = ProjectFactory(parent=project, name="Late")
    Project.objects.filter(pk=sub.pk).update(created_at=LATE)
    key, _ = services.access_key_create(
        project=sub, display_name="k", expires_at=timezone.now() + timedelta(days=7)
    )
    AccessKey.objects.filter(pk=key.pk).update(created_at=LATE, last_used_at=LATE)
    services.project_suspend(project=sub, reason="Unpaid")
    client = client_for(member)
    subprojects = client.get(f"/projects/{project.public_id}/subprojects/").content.decode()
    assert "1 Jan 2026, 18:30 EST</time>" in subprojects
    details = client.get(f"/projects/{sub.public_id}/").content.decode()
    assert "Created <time" in details and "1 Jan 2026, 18:30 EST</time>" in details
    # Created, last used, expires, suspended since: each one with its zone.
    assert details.count(" EST</time>") + details.count(" EDT</time>") >= 5
    activity = client.get(f"/projects/{sub.public_id}/activity/").content.decode()
    assert ' title="America/New_York">' in activity


def test_restore_deadlines_follow_the_zone(client_for, member, project):
    in_zone(member, "Asia/Kolkata")
    sub = ProjectFactory(parent=project, name="Gone")
    services.subproject_remove(subproject=sub)
    Project.objects.filter(pk=sub.pk).update(removed_at=timezone.now() - timedelta(days=1))
    body = client_for(member).get(f"/projects/{project.public_id}/subprojects/removed/")
    assert body.content.decode().count(" IST</time>") == 2  # removed, restorable until
