from django.apps import AppConfig


class TeamConfig(AppConfig):
    name = "team"
    verbose_name = "Team: members and invitations"

    def ready(self):
        from accounts.models import Role
        from projects.contributions import PageSection, add_page_section

        # A subproject's details page, for the account's admins: who has access to it,
        # the pending invitations, and inviting an ASP's customer user granted it alone.
        add_page_section(
            PageSection(
                "people",
                "People with access",
                "team/includes/people_section.html",
                40,
                shown=lambda p: p.is_subproject and getattr(p, "user_role", None) == Role.ADMIN,
            )
        )
