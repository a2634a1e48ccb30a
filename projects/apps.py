from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Projects, subprojects and access keys"

    def ready(self):
        from . import current  # noqa: F401 - connects the sign-in receiver
        from .contributions import Section, add_section

        add_section(Section("Details", "project_detail", order=0))
        add_section(Section("Subprojects", "subproject_list", order=10, top_level_only=True))
        add_section(Section("Activity", "project_activity", order=20))
