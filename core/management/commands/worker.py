import logging
import os
import threading

from django.conf import settings
from django.db import OperationalError, connection
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker
from django_tasks_db.utils import is_locked_database_exception

from core import schedule
from core.tasks import requeue_stale

logger = logging.getLogger("core.schedule")


def tick() -> None:
    """Enqueue the scheduled jobs that are due, and make stale tasks ready again."""
    schedule.enqueue_due()
    if stale := requeue_stale():
        logger.warning("Requeued %d task(s) whose worker stopped in their middle", stale)


def ticking(stop: threading.Event) -> None:
    while not stop.wait(settings.SCHEDULE_TICK):
        try:
            tick()
        except Exception:  # a database hiccup: the next tick tries again
            logger.exception("Scheduler tick failed")
        finally:
            # Between ticks this thread holds no connection: a pooled one goes back to
            # the pool the task loop borrows from (DATABASE_POOL_SIZE), a broken one away.
            connection.close()


class Command(db_worker.Command):
    help = (
        "Run the background work: emails (with retries), the scheduled jobs "
        "(settings.TASK_SCHEDULE) and every other task the console enqueues, from the "
        "database queue (django-tasks-db's worker, all queues by default). Run as many "
        "as you like, on any servers sharing the database: each task is claimed by one "
        "worker, each scheduled run enqueued once. Stops after the task in hand on "
        "SIGINT/SIGTERM. `make run` starts one beside the web server."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(queue_name="*")
        parser.add_argument(
            "--no-schedule",
            action="store_false",
            dest="schedule",
            help="Do not enqueue the scheduled jobs from this worker.",
        )

    def handle(self, *args, schedule=True, **options):
        # With --reload (DEBUG), the process that only watches files does not tick.
        watcher = options["reload"] and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        if schedule and not watcher:
            tick()  # at once: due jobs and stale tasks, before the first task
            if not options["batch"]:
                threading.Thread(target=ticking, args=(threading.Event(),), daemon=True).start()
        while True:
            try:
                return super().handle(*args, **options)
            except OperationalError as error:
                # SQLite: django-tasks-db takes its claiming transaction (BEGIN
                # EXCLUSIVE) outside the try that forgives a locked database, so a busy
                # writer (the web server, another worker) would end this worker. Wait
                # and go on: nothing was claimed, so nothing is lost.
                if not is_locked_database_exception(error):
                    raise
                logger.warning("The database was locked; the worker tries again")
                connection.close()
