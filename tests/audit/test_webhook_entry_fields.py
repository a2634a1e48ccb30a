"""A webhook endpoint's entries name their fields on the Activity page as every other
entry does (audit.actions.FIELD_LABELS), not by their field names."""

from audit.models import AuditEvent
from webhooks import services


def test_an_endpoint_s_fields_are_named(project, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True  # (an address that needs no name lookup)
    endpoint, _ = services.endpoint_create(
        project=project, url="http://127.0.0.1:9/hooks", description="Billing system"
    )
    services.endpoint_rotate_secret(endpoint=endpoint)
    fields = {
        field
        for entry in AuditEvent.objects.filter(action__startswith="webhook_endpoint.")
        for field, _before, _after in entry.change_lines
    }
    assert fields == {"URL", "Description", "Event types", "Enabled", "Old secret signs until"}
