"""create_platform_token NAME and revoke_platform_token ID."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from core import credentials
from usage.api.platform_auth import token_for_secret
from usage.models import PlatformToken


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_create_prints_the_token_once_and_stores_only_its_hash(db):
    out, err = run("create_platform_token", "sms-gateway eu-west")
    lines = dict(line.split(":", 1) for line in out.strip().splitlines())
    token = PlatformToken.objects.get(token_id=lines["Token ID"].strip())
    secret = lines["Token"].strip()
    assert token.name == "sms-gateway eu-west" and secret.startswith("cpt_")
    assert secret not in token.secret_hash and credentials.secret_matches(secret, token.secret_hash)
    assert token_for_secret(secret) == token
    assert "only this once" in err


def test_create_refuses_a_bad_name(db):
    with pytest.raises(CommandError, match="cannot be empty"):
        run("create_platform_token", "  ")
    assert not PlatformToken.objects.exists()


def test_revoke_stops_the_token(db):
    out, _ = run("create_platform_token", "voice")
    token_id = out.split()[2]
    secret = out.strip().splitlines()[1].split()[-1]
    out, _ = run("revoke_platform_token", token_id)
    assert "Revoked" in out and token_id in out
    assert token_for_secret(secret) is None
    with pytest.raises(CommandError, match="already revoked"):
        run("revoke_platform_token", token_id)


@pytest.mark.parametrize("token_id", ["nope", "00000000-0000-4000-8000-000000000000"])
def test_revoke_an_unknown_token_is_an_error(db, token_id):
    with pytest.raises(CommandError, match="No platform token has the ID"):
        run("revoke_platform_token", token_id)
