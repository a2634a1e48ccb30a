from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The Django project as an app too: its management commands (demo), which put the
    other apps' demo data together."""

    name = "dashboard"
    verbose_name = "Dashboard"

    def ready(self):
        from dashboard import checks  # noqa: F401  (registers the deploy checks)
