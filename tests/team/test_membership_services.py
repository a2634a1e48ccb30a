"""accounts.services: roles, removal, grants; the last-admin guard; sessions ending."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from accounts import services
from accounts.models import Membership, Role, User
from audit.models import AuditEvent
from core.actors import Actor, Kind, Source
from core.errors import InvalidValue, NotAllowed, WrongState
from projects import services as grant_services
from projects.models import ProjectGrant
from tests.factories import (
    AccountFactory,
    GrantFactory,
    MembershipFactory,
    ProjectFactory,
    UserFactory,
)


@pytest.fixture
def actor(admin_user):
    return Actor(Kind.USER, str(admin_user.pk), Source.DASHBOARD, "10.0.0.1", admin_user)


def membership_of(user, account):
    return Membership.objects.get(user=user, account=account)


def test_the_last_admin_cannot_be_demoted(admin_user, account, actor):
    membership = membership_of(admin_user, account)
    with pytest.raises(NotAllowed) as refused:
        services.membership_role_set(membership=membership, role=Role.MEMBER, actor=actor)
    assert refused.value.message == (
        f"{admin_user.email} is the account's last admin and cannot be made a member: "
        "make another member an admin first."
    )
    assert membership_of(admin_user, account).role == Role.ADMIN
    assert not AuditEvent.objects.filter(action="membership.update").exists()


def test_the_last_admin_cannot_be_removed(admin_user, account, actor):
    with pytest.raises(NotAllowed, match="last admin and cannot be removed"):
        services.membership_remove(membership=membership_of(admin_user, account), actor=actor)
    assert Membership.objects.filter(user=admin_user, account=account).exists()


def test_membership_set_guards_the_last_admin_too(admin_user, account):
    """The admin site and the commands use membership_set: the same rule."""
    with pytest.raises(NotAllowed):
        services.membership_set(account=account, user=admin_user, role=Role.VIEWER)


def test_an_admin_with_another_admin_can_be_demoted_and_removed(admin_user, account, actor):
    second = MembershipFactory(account=account, role=Role.ADMIN)
    services.membership_role_set(membership=second, role=Role.VIEWER, actor=actor)
    assert membership_of(second.user, account).role == Role.VIEWER
    event = AuditEvent.objects.get(action="membership.update")
    assert event.changes == {"role": {"before": "admin", "after": "viewer"}}
    assert (event.target_id, event.account_id, event.actor_label) == (
        second.user.email,
        account.public_id,
        admin_user.email,
    )
    third = MembershipFactory(account=account, role=Role.ADMIN)
    services.membership_remove(membership=third, actor=actor)
    assert not Membership.objects.filter(pk=third.pk).exists()


def test_admins_of_another_account_do_not_count(admin_user, account, actor):
    MembershipFactory(role=Role.ADMIN)  # an admin elsewhere
    elsewhere = MembershipFactory(user=admin_user, role=Role.ADMIN)  # admin_user elsewhere
    with pytest.raises(NotAllowed):
        services.membership_remove(membership=membership_of(admin_user, account), actor=actor)
    assert elsewhere.pk


def test_promoting_needs_no_other_admin(account, actor, admin_user):
    member = MembershipFactory(account=account, role=Role.VIEWER)
    services.membership_role_set(membership=member, role=Role.ADMIN, actor=actor)
    assert membership_of(member.user, account).role == Role.ADMIN


def test_an_unknown_role_is_refused(member, account, actor):
    with pytest.raises(InvalidValue, match="Unknown role “owner”"):
        services.membership_role_set(
            membership=membership_of(member, account), role="owner", actor=actor
        )


def test_changing_the_role_of_someone_removed_meanwhile_is_refused(member, account, actor):
    membership = membership_of(member, account)
    Membership.objects.filter(pk=membership.pk).delete()
    with pytest.raises(WrongState, match="no longer a member"):
        services.membership_role_set(membership=membership, role=Role.VIEWER, actor=actor)
    assert not Membership.objects.filter(user=member).exists()  # not added back


def test_the_same_role_again_writes_nothing(member, account, actor):
    services.membership_role_set(
        membership=membership_of(member, account), role=Role.MEMBER, actor=actor
    )
    assert not AuditEvent.objects.exists()


def test_removal_writes_its_entry_and_takes_the_grants(member, account, project, actor):
    services.membership_remove(membership=membership_of(member, account), actor=actor)
    assert not ProjectGrant.objects.filter(membership__user=member).exists()
    event = AuditEvent.objects.get(action="membership.remove")
    assert event.changes == {"role": {"before": "member", "after": None}}
    assert (event.target_id, event.source, event.address) == (member.email, "dashboard", "10.0.0.1")


def signed_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_removal_ends_every_session_of_the_removed_user_at_once(
    member, account, project, actor, admin_user
):
    laptop, phone = signed_in_client(member), signed_in_client(member)
    admins_session = signed_in_client(admin_user)
    assert laptop.get("/projects/").status_code == 200
    services.membership_remove(membership=membership_of(member, account), actor=actor)
    for client in (laptop, phone):
        response = client.get(f"/projects/{project.public_id}/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        assert SESSION_KEY not in client.session
    assert admins_session.get("/projects/").status_code == 200  # nobody else's


def test_removal_moves_a_user_of_several_accounts_to_another(member, account, project, actor):
    other = MembershipFactory(user=member, account=AccountFactory(name="Other"))
    User.objects.filter(pk=member.pk).update(current_project=project)
    services.membership_remove(membership=membership_of(member, account), actor=actor)
    member.refresh_from_db()
    assert (member.current_account_id, member.current_project_id) == (other.account_id, None)


def test_a_users_first_account_becomes_their_current_one(account):
    user = UserFactory()
    services.membership_set(account=account, user=user, role=Role.VIEWER)
    second = AccountFactory()
    services.membership_set(account=second, user=user, role=Role.VIEWER)
    user.refresh_from_db()
    assert user.current_account == account


def test_grants_are_set_as_a_whole(member, account, project, subproject, actor):
    other = ProjectFactory(account=account, name="Staging")
    sibling = ProjectFactory(parent=project, name="Burrito Barn")
    membership = membership_of(member, account)
    grant_services.membership_grants_set(
        membership=membership, projects=[other, sibling], actor=actor
    )
    granted = set(membership.grants.values_list("project__name", flat=True))
    assert granted == {"Staging", "Burrito Barn"}
    entries = AuditEvent.objects.order_by("id").values_list("action", "project_id")
    assert list(entries) == [
        ("grant.create", other.public_id),
        ("grant.create", sibling.public_id),
        ("grant.remove", project.public_id),
    ]


def test_grants_of_another_account_are_refused(member, account, actor):
    elsewhere = ProjectFactory(name="Not ours")
    with pytest.raises(InvalidValue, match="“Not ours” is not a project of this account"):
        grant_services.membership_grants_set(
            membership=membership_of(member, account), projects=[elsewhere], actor=actor
        )
    assert not AuditEvent.objects.exists()


def test_a_grant_on_a_removed_subproject_is_kept_for_its_restore(account, project, actor):
    removed = ProjectFactory(parent=project, removed=True)
    membership = MembershipFactory(account=account, role=Role.VIEWER)
    GrantFactory(membership=membership, project=removed)
    grant_services.membership_grants_set(membership=membership, projects=[project], actor=actor)
    assert set(membership.grants.values_list("project", flat=True)) == {removed.pk, project.pk}


def test_sign_out_everywhere_ends_every_session_and_is_recorded(member, actor):
    laptop, phone = signed_in_client(member), signed_in_client(member)
    services.user_sign_out_everywhere(user=member, actor=actor)
    assert laptop.get("/projects/").status_code == 302
    assert phone.get("/projects/").status_code == 302
    event = AuditEvent.objects.get(action="user.sign_out_everywhere")
    assert event.target_id == member.email
    # Signing in again works, at the new generation.
    assert signed_in_client(User.objects.get(pk=member.pk)).get("/projects/").status_code == 200


def test_sessions_from_before_generations_stay_valid(member):
    """Generation 0 hashes as Django does: deploying this signs nobody out."""
    from django.utils.crypto import salted_hmac

    djangos = salted_hmac(
        "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash",
        member.password,
        algorithm="sha256",
    ).hexdigest()
    assert member.session_generation == 0
    assert member.get_session_auth_hash() == djangos
    member.session_generation = 1
    assert member.get_session_auth_hash() != djangos
