"""Writes to accounts, memberships, sessions and a user's settings.

The Members page (team), the profile, the admin and the commands all call these. Each
change writes its audit entry in its own transaction (audit.trail.record). Invitations
are team.services'; grants projects.services'.

Concurrency (PostgreSQL): a change that could leave an account without an admin (a
demotion, a removal) first locks the account's admin memberships, in key order, and
only then the membership it changes, so two simultaneous demotions of the last two
admins are decided one after the other (the second sees one admin left and is
refused), and no two such changes can deadlock. An invitation's row is locked while it
is accepted, so two simultaneous acceptances make one membership.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.views.decorators.debug import sensitive_variables

from audit import trail
from core.actors import SYSTEM, Actor
from core.errors import InvalidValue, NotAllowed, WrongState
from core.validation import clean_display_name

from .current import first_membership
from .models import Account, Membership, Role, User
from .time_zones import is_time_zone


@transaction.atomic
def account_create(*, name: str, actor: Actor = SYSTEM) -> Account:
    try:
        name = clean_display_name(name, what="Account name")
    except ValidationError as error:
        raise InvalidValue(error.message, field="name") from None
    account = Account.objects.create(name=name)
    record_account(actor, "account.create", account, trail.created({"name": account.name}))
    return account


def record_account(actor: Actor, action: str, account: Account, changes: dict) -> None:
    """The audit entry of a change to an account's own settings."""
    trail.record(
        actor,
        action,
        account=account,
        target_id=account.public_id,
        target_label=account.name,
        changes=changes,
    )


@transaction.atomic
def account_rename(*, account: Account, name: str, actor: Actor = SYSTEM) -> Account:
    """Rename an account (an operator, in the admin), with its "account.rename" entry."""
    try:
        name = clean_display_name(name, what="Account name")
    except ValidationError as error:
        raise InvalidValue(error.message, field="name") from None
    _account_set(account, "name", name, "account.rename", actor)
    return account


@transaction.atomic
def account_set_two_factor_policy(
    *, account: Account, required: bool, actor: Actor = SYSTEM
) -> Account:
    """Require (or stop requiring) a second factor of the account's members: those
    signed in without one reach only the set-up page until they have one."""
    _account_set(account, "require_two_factor", required, "account.two_factor_policy", actor)
    return account


def _account_set(account: Account, field: str, value, action: str, actor: Actor) -> None:
    """Set one field of the account, locked, with its entry (none if it is unchanged);
    `account` shows the value afterwards."""
    stored = Account.objects.select_for_update().get(pk=account.pk)
    if getattr(stored, field) != value:
        changes = trail.diff({field: getattr(stored, field)}, {field: value})
        setattr(stored, field, value)
        stored.save(update_fields=[field])
        record_account(actor, action, stored, changes)
    setattr(account, field, value)


# --- Memberships and roles ---------------------------------------------------------------


def check_role(role: str) -> None:
    """Refuse a role that is not one of Role's (InvalidValue on `role`)."""
    if role not in Role.values:
        raise InvalidValue(
            f"Unknown role “{role}”: choose one of {', '.join(Role.values)}.", field="role"
        )


def _locked_admins(account_id) -> list[Membership]:
    """The account's admin memberships, locked in key order (see the module's note),
    with their users, locked too: a user deactivated meanwhile is read as they are once
    the lock is ours (PostgreSQL re-reads a row it waited for), so two simultaneous
    deactivations of the last two admins cannot both pass."""
    admins = (
        Membership.objects.select_for_update()
        .select_related("user")
        .filter(account_id=account_id, role=Role.ADMIN)
    )
    return list(admins.order_by("pk"))


def locked_membership(**lookup) -> Membership | None:
    """The membership matching `lookup`, with its account and user, locked until the
    transaction ends (None if there is none)."""
    rows = Membership.objects.select_for_update(of=("self",)).select_related("account", "user")
    return rows.filter(**lookup).first()


def _refuse_last_admin(membership: Membership, admins: list[Membership], doing: str) -> None:
    """The last-admin guard: an account always keeps at least one admin."""
    if membership.role == Role.ADMIN and not any(
        a.pk != membership.pk and a.user.is_active for a in admins
    ):
        raise NotAllowed(
            f"{membership.user.email} is the account's last admin and cannot be {doing}: "
            "make another member an admin first.",
            field="role",
        )


