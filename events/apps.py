from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Events (the outbox of what changed)"

    def ready(self):
        from audit import trail

        from . import from_audit

        trail.listen(from_audit.events_of)
