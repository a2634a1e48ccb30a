from django.core.management.base import BaseCommand

from webhooks import delivery


class Command(BaseCommand):
    help = (
        "Enqueue webhook delivery for every enabled endpoint that has a delivery due and "
        "no worker holding it (its worker died mid-delivery, or a retry's task was lost): "
        "nothing waits longer than this job's period. Scheduled every minute "
        "(TASK_SCHEDULE); --now delivers in this process instead of enqueueing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="deliver here, now")

    def handle(self, *args, now=False, **options):
        if now:
            from webhooks.models import Endpoint

            sent = sum(
                delivery.deliver.call(pk) for pk in Endpoint.objects.values_list("pk", flat=True)
            )
            self.stdout.write(f"Delivered {sent} event(s).")
            return
        self.stdout.write(f"Enqueued delivery for {delivery.sweep()} endpoint(s).")
