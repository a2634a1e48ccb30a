"""Platform tokens' scopes (issue 21, item 9; ADR 0114): `ingest` for
POST /api/internal/v1/usage:batchRecord, `limits` for GET …/projects/{id}/limits. A
token without the scope is refused with 403 PERMISSION_DENIED naming it; tokens made
before scopes existed keep both."""

from io import StringIO

import pytest
from django.core.management import call_command

from core.errors import InvalidValue
from tests.audit.helpers import only_event
from tests.usage.conftest import record
from usage import services
from usage.models import PlatformToken


def ingest(client, secret, project):
    return client.post(
        "/api/internal/v1/usage:batchRecord",
        {"records": [record(project, 1)]},
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )


def limits(client, secret, project):
    return client.get(
        f"/api/internal/v1/projects/{project.public_id}/limits",
        headers={"Authorization": f"Bearer {secret}"},
    )


def test_a_token_with_ingest_only_cannot_read_limits(client, subproject):
    _, secret = services.platform_token_create(name="meter", scopes=["ingest"])
    assert ingest(client, secret, subproject).status_code == 200
    refused = limits(client, secret, subproject)
    assert refused.status_code == 403
    error = refused.json()["error"]
    assert error["status"] == "PERMISSION_DENIED" and "limits" in error["message"]


def test_a_token_with_limits_only_cannot_report_usage(client, subproject):
    _, secret = services.platform_token_create(name="sender", scopes=["limits"])
    assert limits(client, secret, subproject).status_code == 200
    refused = ingest(client, secret, subproject)
    assert refused.status_code == 403
    error = refused.json()["error"]
    assert error["status"] == "PERMISSION_DENIED" and "ingest" in error["message"]


def test_tokens_from_before_scopes_keep_both(client, subproject):
    """The migration's default (db_default): a row written without scopes has both."""
    from core import credentials

    secret = credentials.new_secret(services.PLATFORM_TOKEN_PREFIX)
    PlatformToken.objects.bulk_create(
        [
            PlatformToken(
                token_id=credentials.new_key_id(),
                name="old",
                secret_hash=credentials.hash_secret(secret),
            )
        ]
    )
    assert PlatformToken.objects.get().scopes == "ingest limits"
    assert ingest(client, secret, subproject).status_code == 200
    assert limits(client, secret, subproject).status_code == 200


@pytest.mark.parametrize("scopes", [[], ["ingest", "admin"], ["INGEST"]])
def test_unknown_or_no_scopes_are_refused(db, scopes):
    with pytest.raises(InvalidValue) as refused:
        services.platform_token_create(name="x", scopes=scopes)
    assert refused.value.field == "scopes"
    assert not PlatformToken.objects.exists()


def test_the_command_sets_scopes(db):
    out = StringIO()
    call_command(
        "create_platform_token", "meter", "--scope", "ingest", stdout=out, stderr=StringIO()
    )
    assert PlatformToken.objects.get().scopes == "ingest"
    assert "Scopes:   ingest" in out.getvalue()
    call_command("create_platform_token", "both", stdout=StringIO(), stderr=StringIO())
    assert PlatformToken.objects.get(name="both").scopes == "ingest limits"


def test_the_admin_sets_and_changes_scopes_audited(client, operator):
    client.force_login(operator)
    client.post("/admin/usage/platformtoken/add/", {"name": "meter", "scopes": ["limits"]})
    token = PlatformToken.objects.get()
    assert token.scopes == "limits"
    assert only_event("platform_token.create").changes["scopes"]["after"] == "limits"
    response = client.post(
        f"/admin/usage/platformtoken/{token.pk}/change/", {"scopes": ["ingest", "limits"]}
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.scopes == "ingest limits" and token.name == "meter"
    changed = only_event("platform_token.update")
    assert (changed.source, changed.actor_label) == ("admin", operator.email)
    assert changed.changes == {"scopes": {"before": "limits", "after": "ingest limits"}}


def test_a_revoked_token_cannot_be_changed(client, operator):
    token, _ = services.platform_token_create(name="gone")
    services.platform_token_revoke(token=token)
    client.force_login(operator)
    response = client.post(f"/admin/usage/platformtoken/{token.pk}/change/", {"scopes": ["ingest"]})
    assert response.status_code == 403
    assert PlatformToken.objects.get().scopes == "ingest limits"
