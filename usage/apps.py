from django.apps import AppConfig


class UsageConfig(AppConfig):
    name = "usage"
    verbose_name = "Usage: records, daily and monthly totals, platform tokens"

    def ready(self):
        from projects.contributions import PageSection, Section, add_page_section, add_section

        from . import receivers  # noqa: F401 - keeps purged subprojects' names

        add_section(Section("Usage", "project_usage", order=30, current_for=("project_usage",)))
        add_page_section(PageSection("usage", "Usage", "usage/includes/usage_section.html", 20))
