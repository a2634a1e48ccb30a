from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = "Billing: prices, monthly statements, spend limits"

    def ready(self):
        from . import receivers  # noqa: F401 - spend limits hear about new usage
