"""Background work on Django's Tasks framework (ADR 0125): the database backend of
django-tasks-db in production, run by `manage.py worker`; tasks run at once in tests.

A task is enqueued inside the transaction of the change that asks for it, so a change
that rolls back asks for nothing and a committed one always has its task (the backend's
row is written on the same connection).
"""

from datetime import timedelta

from django.tasks import TaskContext, task_backends
from django.utils import timezone


def retry_later(context: TaskContext, schedule: list[int], attempt: int, *args, **kwargs) -> bool:
    """Enqueue the running task again, `schedule[attempt - 1]` seconds from now, with
    `attempt=attempt + 1`. False when the schedule is used up, or when the backend
    cannot run a task later (the immediate backend of the tests): the caller gives up."""
    result = context.task_result
    backend = task_backends[result.backend]
    if attempt > len(schedule) or not backend.supports_defer:
        return False
    run_after = timezone.now() + timedelta(seconds=schedule[attempt - 1])
    result.task.using(backend=result.backend, run_after=run_after).enqueue(
        *args, **kwargs, attempt=attempt + 1
    )
    return True
