"""Invitations: made, resent, cancelled by an account's admins; accepted once, by the
invited email, which joins the account with the invitation's role and grants.

The Members page, the invitation page, the admin and the commands call these. Each
change writes its audit entry in its own transaction (audit.trail.record); joining is
accounts.services.membership_set, and the grants projects.services.grant_set, each
recording theirs. An invitation's row is locked while it is accepted, so two
simultaneous acceptances make one membership.
"""

import dataclasses
import secrets

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from accounts.current import set_current_account
from accounts.models import Account, Membership, Role, User
from accounts.services import check_role, membership_set
from audit import trail
from core.actors import SYSTEM, Actor
from core.credentials import all_hashes, hash_secret
from core.errors import AlreadyExists, InvalidValue, NotAllowed, WrongState
from projects.services import check_grantable, grant_set

from .models import Invitation, invitation_expiry

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
    check_role(role)
    projects = [] if role == Role.ADMIN else list(projects)
    if role != Role.ADMIN and not projects:
        raise InvalidValue(
            "Choose at least one project for a member or viewer (admins see every project).",
            field="projects",
        )
    check_grantable(account, projects)
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
        Invitation.objects.select_related("account")
        .filter(token_hash__in=all_hashes(token))
        .first()
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
            grant_set(membership=membership, project=project, actor=actor)
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
