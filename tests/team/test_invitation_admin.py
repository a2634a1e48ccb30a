"""Operators see invitations in the admin, read-only, never their token's hash."""

from django.conf import settings

from accounts.models import Role
from team import services as team_services
from team.models import Invitation

ADMIN = f"/{settings.ADMIN_URL}"


def test_invitations_are_listed_and_shown_read_only(client_for, operator, account, subproject):
    invitation, _ = team_services.invitation_create(
        account=account, email="new@example.com", role=Role.VIEWER, projects=[subproject]
    )
    client = client_for(operator)
    listed = client.get(ADMIN + "team/invitation/?q=new@example").content.decode()
    assert "new@example.com" in listed and "Acme Messaging" in listed
    page = client.get(ADMIN + f"team/invitation/{invitation.pk}/change/")
    assert page.status_code == 200
    assert invitation.token_hash not in page.content.decode()
    assert client.get(ADMIN + "team/invitation/add/").status_code == 403
    client.post(ADMIN + f"team/invitation/{invitation.pk}/delete/", {"post": "yes"})
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_no_lookup_on_the_tokens_hash(client_for, operator, account, subproject):
    invitation, _ = team_services.invitation_create(
        account=account, email="new@example.com", role=Role.VIEWER, projects=[subproject]
    )
    client = client_for(operator)
    prefix = invitation.token_hash[:2]
    for url in (
        f"team/invitation/?token_hash__startswith={prefix}",
        f"accounts/account/?invitations__token_hash__startswith={prefix}",
    ):
        assert client.get(ADMIN + url).status_code == 400, url
