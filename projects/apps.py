from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Projects, subprojects and access keys"

    def ready(self):
        from . import current  # noqa: F401 - connects the sign-in receiver
        from .contributions import Section, add_section

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
