from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = "Webhook endpoints and deliveries"

    def ready(self):
        from events import outbox

        from . import delivery

        outbox.listen(delivery.fan_out)
