"""Writes to accounts, memberships, invitations and sessions: a team's management.

The dashboard's Members page, the invitation pages, the admin and the commands all call
these. Each change writes its audit entry in its own transaction (audit.trail.record);
grants are written by projects.services.grant_set / grant_remove, which record theirs.

Concurrency (PostgreSQL): a change that could leave an account without an admin (a
demotion, a removal) first locks the account's admin memberships, in key order, and
only then the membership it changes, so two simultaneous demotions of the last two
admins are decided one after the other (the second sees one admin left and is
refused), and no two such changes can deadlock. An invitation's row is locked while it
is accepted, so two simultaneous acceptances make one membership.
"""

import dataclasses
import secrets

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from audit import trail
from core.actors import SYSTEM, Actor
from core.errors import AlreadyExists, InvalidValue, NotAllowed, WrongState
from core.validation import clean_display_name
from projects import services as project_services
from projects.key_secrets import hash_secret

from .current import first_membership, set_current_account
from .models import Account, Invitation, Membership, Role, User, invitation_expiry
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


# --- Memberships and roles ---------------------------------------------------------------


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise InvalidValue(
            f"Unknown role “{role}”: choose one of {', '.join(Role.values)}.", field="role"
        )


def _locked_admins(account_id) -> list[Membership]:
    """The account's admin memberships, locked in key order (see the module's note)."""
    admins = Membership.objects.select_for_update().filter(account_id=account_id, role=Role.ADMIN)
    return list(admins.order_by("pk"))


def _locked_membership(**lookup) -> Membership | None:
    rows = Membership.objects.select_for_update(of=("self",)).select_related("account", "user")
    return rows.filter(**lookup).first()


def _refuse_last_admin(membership: Membership, admins: list[Membership], doing: str) -> None:
    """The last-admin guard: an account always keeps at least one admin."""
    if membership.role == Role.ADMIN and not any(a.pk != membership.pk for a in admins):
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
    _check_role(role)
    # A demotion is possible only when the new role is not admin: only then are the
    # admins locked (before the membership itself, as everywhere here).
    admins = _locked_admins(account.pk) if role != Role.ADMIN else []
    membership = _locked_membership(account=account, user=user)
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
        membership = _locked_membership(pk=membership.pk)
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
    _check_role(role)
    admins = _locked_admins(membership.account_id) if role != Role.ADMIN else []
    stored = _locked_membership(pk=membership.pk)
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
    stored = _locked_membership(pk=membership.pk)
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


@transaction.atomic
def membership_grants_set(*, membership: Membership, projects, actor: Actor = SYSTEM) -> Membership:
    """Make `projects` (of the membership's account) the projects a member or viewer
    is granted: grants are added and withdrawn to match, each with its own entry
    (projects.services.grant_set / grant_remove). Grants on removed subprojects are
    left alone: they apply again if the subproject is restored."""
    stored = _locked_membership(pk=membership.pk)
    if stored is None:
        raise WrongState("This person is no longer a member of the account.")
    wanted = {project.pk: project for project in projects}
    _check_projects(stored.account, wanted.values())
    current = {
        grant.project_id: grant
        for grant in stored.grants.filter(project__removed_at__isnull=True).select_related(
            "project"
        )
    }
    for pk in sorted(wanted.keys() - current.keys()):
        project_services.grant_set(membership=stored, project=wanted[pk], actor=actor)
    for pk in sorted(current.keys() - wanted.keys()):
        project_services.grant_remove(grant=current[pk], actor=actor)
    return stored


def _check_projects(account: Account, projects) -> None:
    for project in projects:
        if project.account_id != account.pk or project.removed_at is not None:
            raise InvalidValue(
                f"“{project.name}” is not a project of this account.", field="projects"
            )


def _record(actor: Actor, action: str, membership: Membership, changes: dict) -> None:
    trail.record(
        actor,
        action,
        account=membership.account,
        target_id=membership.user.email,
        target_label=membership.user.email,
        changes=changes,
    )


# --- Invitations -------------------------------------------------------------------------

