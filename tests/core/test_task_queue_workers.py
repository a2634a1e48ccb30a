"""Several `manage.py worker` processes share one queue on PostgreSQL: each task runs
once (django-tasks-db claims a row with SELECT … FOR UPDATE SKIP LOCKED)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django_tasks_db.models import DBTaskResult

from core.emails import queue_mail
from tests.servers.support import ROOT, database_url, require_postgresql

pytestmark = pytest.mark.django_db(transaction=True)


def start_worker(mail_dir: Path, worker_id: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.support.server_settings",
        "DATABASE_URL": database_url(),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "EMAIL_URL": f"filemail:///{mail_dir}",  # four slashes: absolute
        "DEBUG": "0",
    }
    command = [sys.executable, "manage.py", "worker", "--batch", "--no-reload"]
    command += ["--no-startup-delay", "--interval", "0", "--worker-id", worker_id]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)


def test_two_workers_send_every_email_once(database_queue, tmp_path):
    require_postgresql()
    subjects = [f"Email {n}" for n in range(60)]
    for subject in subjects:
        queue_mail(subject, "body", None, ["a@example.com"])

    workers = [start_worker(tmp_path, f"worker-{n}") for n in (1, 2)]
    for worker in workers:
        worker.communicate(timeout=120)
        assert worker.returncode == 0

    sent = [
        line.removeprefix("Subject: ")
        for path in tmp_path.iterdir()
        for line in path.read_text().splitlines()
        if line.startswith("Subject: ")
    ]
    assert sorted(sent) == sorted(subjects)
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert {ids[0] for ids in DBTaskResult.objects.values_list("worker_ids", flat=True)} <= {
        "worker-1",
        "worker-2",
    }
