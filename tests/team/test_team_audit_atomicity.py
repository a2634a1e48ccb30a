"""Each team change and its audit entry commit together or not at all: when writing the
entry fails, the change is not saved."""

import pytest

from accounts import services
from accounts.models import Membership, Role, User
from audit import trail
from projects import services as grant_services
from team import services as team_services
from team.models import Invitation
from tests.factories import MembershipFactory


class Refused(Exception):
    pass


def break_trail(monkeypatch):
    def fail(*args, **kwargs):
        raise Refused

    monkeypatch.setattr(trail, "record", fail)


@pytest.fixture
def failing_trail(monkeypatch):
    break_trail(monkeypatch)


def invite(account, subproject, email="new@example.com"):
    return team_services.invitation_create(
        account=account, email=email, role=Role.VIEWER, projects=[subproject]
    )


def test_invitation_create(account, subproject, failing_trail):
    with pytest.raises(Refused):
        invite(account, subproject)
    assert not Invitation.objects.exists()


def test_invitation_resend_and_cancel(account, subproject, monkeypatch):
    invitation, _ = invite(account, subproject)
    before = Invitation.objects.get().token_hash
    break_trail(monkeypatch)
    with pytest.raises(Refused):
        team_services.invitation_resend(invitation=invitation)
    with pytest.raises(Refused):
        team_services.invitation_cancel(invitation=invitation)
    stored = Invitation.objects.get()
    assert stored.token_hash == before and stored.cancelled_at is None


def test_invitation_accept(account, subproject, monkeypatch):
    _, token = invite(account, subproject)
    break_trail(monkeypatch)
    with pytest.raises(Refused):
        team_services.invitation_accept(token=token, password="a long new passphrase")
    assert not User.objects.filter(email="new@example.com").exists()
    assert Invitation.objects.get().accepted_at is None


def test_role_change_and_removal(account, member, admin_user, failing_trail):
    membership = Membership.objects.get(user=member)
    with pytest.raises(Refused):
        services.membership_role_set(membership=membership, role=Role.VIEWER)
    with pytest.raises(Refused):
        services.membership_remove(membership=membership)
    stored = Membership.objects.get(pk=membership.pk)
    assert stored.role == Role.MEMBER
    assert User.objects.get(pk=member.pk).session_generation == 0  # not signed out


def test_grants(account, project, subproject, failing_trail):
    membership = MembershipFactory(account=account, role=Role.VIEWER)
    with pytest.raises(Refused):
        grant_services.membership_grants_set(membership=membership, projects=[project, subproject])
    assert not membership.grants.exists()


def test_sign_out_everywhere(member, failing_trail):
    with pytest.raises(Refused):
        services.user_sign_out_everywhere(user=member)
    assert User.objects.get(pk=member.pk).session_generation == 0
