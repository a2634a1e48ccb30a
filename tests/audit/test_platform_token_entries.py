"""Platform token changes are in the audit trail, through each interface that makes them
(the commands and the admin), never with the token or its hash."""

from io import StringIO

from django.core.management import call_command

from tests.audit.helpers import only_event
from usage import services
from usage.models import PlatformToken


def test_commands_record_create_and_revoke(db):
    out = StringIO()
    call_command("create_platform_token", "sms-gateway", stdout=out, stderr=StringIO())
    token = PlatformToken.objects.get()
    secret = out.getvalue().strip().splitlines()[1].split()[-1]
    created = only_event("platform_token.create")
    assert (created.actor_type, created.actor_id, created.source) == (
        "command",
        "create_platform_token",
        "command",
    )
    assert created.target_id == token.token_id and created.target_label == "sms-gateway"
    call_command("revoke_platform_token", token.token_id, stdout=StringIO())
    revoked = only_event("platform_token.revoke")
    assert revoked.actor_id == "revoke_platform_token" and revoked.target_id == token.token_id
    for event in (created, revoked):
        text = repr(event.changes) + event.target_label + event.target_id
        assert secret not in text and token.secret_hash not in text


def test_the_admin_records_as_the_operator(client, operator):
    client.force_login(operator)
    client.post(
        "/admin/usage/platformtoken/add/", {"name": "voice", "scopes": ["ingest", "limits"]}
    )
    token = PlatformToken.objects.get()
    created = only_event("platform_token.create")
    assert (created.actor_type, created.actor_id, created.source) == (
        "user",
        str(operator.pk),
        "admin",
    )
    client.post(
        "/admin/usage/platformtoken/",
        {"action": "revoke_tokens", "_selected_action": [token.pk]},
    )
    assert only_event("platform_token.revoke").source == "admin"


def test_a_refused_token_writes_nothing(db):
    import pytest

    from core.errors import InvalidValue

    with pytest.raises(InvalidValue):
        services.platform_token_create(name=" ")
    assert not PlatformToken.objects.exists()
