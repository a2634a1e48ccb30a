"""Platform tokens in the admin: created with the token shown once, revoked by action."""

import pytest

from usage import services
from usage.api.platform_auth import token_for_secret
from usage.models import PlatformToken


@pytest.fixture
def admin_client(client, operator):
    client.force_login(operator)
    return client


def test_add_shows_the_token_once_and_never_again(admin_client):
    response = admin_client.post(
        "/admin/usage/platformtoken/add/", {"name": "verify service", "scopes": ["ingest"]}
    )
    assert response.status_code == 200
    html = response.content.decode()
    token = PlatformToken.objects.get()
    secret = html.split("data-platform-token>")[1].split("<")[0]
    assert token_for_secret(secret) == token and token.name == "verify service"
    assert token.scopes == "ingest"
    assert "only time the token is shown" in html
    for url in ("/admin/usage/platformtoken/", f"/admin/usage/platformtoken/{token.pk}/change/"):
        page = admin_client.get(url).content.decode()
        assert token.token_id in page
        assert secret not in page and token.secret_hash not in page
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_add_refuses_an_empty_name(admin_client):
    response = admin_client.post("/admin/usage/platformtoken/add/", {"name": " "}, follow=True)
    assert not PlatformToken.objects.exists()
    assert response.status_code == 200


def test_revoke_action(admin_client, db):
    token, secret = services.platform_token_create(name="sms")
    response = admin_client.post(
        "/admin/usage/platformtoken/",
        {"action": "revoke_tokens", "_selected_action": [token.pk]},
        follow=True,
    )
    assert "1 platform token(s) revoked." in response.content.decode()
    assert token_for_secret(secret) is None


def test_cannot_change_or_delete(admin_client, db):
    token, _ = services.platform_token_create(name="sms")
    admin_client.post(f"/admin/usage/platformtoken/{token.pk}/change/", {"name": "hacked"})
    assert PlatformToken.objects.get().name == "sms"
    assert admin_client.get(f"/admin/usage/platformtoken/{token.pk}/delete/").status_code == 403


def test_non_staff_cannot_reach_it(client_for, admin_user):
    response = client_for(admin_user).get("/admin/usage/platformtoken/")
    assert response.status_code == 302 and "/login/" in response["Location"]
