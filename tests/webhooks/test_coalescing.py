"""One queued `deliver` task per endpoint, not one per change (webhooks.delivery.wake,
ADR 0122), and no delivery left without a task when a change commits while the task
starts (PostgreSQL, two threads)."""

import json
import threading
import time

import pytest
from django.db import connections, transaction
from django_tasks_db.models import DBTaskResult

from projects import services as project_services
from tests.servers.support import require_postgresql
from tests.support.tasks import run_worker
from webhooks.models import Delivery, Endpoint

pytestmark = pytest.mark.django_db(transaction=True)


def queued_deliver_tasks() -> int:
    return DBTaskResult.objects.ready().filter(task_path="webhooks.delivery.deliver").count()


def test_changes_queue_one_deliver_task_per_endpoint(receiver, endpoint, project):
    sub = project_services.subproject_create(parent=project, name="Coalesced")
    for i in range(20):
        project_services.project_update(project=sub, name=f"Coalesced {i}")
    assert Delivery.objects.count() == 21
    assert queued_deliver_tasks() == 1  # not 21
    assert Endpoint.objects.get().delivery_pending

    run_worker()
    sequences = [json.loads(body)["sequence"] for _, body in receiver.requests]
    assert sequences == list(range(1, 22))
    assert not Delivery.objects.filter(status="pending").exists()
    assert not Endpoint.objects.get().delivery_pending
    assert queued_deliver_tasks() == 0

    project_services.project_update(project=sub, name="Coalesced again")  # a task again
    assert queued_deliver_tasks() == 1
    run_worker()
    assert len(receiver.requests) == 22


def test_a_change_committing_while_the_task_starts_is_not_stranded(receiver, endpoint, project):
    """The change sees a task queued (so queues none) and commits just after that task
    starts: the task must still send its event (it waits for the change's commit before
    it looks), else nothing would until the sweeper's next minute."""
    require_postgresql()
    sub = project_services.subproject_create(parent=project, name="Racing")
    assert queued_deliver_tasks() == 1  # the creation's: not yet run
    changed = threading.Event()

    def late_change():
        try:
            with transaction.atomic():
                project_services.project_update(project=sub, name="Late")
                changed.set()
                time.sleep(1)  # the worker starts its task now
        finally:
            connections.close_all()

    thread = threading.Thread(target=late_change)
    thread.start()
    assert changed.wait(10)
    run_worker()  # here: the worker sets signal handlers, which only the main thread may
    thread.join()

    run_worker()  # whatever task the change queued (none is needed)
    assert not Delivery.objects.filter(status="pending").exists()
    assert [b'"Late"' in body for _, body in receiver.requests] == [False, True]
