"""Simultaneous team changes on PostgreSQL: the last-admin guard holds when the last two
admins are demoted or removed at the same moment, and an invitation accepted twice at
once makes one membership.

The guard's check is slowed down (a pause after counting the admins), so that without
the locks both changes would pass it: each trial would then leave no admin.
"""

import time

import pytest
from django.db import connection

from accounts import services
from accounts.models import Membership, Role, User
from audit.models import AuditEvent
from core.actors import Actor
from core.errors import NotAllowed, WrongState
from projects import services as grant_services
from team import services as team_services
from tests.factories import AccountFactory, GrantFactory, MembershipFactory, ProjectFactory
from tests.support.concurrency import simultaneously

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent writers: run with DATABASE_URL=postgres://... (CI does)",
    ),
]

TRIALS = 10


@pytest.fixture
def slow_guard(monkeypatch):
    real = services._refuse_last_admin

    def slow(*args, **kwargs):
        real(*args, **kwargs)
        time.sleep(0.05)  # the window a race would need

    monkeypatch.setattr(services, "_refuse_last_admin", slow)


def two_admins():
    account = AccountFactory()
    first = MembershipFactory(account=account, role=Role.ADMIN)
    second = MembershipFactory(account=account, role=Role.ADMIN)
    return account, first, second


def admins_of(account) -> int:
    return Membership.objects.filter(account=account, role=Role.ADMIN).count()


def demote(membership):
    services.membership_role_set(membership=membership, role=Role.MEMBER, actor=ACTOR)


def remove(membership):
    services.membership_remove(membership=membership, actor=ACTOR)


ACTOR = Actor.for_command("t")


def last_two_admins_trial(change_first, change_second) -> list:
    """One trial: the two admins of a new account changed at once; the errors."""
    account, first, second = two_admins()
    errors = simultaneously(lambda: change_first(first), lambda: change_second(second))
    assert admins_of(account) == 1
    return errors


@pytest.mark.parametrize(
    ("change_first", "change_second"),
    [(demote, demote), (remove, remove), (demote, remove)],
    ids=["both demoted", "both removed", "one demoted, one removed"],
)
def test_the_last_two_admins_changed_at_once_leave_one(slow_guard, change_first, change_second):
    for _ in range(TRIALS):
        errors = last_two_admins_trial(change_first, change_second)
        assert [type(error) for error in errors] == [NotAllowed], errors
        assert "last admin" in errors[0].message


def accept_twice_trial(trial: int) -> None:
    project = ProjectFactory()
    sub = ProjectFactory(parent=project)
    email = f"new{trial}@example.com"
    _, token = team_services.invitation_create(
        account=project.account, email=email, role=Role.VIEWER, projects=[sub]
    )

    def accept():
        team_services.invitation_accept(token=token, password="a long new passphrase")

    errors = simultaneously(accept, accept)
    assert [type(error) for error in errors] == [WrongState]
    assert "already been used" in errors[0].message
    assert User.objects.filter(email=email).count() == 1
    assert Membership.objects.filter(account=project.account).count() == 1
    accepted = AuditEvent.objects.filter(action="invitation.accept", target_id=email)
    assert accepted.count() == 1


def test_an_invitation_accepted_twice_at_once_makes_one_membership():
    for trial in range(TRIALS):
        accept_twice_trial(trial)


def grants_trial() -> None:
    project = ProjectFactory()
    a, b = ProjectFactory(account=project.account), ProjectFactory(account=project.account)
    membership = MembershipFactory(account=project.account, role=Role.VIEWER)
    GrantFactory(membership=membership, project=project)

    def grant(chosen):
        return lambda: grant_services.membership_grants_set(
            membership=membership, projects=[chosen], actor=ACTOR
        )

    assert simultaneously(grant(a), grant(b)) == []
    granted = set(membership.grants.values_list("project_id", flat=True))
    assert granted in ({a.pk}, {b.pk})


def test_grants_set_at_once_by_two_admins_end_as_one_of_them():
    for _ in range(TRIALS):
        grants_trial()


def deactivate(membership):
    user = User.objects.get(pk=membership.user_id)
    user.is_active = False
    services.user_update(user=user, actor=ACTOR)


def delete_user(membership):
    services.user_delete(user=User.objects.get(pk=membership.user_id), actor=ACTOR)


def active_admins_of(account) -> int:
    return Membership.objects.filter(account=account, role=Role.ADMIN, user__is_active=True).count()


@pytest.mark.parametrize(
    ("change_first", "change_second"),
    [(deactivate, deactivate), (delete_user, delete_user), (deactivate, remove)],
    ids=["both deactivated", "both deleted", "one deactivated, one removed"],
)
def test_the_last_two_admins_deactivated_or_deleted_at_once_leave_one(
    slow_guard, change_first, change_second
):
    """Issue 21: the operators' admin deactivates and deletes users through these."""
    for _ in range(TRIALS):
        account, first, second = two_admins()
        errors = simultaneously(
            lambda first=first: change_first(first), lambda second=second: change_second(second)
        )
        assert [type(error) for error in errors] == [NotAllowed], errors
        assert "last admin" in errors[0].message
        assert active_admins_of(account) == 1
