"""The real task queue in tests: the database backend (most tests run tasks at once, with
Django's immediate backend) and its worker, run in the test's own process."""

from io import StringIO
from unittest import mock

from django.core.management import call_command

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker(**options) -> str:
    """`manage.py worker --batch --no-schedule`: every task due now, then return; its
    output. `schedule=True` also enqueues the scheduled jobs due (core.schedule)."""
    out = StringIO()
    options = {
        "batch": True,
        "reload": False,
        "startup_delay": False,
        "interval": 0,
        "schedule": False,
        **options,
    }
    # The worker closes connections it finds in a transaction (a long-lived process's
    # hygiene); in a test that transaction is the test's own, so it must stay open.
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        call_command("worker", stdout=out, **options)
    return out.getvalue()