# 256 random bits, URL-safe: the link's token. Only its HMAC is stored.
_TOKEN_BYTES = 32
_TOKEN_LENGTH = 43


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(_TOKEN_BYTES)
    return token, hash_secret(token)


EMAIL_MAX_LENGTH = Invitation._meta.get_field("email").max_length


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    if len(email) > EMAIL_MAX_LENGTH:
        raise InvalidValue(
            f"An email address has at most {EMAIL_MAX_LENGTH} characters.", field="email"
        )
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidValue("Enter a valid email address.", field="email") from None
    return email


def _invitation_fields(invitation: Invitation, projects) -> dict:
    return {
        "email": invitation.email,
        "role": invitation.role,
        "projects": [project.public_id for project in projects],
        "expires_at": invitation.expires_at,
    }


def _record_invitation(actor: Actor, action: str, invitation: Invitation, changes: dict) -> None:
    trail.record(
        actor,
        action,
        account=invitation.account,
        target_id=invitation.email,
        target_label=invitation.email,
        changes=changes,
    )


@sensitive_variables("token")
@transaction.atomic
def invitation_create(
    *, account: Account, email: str, role: str, projects=(), actor: Actor = SYSTEM
) -> tuple[Invitation, str]:
    """Invite `email` to `account` with `role` and, for members and viewers, the
    `projects` they will be granted (at least one; admins see every project). Returns
    the invitation and its token, which exists nowhere else afterwards: the caller
    puts it in the email's link."""
    email = _clean_email(email)
    _check_role(role)
    projects = [] if role == Role.ADMIN else list(projects)
    if role != Role.ADMIN and not projects:
        raise InvalidValue(
            "Choose at least one project for a member or viewer (admins see every project).",
            field="projects",
        )
    _check_projects(account, projects)
    # The account's row serialises its invitations: one open invitation per email.
    account = Account.objects.select_for_update().get(pk=account.pk)
    if Membership.objects.filter(account=account, user__email__iexact=email).exists():
        raise AlreadyExists(f"{email} is already a member of this account.", field="email")
    pending = account.invitations.open().filter(email=email).first()
    if pending is not None:
        raise AlreadyExists(
            f"{email} is already invited: resend or cancel that invitation below.", field="email"
        )
    token, token_hash = _new_token()
    invitation = Invitation.objects.create(
        account=account, email=email, role=role, token_hash=token_hash, invited_by=actor.user
    )
    invitation.projects.set(projects)
    changes = trail.created(_invitation_fields(invitation, projects))
    _record_invitation(actor, "invitation.create", invitation, changes)
    return invitation, token


def _locked_invitation(pk) -> Invitation | None:
    rows = Invitation.objects.select_for_update(of=("self",)).select_related("account")
    return rows.filter(pk=pk).first()


@sensitive_variables("token")
@transaction.atomic
def invitation_resend(*, invitation: Invitation, actor: Actor = SYSTEM) -> tuple[Invitation, str]:
    """A new link for an open invitation (expired ones included), valid for another
    INVITATION_DAYS days; the previous link stops working. Returns the new token."""
    stored = _locked_invitation(invitation.pk)
    if stored is None or stored.cancelled_at is not None:
        raise WrongState("This invitation was cancelled: invite them again instead.")
    if stored.accepted_at is not None:
        raise WrongState("This invitation has been accepted already.")
    before = {"expires_at": stored.expires_at}
    token, stored.token_hash = _new_token()
    stored.sent_at, stored.expires_at = timezone.now(), invitation_expiry()
    stored.save(update_fields=["token_hash", "sent_at", "expires_at"])
    changes = trail.diff(before, {"expires_at": stored.expires_at})
    _record_invitation(actor, "invitation.resend", stored, changes)
    return stored, token


