"""Writes to accounts and memberships, shared by the admin and the commands.

Each change writes its audit entry in its own transaction (audit.trail.record).
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from audit import trail
from core.actors import SYSTEM, Actor
from core.errors import InvalidValue
from core.validation import clean_display_name

from .models import Account, Membership, Role, User
from .time_zones import is_time_zone


@transaction.atomic
def account_create(*, name: str, actor: Actor = SYSTEM) -> Account:
    try:
        name = clean_display_name(name, what="Account name")
    except ValidationError as error:
        raise InvalidValue(error.message, field="name") from None
    account = Account.objects.create(name=name)
    trail.record(
        actor,
        "account.create",
        account=account,
        target_id=account.public_id,
        target_label=account.name,
        changes=trail.created({"name": account.name}),
    )
    return account


@transaction.atomic
def membership_set(*, account: Account, user: User, role: str, actor: Actor = SYSTEM) -> Membership:
    """Make `user` a member of `account` with `role`, or change their role."""
    if role not in Role.values:
        raise InvalidValue(
            f"Unknown role “{role}”: choose one of {', '.join(Role.values)}.", field="role"
        )
    membership = Membership.objects.select_for_update().filter(account=account, user=user).first()
    if membership is None:
        # get_or_create: a concurrent call may create it first (the unique constraint
        # decides; get_or_create then reads the winner's row).
        membership, made = Membership.objects.get_or_create(
            account=account, user=user, defaults={"role": role}
        )
        if made:
            _record(actor, "membership.create", membership, trail.created({"role": role}))
            return membership
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role != role:
        changes = trail.diff({"role": membership.role}, {"role": role})
        membership.role = role
        membership.save(update_fields=["role"])
        _record(actor, "membership.update", membership, changes)
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: Actor = SYSTEM) -> None:
    """Take a user out of an account, with their grants (a membership already gone
    changes nothing)."""
    stored = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("account", "user")
        .filter(pk=membership.pk)
        .first()
    )
    if stored is None:
        return
    stored.delete()
    _record(actor, "membership.remove", stored, trail.deleted({"role": stored.role}))


def _record(actor: Actor, action: str, membership: Membership, changes: dict) -> None:
    trail.record(
        actor,
        action,
        account=membership.account,
        target_id=membership.user.email,
        target_label=membership.user.email,
        changes=changes,
    )


@transaction.atomic
def user_set_time_zone(*, user: User, time_zone: str, actor: Actor = SYSTEM) -> User:
    """Set the time zone the dashboard shows `user` times in (an IANA name, e.g.
    "Europe/Stockholm"). `user` is updated in place."""
    if not is_time_zone(time_zone):
        raise InvalidValue(
            f"“{time_zone}” is not a time zone we know: choose one from the list "
            "(e.g. Europe/London).",
            field="time_zone",
        )
    stored = User.objects.select_for_update().get(pk=user.pk)
    if stored.time_zone != time_zone:
        changes = trail.diff({"time_zone": stored.time_zone}, {"time_zone": time_zone})
        stored.time_zone = time_zone
        stored.save(update_fields=["time_zone"])
        trail.record(
            actor, "user.time_zone", target_id=user.email, target_label=user.email, changes=changes
        )
    user.time_zone = time_zone
    return user
