from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Projects, subprojects and access keys"

    def ready(self):
        from . import current  # noqa: F401 - connects the sign-in receiver
