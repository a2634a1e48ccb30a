from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Shared records: idempotency and failure counters"

    def ready(self):
        from . import converters

        converters.register()
