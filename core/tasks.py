"""Background work on Django's Tasks framework (ADR 0125): the database backend of
django-tasks-db in production, run by `manage.py worker`; tasks run at once in tests.

A task is enqueued inside the transaction of the change that asks for it, so a change
that rolls back asks for nothing and a committed one always has its task (the backend's
row is written on the same connection).
"""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.tasks import TaskContext, TaskResultStatus, task, task_backends
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


@task
def run_command(name: str, *args: str) -> str:
    """A management command as a task (the scheduled jobs, core.schedule): its output.
    Its run is recorded (core.jobs) unless the command records itself (a ServiceCommand
    with `exclusive = True`)."""
    from django.core.management import get_commands, load_command_class

    from .jobs import recorded

    out = StringIO()
    command = load_command_class(get_commands()[name], name)
    if getattr(command, "exclusive", False):
        call_command(command, *args, stdout=out)
    else:
        with recorded(name):
            call_command(command, *args, stdout=out)
    return out.getvalue()


def requeue_stale(now=None) -> int:
    """Tasks a worker claimed more than TASK_STALE_AFTER seconds ago and never finished
    (the worker was killed or its machine lost) are made ready again: at least once, never
    lost. How many."""
    from django.conf import settings
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.TASK_STALE_AFTER)
    return (
        DBTaskResult.objects.running()
        .filter(started_at__lt=cutoff)
        .update(status=TaskResultStatus.READY)
    )
