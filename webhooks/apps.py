from django.apps import AppConfig

# The dashboard's webhook pages (webhooks.urls): part of a project's Settings.
PAGES = (
    "webhook_list",
    "webhook_create",
    "webhook_detail",
    "webhook_edit",
    "webhook_rotate",
    "webhook_delete",
    "webhook_replay",
)


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = "Webhook endpoints and deliveries"

    def ready(self):
        from events import outbox
        from projects import contributions

        from . import delivery

        outbox.listen(delivery.fan_out)
        # A top-level project's details page, after its general settings: what webhook
        # endpoints are, and the way to them; their pages are Settings in the navigation.
        contributions.add_page_section(
            contributions.PageSection(
                "webhooks",
                "Webhook endpoints",
                "webhooks/includes/webhooks_section.html",
                85,
                shown=lambda project: not project.is_subproject,
            )
        )
        contributions.add_current_for("project_detail", "settings", PAGES)
