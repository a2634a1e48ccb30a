"""Each scheduled job records its last runs (core.jobs): success with its counts,
failure with its error and a non-zero exit, a skip when another run holds the lock;
/metrics and the admin show them."""

import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.utils import timezone

from core import jobs, locks
from core.models import IdempotencyRecord, JobRun
from core.tasks import run_command


def run(name, *args) -> str:
    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def scraper(client, settings):
    settings.METRICS_ALLOWED_NETWORKS = ["127.0.0.1"]
    return client


def test_a_success_is_recorded_with_its_counts(db):
    now = timezone.now()
    IdempotencyRecord.objects.create(scope="s", key="old", result="x", expires_at=now)
    run("purge_expired_records")
    job = JobRun.objects.get(name="purge_expired_records")
    assert job.last_success_at is not None and job.last_failure_at is None
    assert job.last_counts == {"idempotency_records": 1, "failure_counters": 0}
    assert job.last_duration_ms is not None


def test_a_failure_is_recorded(db, monkeypatch):
    from core import idempotency

    def broken(now=None):
        raise RuntimeError("disk full")

    monkeypatch.setattr(idempotency, "purge_expired", broken)
    with pytest.raises(RuntimeError):  # a traceback, and exit status 1, from manage.py
        run("purge_expired_records")
    job = JobRun.objects.get(name="purge_expired_records")
    assert job.last_failure_at is not None and job.last_success_at is None
    assert job.last_error == "RuntimeError: disk full"


def test_a_refused_run_exits_non_zero(db, monkeypatch):
    """As cron runs it (manage.py NAME): a CommandError is exit status 1."""
    from django.core.management import ManagementUtility
    from django.db import connections

    from core import idempotency

    def refused(now=None):
        raise CommandError("the purge was refused")

    monkeypatch.setattr(idempotency, "purge_expired", refused)
    # run_from_argv closes every connection when it ends; the test's transaction lives on.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "purge_expired_records"]).execute()
    assert exited.value.code == 1
    assert JobRun.objects.get().last_error == "CommandError: the purge was refused"


def test_a_command_error_is_recorded_as_a_failure(db):
    with pytest.raises(CommandError), jobs.recorded("some_job"):
        raise CommandError("No such month.")
    assert JobRun.objects.get(name="some_job").last_error == "CommandError: No such month."


def test_a_skip_is_recorded_and_said(db, monkeypatch):
    def taken(name):
        raise locks.NotAcquired(name)

    monkeypatch.setattr("core.commands.exclusively", taken)
    out = run("purge_expired_records")
    assert out == "Another purge_expired_records is running right now; this run did nothing.\n"
    job = JobRun.objects.get(name="purge_expired_records")
    assert job.last_skipped_at is not None and job.last_success_at is None


def test_the_task_queue_records_any_command_it_runs(db):
    run_command.call("clearsessions")
    assert JobRun.objects.get(name="clearsessions").last_success_at is not None


def test_the_task_queue_and_the_command_record_one_run(db):
    run_command.call("purge_expired_records")
    job = JobRun.objects.get()
    assert job.name == "purge_expired_records"
    assert job.last_counts == {"idempotency_records": 0, "failure_counters": 0}


def test_clearsessions_is_scheduled(settings):
    assert settings.TASK_SCHEDULE["clearsessions"]["command"] == ["clearsessions"]


def test_metrics_show_the_last_runs(scraper, db):
    run("purge_expired_records")
    JobRun.objects.create(
        name="purge_usage_records", last_failure_at=timezone.now() - timedelta(hours=1)
    )
    text = scraper.get("/metrics").content.decode()
    assert 'console_job_last_success_timestamp_seconds{job="purge_expired_records"}' in text
    assert 'console_job_last_failure_timestamp_seconds{job="purge_usage_records"}' in text
    count = 'console_job_last_success_count{count="idempotency_records",'
    assert count + 'job="purge_expired_records"} 0.0' in text


def test_the_admin_lists_them_read_only(client, db):
    from tests.factories import UserFactory

    run("purge_expired_records")
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    page = client.get("/admin/core/jobrun/")
    assert page.status_code == 200 and "purge_expired_records" in page.content.decode()
    assert client.get("/admin/core/jobrun/add/").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_a_real_second_run_is_recorded_as_a_skip():
    if connection.vendor != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's")
    acquired, release = threading.Event(), threading.Event()

    def hold():
        try:
            with locks.exclusively("command:purge_expired_records"):
                acquired.set()
                release.wait(10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert acquired.wait(10)
        assert "did nothing" in run("purge_expired_records")
    finally:
        release.set()
        holder.join()
    assert JobRun.objects.get(name="purge_expired_records").last_skipped_at is not None
