"""No secret, hash or password ever reaches an entry, whatever the interface."""

import json
from io import StringIO

from django.core.cache import cache
from django.core.management import call_command

from audit.models import AuditEvent
from projects.models import AccessKey
from tests.factories import PASSWORD
from tests.support.api_client import basic


def trail_text() -> str:
    return json.dumps([e.__dict__ for e in AuditEvent.objects.all()], default=str)


def test_keys_made_everywhere_and_sign_ins(client, member, project):
    cache.clear()
    # A sign-in with the password, and a failed one with another.
    client.post("/accounts/login/", {"username": member.email, "password": "Wrong-pass-42"})
    client.post("/accounts/login/", {"username": member.email, "password": PASSWORD})
    # The dashboard.
    form_url = f"/projects/{project.public_id}/keys/new/"
    form_token = client.get(form_url).content.decode().split('name="token" value="')[1]
    page = client.post(form_url, {"display_name": "dashboard", "token": form_token.split('"')[0]})
    secrets = [page.content.decode().split("data-key-secret>")[1].split("<")[0]]
    # The command.
    out = StringIO()
    call_command("create_access_key", project.public_id, "command", stdout=out)
    secrets.append(out.getvalue().split("Key Secret:")[1].strip())
    # The API, with the command's key, and a bearer token.
    key_id = out.getvalue().split("Key ID:")[1].split()[0]
    response = client.post(
        f"/api/v1/projects/{project.public_id}/accessKeys",
        json.dumps({"displayName": "api"}),
        content_type="application/json",
        headers={"Authorization": basic(key_id, secrets[1])},
    )
    secrets.append(response.json()["secret"])
    token = client.post(
        "/oauth2/token",
        {"grant_type": "client_credentials"},
        headers={"Authorization": basic(key_id, secrets[1])},
    ).json()["access_token"]
    client.delete(
        f"/api/v1/projects/{project.public_id}/accessKeys/{response.json()['accessKey']['accessKeyId']}",
        headers={"Authorization": f"Bearer {token}"},
    )

    text = trail_text()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"user.sign_in", "user.sign_in_failed", "access_key.create", "access_key.revoke"} <= (
        actions
    )
    hashes = list(AccessKey.objects.values_list("secret_hash", flat=True))
    assert len(hashes) == 3
    for value in [*secrets, *hashes, token, PASSWORD, "Wrong-pass-42", member.password]:
        assert value not in text
    for secret in secrets:
        assert secret[4:36] not in text  # nor the random part alone