def _change_role(membership: Membership, role: str, admins, actor: Actor) -> Membership:
    if membership.role == role:
        return membership
    if role != Role.ADMIN:
        _refuse_last_admin(membership, admins, "made a " + Role(role).label.lower())
    changes = trail.diff({"role": membership.role}, {"role": role})
    membership.role = role
    membership.save(update_fields=["role"])
    _record(actor, "membership.update", membership, changes)
    return membership


@transaction.atomic
def membership_set(*, account: Account, user: User, role: str, actor: Actor = SYSTEM) -> Membership:
    """Make `user` a member of `account` with `role`, or change their role. A user's
    first account becomes the one the dashboard shows them."""
    check_role(role)
    # A demotion is possible only when the new role is not admin: only then are the
    # admins locked (before the membership itself, as everywhere here).
    admins = _locked_admins(account.pk) if role != Role.ADMIN else []
    membership = locked_membership(account=account, user=user)
    if membership is None:
        # get_or_create: a concurrent call may create it first (the unique constraint
        # decides; get_or_create then reads the winner's row).
        membership, made = Membership.objects.get_or_create(
            account=account, user=user, defaults={"role": role}
        )
        if made:
            _record(actor, "membership.create", membership, trail.created({"role": role}))
            _default_account(user, account, role)
            return membership
        membership = locked_membership(pk=membership.pk)
    return _change_role(membership, role, admins, actor)


def _default_account(user: User, account: Account, role: str) -> None:
    # Conditional, so a concurrent change of the user's account is not overwritten.
    if User.objects.filter(pk=user.pk, current_account__isnull=True).update(
        current_account=account
    ):
        user.current_account = account
        user.current_role = role


@transaction.atomic
def membership_role_set(*, membership: Membership, role: str, actor: Actor = SYSTEM) -> Membership:
    """Change a member's role (admin, member, viewer). The last admin stays one."""
    check_role(role)
    admins = _locked_admins(membership.account_id) if role != Role.ADMIN else []
    stored = locked_membership(pk=membership.pk)
    if stored is None:
        raise WrongState("This person is no longer a member of the account.")
    _change_role(stored, role, admins, actor)
    membership.role = stored.role
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: Actor = SYSTEM) -> None:
    """Take a user out of an account, with their grants (a membership already gone
    changes nothing). The last admin cannot be removed. Every session of the removed
    user ends at its next request (their session generation is raised), and a user
    who was in that account is moved to another of theirs."""
    admins = _locked_admins(membership.account_id)
    stored = locked_membership(pk=membership.pk)
    if stored is None:
        return
    _refuse_last_admin(stored, admins, "removed")
    stored.delete()
    _record(actor, "membership.remove", stored, trail.deleted({"role": stored.role}))
    _end_sessions(stored.user)
    _leave_account(stored.user, stored.account)


def _leave_account(user: User, account: Account) -> None:
    following = first_membership(user, excluding=account)
    # Conditional: only if the user is still in the account they left.
    User.objects.filter(pk=user.pk, current_account=account).update(
        current_account=following.account if following else None, current_project=None
    )


def _end_sessions(user: User) -> None:
    """Every session of `user` ends at its next request: the generation is part of the
    session hash Django checks on each request (accounts.models.User)."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)


def _record(actor: Actor, action: str, membership: Membership, changes: dict) -> None:
    trail.record(
        actor,
        action,
        account=membership.account,
        target_id=membership.user.email,
        target_label=membership.user.email,
        changes=changes,
    )


# --- Users (the operators' admin) --------------------------------------------------------

# What an entry of an operator's change of a user shows (never the password's hash).
USER_FIELDS = (
    "email",
    "first_name",
    "last_name",
    "time_zone",
    "is_active",
    "is_staff",
    "is_superuser",
)


def _user_fields(user: User) -> dict:
    return {name: getattr(user, name) for name in USER_FIELDS}


def _record_user(actor: Actor, action: str, user: User, changes=None) -> None:
    trail.record(actor, action, target_id=user.email, target_label=user.email, changes=changes)


def _refuse_last_admin_user(user: User, doing: str) -> None:
    """The last-admin guard for a user (deactivated, deleted): every account where
    `user` is an admin keeps another active one. Each account's admins are locked first,
    as a membership's removal locks them, so the two cannot both pass."""
    accounts = (
        Membership.objects.filter(user=user, role=Role.ADMIN)
        .order_by("account_id")
        .values_list("account_id", flat=True)
    )
    for account_id in list(accounts):
        admins = _locked_admins(account_id)
        mine = next((a for a in admins if a.user_id == user.pk), None)
        if mine is not None:
            _refuse_last_admin(mine, admins, doing)


