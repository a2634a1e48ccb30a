"""accounts.services: invitations (create, resend, cancel, accept) and their rules."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Membership, Role, User
from audit.models import AuditEvent
from core.actors import Actor, Kind, Source
from core.credentials import hash_secret
from core.errors import AlreadyExists, InvalidValue, NotAllowed, WrongState
from team import services as team_services
from team.models import INVITATION_DAYS, Invitation
from tests.factories import PASSWORD, MembershipFactory, ProjectFactory, UserFactory

NEW_PASSWORD = "a long new passphrase"


@pytest.fixture
def actor(admin_user):
    return Actor(Kind.USER, str(admin_user.pk), Source.DASHBOARD, "10.0.0.1", admin_user)


@pytest.fixture
def invite(account, subproject, actor):
    """invite(email=..., role=..., projects=...) -> (invitation, token)."""

    def _invite(email="new@example.com", role=Role.VIEWER, projects=None):
        projects = [subproject] if projects is None else projects
        return team_services.invitation_create(
            account=account, email=email, role=role, projects=projects, actor=actor
        )

    return _invite


def invitee_actor():
    return Actor(Kind.USER, "", Source.DASHBOARD, "10.9.9.9")


# --- create ------------------------------------------------------------------------------


def test_an_invitation_stores_only_its_tokens_hash(invite, account, subproject, admin_user):
    _, token = invite(email="  New@Example.com ")
    stored = Invitation.objects.get()
    assert stored.email == "new@example.com"
    assert stored.token_hash == hash_secret(token) and token not in stored.token_hash
    assert len(token) == 43
    assert list(stored.projects.all()) == [subproject]
    assert stored.invited_by == admin_user
    expected = timezone.now() + timedelta(days=INVITATION_DAYS)
    assert abs(stored.expires_at - expected) < timedelta(seconds=5)


def test_create_is_recorded_without_the_token(invite, account, subproject, admin_user):
    invitation, token = invite()
    event = AuditEvent.objects.get(action="invitation.create")
    assert (event.target_id, event.account_id, event.actor_label) == (
        "new@example.com",
        account.public_id,
        admin_user.email,
    )
    assert event.changes["role"] == {"before": None, "after": "viewer"}
    assert event.changes["projects"] == {"before": None, "after": [subproject.public_id]}
    assert token not in str(event.changes) and invitation.token_hash not in str(event.changes)


def test_a_bad_email_is_refused(invite):
    with pytest.raises(InvalidValue, match="Enter a valid email address") as refused:
        invite(email="not an email")
    assert refused.value.field == "email"


def test_members_and_viewers_need_a_project(invite):
    with pytest.raises(InvalidValue, match="Choose at least one project") as refused:
        invite(role=Role.MEMBER, projects=[])
    assert refused.value.field == "projects"


def test_admins_need_no_project_and_get_none(invite):
    invitation, _ = invite(role=Role.ADMIN)
    assert not invitation.projects.exists()


def test_a_project_of_another_account_is_refused(invite):
    with pytest.raises(InvalidValue, match="is not a project of this account"):
        invite(projects=[ProjectFactory(name="Elsewhere")])


def test_a_removed_subproject_is_refused(invite, project):
    with pytest.raises(InvalidValue, match="is not a project of this account"):
        invite(projects=[ProjectFactory(parent=project, removed=True)])


def test_a_member_cannot_be_invited_again(invite, member):
    with pytest.raises(AlreadyExists, match="is already a member of this account"):
        invite(email=member.email.upper())


def test_one_open_invitation_per_email(invite):
    invite()
    with pytest.raises(AlreadyExists, match="already invited: resend or cancel"):
        invite(role=Role.MEMBER)
    assert Invitation.objects.count() == 1


def test_after_a_cancel_the_email_can_be_invited_again(invite, actor):
    invitation, _ = invite()
    team_services.invitation_cancel(invitation=invitation, actor=actor)
    invite()
    assert Invitation.objects.count() == 2


# --- resend and cancel ------------------------------------------------------------------


def test_resend_makes_a_new_link_and_kills_the_old_one(invite, actor):
    invitation, old = invite()
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    _, new = team_services.invitation_resend(invitation=invitation, actor=actor)
    assert new != old
    assert team_services.invitation_for_token(old) is None
    assert team_services.invitation_for_token(new).pk == invitation.pk
    assert not team_services.invitation_for_token(new).is_expired()
    event = AuditEvent.objects.get(action="invitation.resend")
    assert set(event.changes) == {"expires_at"}
    with pytest.raises(WrongState, match="not valid"):
        team_services.invitation_accept(token=old, password=NEW_PASSWORD, actor=invitee_actor())


def test_cancel_kills_the_link_and_is_recorded(invite, actor):
    invitation, token = invite()
    team_services.invitation_cancel(invitation=invitation, actor=actor)
    team_services.invitation_cancel(invitation=invitation, actor=actor)  # again: nothing more
    assert AuditEvent.objects.filter(action="invitation.cancel").count() == 1
    with pytest.raises(WrongState, match="was cancelled"):
        team_services.invitation_accept(token=token, password=NEW_PASSWORD, actor=invitee_actor())


def test_accepted_invitations_cannot_be_resent_or_cancelled(invite, actor):
    invitation, token = invite()
    team_services.invitation_accept(token=token, password=NEW_PASSWORD, actor=invitee_actor())
    with pytest.raises(WrongState, match="accepted already"):
        team_services.invitation_resend(invitation=invitation, actor=actor)
    with pytest.raises(WrongState, match="remove the member instead"):
        team_services.invitation_cancel(invitation=invitation, actor=actor)


# --- accept -------------------------------------------------------------------------------


def test_a_new_user_accepts_with_a_password(invite, account, subproject):
    _, token = invite(role=Role.MEMBER)
    membership = team_services.invitation_accept(
        token=token, password=NEW_PASSWORD, actor=invitee_actor()
    )
    user = User.objects.get(email="new@example.com")
    assert membership.user == user and user.check_password(NEW_PASSWORD)
    assert (membership.account, membership.role) == (account, Role.MEMBER)
    assert list(membership.grants.values_list("project", flat=True)) == [subproject.pk]
    # They land on what the grant gives them.
    assert (user.current_account, user.current_project) == (account, subproject)


def test_accepting_is_recorded_as_the_invitee(invite, account, subproject):
    _, token = invite()
    team_services.invitation_accept(token=token, password=NEW_PASSWORD, actor=invitee_actor())
    user = User.objects.get(email="new@example.com")
    entries = AuditEvent.objects.exclude(action="invitation.create").order_by("id")
    assert [(e.action, e.actor_id, e.actor_label, e.address) for e in entries] == [
        ("membership.create", str(user.pk), user.email, "10.9.9.9"),
        ("grant.create", str(user.pk), user.email, "10.9.9.9"),
        ("invitation.accept", str(user.pk), user.email, "10.9.9.9"),
    ]


def test_the_link_works_once(invite):
    _, token = invite()
    team_services.invitation_accept(token=token, password=NEW_PASSWORD, actor=invitee_actor())
    with pytest.raises(WrongState, match="already been used"):
        team_services.invitation_accept(token=token, password=NEW_PASSWORD, actor=invitee_actor())
    assert Membership.objects.filter(user__email="new@example.com").count() == 1


def test_the_link_expires_after_7_days(invite, monkeypatch):
    _, token = invite()
    later = timezone.now() + timedelta(days=INVITATION_DAYS, seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with pytest.raises(WrongState, match=r"has expired\. Ask the person who invited you"):
        team_services.invitation_accept(token=token, password=NEW_PASSWORD, actor=invitee_actor())
    assert not User.objects.filter(email="new@example.com").exists()


def test_a_day_before_expiry_it_still_works(invite, monkeypatch):
    _, token = invite()
    later = timezone.now() + timedelta(days=INVITATION_DAYS - 1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    team_services.invitation_accept(token=token, password=NEW_PASSWORD, actor=invitee_actor())


def test_a_weak_password_is_refused_by_djangos_validators(invite):
    _, token = invite()
    with pytest.raises(InvalidValue) as refused:
        team_services.invitation_accept(token=token, password="12345678", actor=invitee_actor())
    assert refused.value.field == "password"
    assert "This password is too common." in refused.value.message_dict["password"]
    assert not User.objects.filter(email="new@example.com").exists()
    assert Invitation.objects.get().accepted_at is None  # nothing half-done


def test_another_signed_in_email_is_refused(invite, member):
    _, token = invite()
    with pytest.raises(NotAllowed) as refused:
        team_services.invitation_accept(token=token, user=member, actor=invitee_actor())
    assert refused.value.message == (
        f"This invitation is for new@example.com, and you are signed in as {member.email}. "
        "Sign out, then open the link again."
    )
    assert Invitation.objects.get().accepted_at is None


def test_a_user_of_another_account_accepts_signed_in(invite, account, subproject, outsider):
    _, token = invite(email=outsider.email)
    membership = team_services.invitation_accept(token=token, user=outsider, actor=invitee_actor())
    assert membership.account == account and membership.user == outsider
    assert outsider.memberships.count() == 2
    outsider.refresh_from_db()
    assert (outsider.current_account, outsider.current_project) == (account, subproject)
    assert outsider.check_password(PASSWORD)  # their password is theirs


def test_an_existing_user_cannot_take_a_password_through_the_link(invite, outsider):
    _, token = invite(email=outsider.email)
    with pytest.raises(WrongState, match="sign in, then open the link again"):
        team_services.invitation_accept(token=token, password=NEW_PASSWORD, actor=invitee_actor())
    outsider.refresh_from_db()
    assert outsider.check_password(PASSWORD)


def test_someone_already_a_member_keeps_their_role(invite, account, actor):
    _, token = invite(email="later@example.com")
    user = UserFactory(email="later@example.com")
    MembershipFactory(account=account, user=user, role=Role.MEMBER)  # added meanwhile
    team_services.invitation_accept(token=token, user=user, actor=invitee_actor())
    assert Membership.objects.get(user=user).role == Role.MEMBER
    assert Invitation.objects.get().accepted_by == user


def test_when_its_projects_are_gone_it_says_so(invite, subproject):
    _, token = invite()
    subproject.removed_at = timezone.now()
    subproject.save()
    with pytest.raises(WrongState, match="have been removed"):
        team_services.invitation_accept(token=token, password=NEW_PASSWORD, actor=invitee_actor())


@pytest.mark.parametrize("token", ["", "x", "A" * 43, None])
def test_a_made_up_token_finds_nothing(invite, token):
    invite()
    assert team_services.invitation_for_token(token) is None
    with pytest.raises(WrongState, match="not valid"):
        team_services.invitation_accept(token=token, password=NEW_PASSWORD, actor=invitee_actor())
