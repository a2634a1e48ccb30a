from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Projects, subprojects and access keys"

    def ready(self):
        from . import (
            current,  # noqa: F401 - connects the sign-in receiver
            events,
        )
        from .access import can_decide
        from .contributions import PageSection, Section, add_page_section, add_section

        keys = ("access_key_create", "access_key_rotate", "access_key_revoke")
        add_section(Section("Details", "project_detail", order=0, current_for=("project_detail",)))
        add_section(
            Section(
                "Subprojects",
                "subproject_list",
                order=10,
                top_level_only=True,
                current_for=(
                    "subproject_list",
                    "subproject_removed_list",
                    "subproject_create",
                    "subprojects_remove",
                ),
            )
        )
        add_section(
            Section("Access keys", "project_detail", 15, anchor="access-keys", current_for=keys)
        )
        add_section(
            Section("Activity", "project_activity", order=50, current_for=("project_activity",))
        )
        add_section(
            Section(
                "Settings",
                "project_detail",
                order=60,
                anchor="settings",
                current_for=("subproject_remove",),
            )
        )

        # The details page's own sections; apps above add theirs between them (usage,
        # billing, people with access), so that the danger zone stays last.
        add_page_section(PageSection("overview", "Overview", "projects/includes/overview.html", 0))
        add_page_section(
            PageSection(
                "access-keys",
                "Access keys",
                "projects/includes/access_keys_section.html",
                10,
                wraps=True,
            )
        )
        add_page_section(
            PageSection(
                "settings", "General settings", "projects/includes/settings_section.html", 80
            )
        )
        add_page_section(
            PageSection(
                "danger-zone",
                "Danger zone",
                "projects/includes/danger_zone.html",
                90,
                shown=lambda p: can_decide(p) or p.suspension,
                wraps=True,
            )
        )
        events.lend()