@transaction.atomic
def user_create(*, user: User, actor: Actor = SYSTEM) -> User:
    """Save a new user made by an operator (the admin's form has set its email and
    password), with its "user.create" entry."""
    user.save()
    _record_user(actor, "user.create", user, trail.created(_user_fields(user)))
    return user


@transaction.atomic
def user_update(*, user: User, actor: Actor = SYSTEM) -> User:
    """Save an operator's change of `user` (the admin's form has set its fields), with
    one "user.update" entry of what changed (email, names, time zone, active, staff,
    superuser). Deactivating an account's last admin is refused (NotAllowed)."""
    if not user.is_active and User.objects.filter(pk=user.pk, is_active=True).exists():
        _refuse_last_admin_user(user, "deactivated")
    stored = User.objects.select_for_update().get(pk=user.pk)
    changes = trail.diff(_user_fields(stored), _user_fields(user))
    user.save()
    if changes:
        _record_user(actor, "user.update", user, changes)
    return user


def user_access_record(*, user: User, before: dict, after: dict, actor: Actor = SYSTEM) -> None:
    """The entry of an operator's change of a user's groups and permissions (lists of
    names, before and after: the admin saves them itself, with the form)."""
    changes = trail.diff(before, after)
    if changes:
        _record_user(actor, "user.access", user, changes)


@transaction.atomic
def user_delete(*, user: User, actor: Actor = SYSTEM) -> None:
    """Delete a user (an operator, in the admin), with their memberships: one
    "membership.remove" entry per account they leave, and one "user.delete". The last
    admin of an account cannot be deleted (NotAllowed): make another member an admin
    first."""
    _refuse_last_admin_user(user, "deleted")
    stored = User.objects.select_for_update().filter(pk=user.pk).first()
    if stored is None:
        return
    for membership in stored.memberships.select_related("account", "user").order_by("pk"):
        _record(actor, "membership.remove", membership, trail.deleted({"role": membership.role}))
    _record_user(actor, "user.delete", stored, trail.deleted(_user_fields(stored)))
    stored.delete()


# --- Sessions and passwords --------------------------------------------------------------


@transaction.atomic
def user_sign_out_everywhere(*, user: User, actor: Actor = SYSTEM) -> None:
    """End every session of `user`, on every device, this one included."""
    _end_sessions(user)
    trail.record(actor, "user.sign_out_everywhere", target_id=user.email, target_label=user.email)


@sensitive_variables("password")
@transaction.atomic
def user_password_reset(*, user: User, password: str, actor: Actor = SYSTEM) -> User:
    """Set a new password from a reset link (the form has run Django's validators).
    Every other session of the user ends (Django's session hash covers the password)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    trail.record(actor, "user.password_reset", target_id=user.email, target_label=user.email)


@sensitive_variables("password")
@transaction.atomic
def user_password_change(*, user: User, password: str | None, actor: Actor = SYSTEM) -> User:
    """Set a user's password (their own change on the profile, or an operator's in the
    admin; the form has run Django's validators and checked the current one), with its
    "user.password_change" entry. `password` None: the admin has set the password on
    `user` already (possibly an unusable one, which turns password sign-in off)."""
    if password is not None:
        user.set_password(password)
    user.save(update_fields=["password"])
    changes = {} if user.has_usable_password() else {"usable": {"before": None, "after": False}}
    _record_user(actor, "user.password_change", user, changes)
    return user


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
