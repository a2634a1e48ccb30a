"""suspend_project, resume_project and purge_audit_events."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from audit.models import AuditEvent
from projects import services
from tests.support.api_client import key_header

from .helpers import move_in_time, only_event


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_suspend_project_by_the_platform(client, project, subproject):
    auth = key_header(subproject)
    output = run("suspend_project", subproject.public_id, "--reason", "Chargebacks")
    assert output.startswith(f"Suspended Acme Production > Taco Time ({subproject.public_id})")
    subproject.refresh_from_db()
    assert subproject.suspended_by_platform and subproject.suspend_reason == "Chargebacks"
    event = only_event("subproject.suspend")
    assert (event.actor_type, event.actor_id, event.source) == (
        "command",
        "suspend_project",
        "command",
    )
    response = client.get(
        f"/api/v1/subprojects/{subproject.public_id}", headers={"Authorization": auth}
    )
    assert response.status_code == 403
    assert "resumed" in run("resume_project", subproject.public_id).lower()
    assert only_event("subproject.resume").actor_id == "resume_project"
    assert (
        client.get(
            f"/api/v1/subprojects/{subproject.public_id}", headers={"Authorization": auth}
        ).status_code
        == 200
    )


def test_resume_project_that_is_not_suspended_says_so(project):
    assert "is not suspended" in run("resume_project", project.public_id)
    assert not AuditEvent.objects.filter(action="project.resume").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["suspend_project", "01ARZ3NDEKTSV4RRFFQ69G5FAV", "--reason", "x"], "No project has"),
        (["resume_project", "nope"], "No project has"),
        (["suspend_project", "{project}", "--reason", " "], "Reason cannot be empty."),
        (["purge_audit_events", "--older-than-days", "0"], "at least 365"),
        (["purge_audit_events", "--older-than-days", "364"], "at least 365"),
        (["purge_audit_events", "--older-than-days", "9999999999"], "too large"),
    ],
)
def test_bad_input_is_refused_with_a_message(project, args, message):
    args = [a.format(project=project.public_id) for a in args]
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not AuditEvent.objects.filter(action__endswith="suspend").exists()


def test_suspend_project_needs_a_reason(project):
    with pytest.raises(CommandError, match="--reason"):
        run("suspend_project", project.public_id)


def test_purge_audit_events_is_idempotent_and_prints_counts(project):
    for name in ("one", "two", "three"):
        services.project_update(project=project, name=name)
    old = AuditEvent.objects.order_by("id")[:2]
    for event in old:
        move_in_time(event, timezone.now() - timedelta(days=401))
    output = run("purge_audit_events")
    assert output.startswith("Deleted 2 audit event(s) older than 400 days")
    assert output.strip().endswith("2 remain.")  # the newest rename and the purge's own
    assert run("purge_audit_events").startswith("Deleted 0 audit event(s)")
    assert only_event("audit.purge").actor_id == "purge_audit_events"
    assert run("purge_audit_events", "--older-than-days", "365").startswith("Deleted 0")
