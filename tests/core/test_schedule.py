"""Scheduled work on the task queue (core.schedule, settings.TASK_SCHEDULE): each due
job enqueued once, whichever worker ticks; stale tasks made ready again."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from accounts.models import Role
from billing import services
from billing.models import SpendAlert
from core import schedule
from core.models import ScheduledJob
from core.tasks import requeue_stale
from tests.billing.conftest import THIS, add_usage
from tests.factories import MembershipFactory
from tests.support.tasks import run_worker

pytestmark = pytest.mark.django_db(transaction=True)

NOON = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


@pytest.fixture
def two_jobs(settings, database_queue):
    settings.TASK_SCHEDULE = {
        "often": {"command": ["purge_expired_records"], "every": 600},
        "daily": {"command": ["purge_usage_records"], "at": "03:15"},
    }


def enqueued_commands():
    return sorted(
        tuple(row.args_kwargs["args"]) for row in DBTaskResult.objects.order_by("enqueued_at")
    )


def test_an_every_job_is_due_at_once_and_a_daily_one_at_its_time(two_jobs):
    assert schedule.enqueue_due(NOON) == ["often"]
    assert ScheduledJob.objects.get(name="often").next_run_at == NOON + timedelta(minutes=10)
    assert ScheduledJob.objects.get(name="daily").next_run_at == datetime(
        2026, 12, 7, 3, 15, tzinfo=UTC
    )
    assert enqueued_commands() == [("purge_expired_records",)]


def test_a_job_is_enqueued_once_per_due_time_however_many_ticks(two_jobs):
    for _ in range(3):
        schedule.enqueue_due(NOON)
    schedule.enqueue_due(NOON + timedelta(minutes=5))
    assert len(enqueued_commands()) == 1

    schedule.enqueue_due(NOON + timedelta(minutes=10))
    schedule.enqueue_due(datetime(2026, 12, 7, 3, 16, tzinfo=UTC))
    assert enqueued_commands() == [
        ("purge_expired_records",),
        ("purge_expired_records",),
        ("purge_expired_records",),
        ("purge_usage_records",),
    ]


def test_runs_missed_while_no_worker_was_up_are_run_once(two_jobs):
    schedule.enqueue_due(NOON)
    schedule.enqueue_due(NOON + timedelta(days=3))  # three days without a worker
    assert [c for c in enqueued_commands() if c == ("purge_usage_records",)] == [
        ("purge_usage_records",)
    ]


def test_the_worker_runs_the_due_jobs(settings, database_queue, account, subproject):
    settings.TASK_SCHEDULE = {
        "check_spend_limits": {"command": ["check_spend_limits"], "every": 900}
    }
    MembershipFactory(account=account, role=Role.ADMIN)
    services.spend_limit_set(project=subproject, amount="1.00", mode="block")
    add_usage(subproject, 100, month=THIS)  # written without the ingest's signal
    DBTaskResult.objects.all().delete()

    run_worker(schedule=True)  # ticks at start: check_spend_limits, then its alert emails

    run = DBTaskResult.objects.get(task_path="core.tasks.run_command")
    assert run.status == "SUCCESSFUL"
    assert "Checked 1 spend limit" in run.return_value
    assert SpendAlert.objects.exists()
    assert mail.outbox  # the alerts' emails, sent by the same worker


def test_the_default_schedule_names_commands_that_exist():
    from django.conf import settings
    from django.core.management import get_commands

    for job in schedule.jobs():
        assert job.command[0] in get_commands(), job.name
        assert bool(job.every) != bool(job.at), job.name
    assert set(settings.TASK_SCHEDULE) >= {
        "check_spend_limits",
        "purge_removed_subprojects",
        "purge_usage_records",
        "purge_audit_events",
    }


def test_a_task_whose_worker_died_is_run_again(database_queue, settings):
    from core.emails import queue_mail

    settings.TASK_STALE_AFTER = 600
    queue_mail("Stuck", "body", None, ["a@example.com"])
    row = DBTaskResult.objects.get()
    row.claim("a-worker-that-was-killed")
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=NOON)

    assert requeue_stale(NOON + timedelta(minutes=9)) == 0
    assert requeue_stale(NOON + timedelta(minutes=11)) == 1
    run_worker()

    assert [m.subject for m in mail.outbox] == ["Stuck"]
