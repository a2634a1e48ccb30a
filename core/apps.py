from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Shared records: idempotency and failure counters"

    def ready(self):
        from django.db.models.signals import pre_migrate

        from . import converters
        from .migration_operations import set_lock_timeout

        converters.register()
        # migrate waits at most MIGRATION_LOCK_TIMEOUT for a table's lock (PostgreSQL).
        pre_migrate.connect(set_lock_timeout, dispatch_uid="core.set_lock_timeout")
