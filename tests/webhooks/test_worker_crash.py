"""A worker killed (SIGKILL) in the middle of a delivery loses nothing: the endpoint's
lease runs out, the sweeper (deliver_webhooks) enqueues it again and the next worker
delivers the event. PostgreSQL: the worker is a real process sharing the database."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from projects import services as project_services
from tests.servers.support import ROOT, database_url, require_postgresql
from tests.support.receiver import Receiver
from tests.support.tasks import run_worker
from webhooks import delivery, services
from webhooks.models import Attempt, Delivery, Endpoint

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_worker_killed_mid_delivery_loses_nothing(project, database_queue, settings):
    require_postgresql()
    settings.WEBHOOK_ALLOW_PRIVATE = True
    receiver = Receiver(delay=30)  # the first delivery hangs: the worker is killed then
    try:
        services.endpoint_create(project=project, url=receiver.url)
        project_services.subproject_create(parent=project, name="Survivor")
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.support.server_settings",
            "DATABASE_URL": database_url(),
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "WEBHOOK_ALLOW_PRIVATE": "1",
            "DEBUG": "0",
        }
        worker = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "worker",
                "--no-reload",
                "--no-startup-delay",
                "--no-schedule",
                "--interval",
                "0.1",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while not receiver.requests and time.monotonic() < deadline:
            time.sleep(0.1)
        assert receiver.requests, "the worker never sent the delivery"
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)

        pending = Delivery.objects.get()
        assert pending.status == "pending" and not Attempt.objects.exists()
        assert Endpoint.objects.get().leased_until is not None  # held by the dead worker

        receiver.delay = 0
        assert delivery.sweep() == 0  # the lease is still running
        Endpoint.objects.update(leased_until=timezone.now() - timedelta(seconds=1))
        assert delivery.sweep() == 1
        run_worker()

        assert Delivery.objects.get().status == "succeeded"
        assert len(receiver.requests) == 2  # at least once: the receiver saw it twice
        assert receiver.requests[0][0]["webhook-id"] == receiver.requests[1][0]["webhook-id"]
    finally:
        receiver.close()
