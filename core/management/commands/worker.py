from django_tasks_db.management.commands import db_worker


class Command(db_worker.Command):
    help = (
        "Run the background work: emails (with retries) and every other task the console "
        "enqueues, from the database queue (django-tasks-db's worker, all queues by "
        "default). Run as many as you like, on any servers sharing the database: each "
        "task is claimed by one worker. Stops after the task in hand on SIGINT/SIGTERM. "
        "`make run` starts one beside the web server."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(queue_name="*")