@transaction.atomic
def invitation_cancel(*, invitation: Invitation, actor: Actor = SYSTEM) -> Invitation:
    """Withdraw an invitation: its link stops working (cancelling twice changes nothing)."""
    stored = _locked_invitation(invitation.pk)
    if stored is None:
        raise WrongState("This invitation no longer exists.")
    if stored.accepted_at is not None:
        raise WrongState("This invitation has been accepted already: remove the member instead.")
    if stored.cancelled_at is None:
        stored.cancelled_at = timezone.now()
        stored.save(update_fields=["cancelled_at"])
        changes = trail.diff({"cancelled_at": None}, {"cancelled_at": stored.cancelled_at})
        _record_invitation(actor, "invitation.cancel", stored, changes)
    return stored


@sensitive_variables("token")
def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link's token belongs to (any state), or None."""
    if not isinstance(token, str) or len(token) != _TOKEN_LENGTH:
        return None
    return (
        Invitation.objects.select_related("account").filter(token_hash=hash_secret(token)).first()
    )


def invitation_problem(invitation: Invitation | None) -> str | None:
    """Why this invitation cannot be accepted (a message for the invitee), or None."""
    if invitation is None:
        return "This invitation link is not valid. Check that you opened the whole link."
    if invitation.accepted_at is not None:
        return "This invitation has already been used. Sign in to reach the account."
    if invitation.cancelled_at is not None:
        return "This invitation was cancelled. Ask the person who invited you for a new one."
    if invitation.is_expired():
        return (
            "This invitation has expired. Ask the person who invited you to resend it: "
            "the new email has a new link."
        )
    return None


@sensitive_variables("token", "password")
@transaction.atomic
def invitation_accept(
    *, token: str, user: User | None = None, password: str | None = None, actor: Actor = SYSTEM
) -> Membership:
    """Accept an invitation: once, before it expires, by the invited email only.

    `user`: the signed-in user accepting it (their email must be the invited one).
    Without one, a new user is made for the invited email with `password` (Django's
    password validators apply); `actor` (the invitee's address) then becomes that user.
    The user joins the account with the invitation's role and grants, unless they
    already belong to it (then nothing about them changes), and is put in that account
    on the project the grant gives (their current project). Returns the membership.
    """
    found = invitation_for_token(token)
    invitation = _locked_invitation(found.pk) if found is not None else None
    problem = invitation_problem(invitation)
    if problem:
        raise WrongState(problem)
    if user is None:
        user = _new_invited_user(invitation.email, password)
        actor = dataclasses.replace(actor, id=str(user.pk), user=user)
    elif user.email.lower() != invitation.email:
        raise NotAllowed(
            f"This invitation is for {invitation.email}, and you are signed in as "
            f"{user.email}. Sign out, then open the link again."
        )
    account = invitation.account
    membership = Membership.objects.filter(account=account, user=user).first()
    granted = list(invitation.projects.alive().order_by("created_at", "pk"))
    joining = membership is None
    if joining:
        if invitation.role != Role.ADMIN and not granted:
            raise WrongState(
                "The projects this invitation was for have been removed. Ask the person "
                "who invited you for a new invitation."
            )
        membership = membership_set(account=account, user=user, role=invitation.role, actor=actor)
        for project in granted:
            project_services.grant_set(membership=membership, project=project, actor=actor)
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    changes = trail.diff({"accepted_at": None}, {"accepted_at": invitation.accepted_at})
    _record_invitation(actor, "invitation.accept", invitation, changes)
    set_current_account(user, account, role=membership.role)
    if joining and granted:
        # They land on what the grant gives them (an ASP's customer: their subproject).
        User.objects.filter(pk=user.pk).update(current_project=granted[0])
        user.current_project = granted[0]
    return membership


@sensitive_variables("password")
def _new_invited_user(email: str, password: str | None) -> User:
    if User.objects.filter(email__iexact=email).exists():
        raise WrongState(
            f"There is already a user with the email {email}: sign in, then open the "
            "link again to accept."
        )
    candidate = User(email=email)
    try:
        password_validation.validate_password(password or "", user=candidate)
    except ValidationError as error:
        raise InvalidValue(errors={"password": error.messages}) from None
    return User.objects.create_user(email=email, password=password)


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
