from django.apps import AppConfig


class TeamConfig(AppConfig):
    name = "team"
    verbose_name = "Team: members and invitations"

    def ready(self):
        from projects.contributions import add_detail_part

        # A subproject's details page: invite an ASP's customer user, granted it alone.
        add_detail_part("after_keys", "team/includes/customer_invite.html")
