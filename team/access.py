"""Who may manage an account's team: its admins, while they are in that account.

Anyone else gets 404 for the Members page and its actions (members, viewers, customers
and outsiders alike: the page does not exist for them, and no link to it is shown).
"""

from django.http import Http404

from accounts.models import Account, Membership, Role

from .models import Invitation

_MISSING = object()


def get_account_for_admin(user, account_id: str) -> Account:
    """The user's current account if it has this public ID and the user administers
    it, else 404. Costs no query for a user loaded by accounts.backends (the current
    account and the role in it come with the user)."""
    account = user.current_account if user.is_authenticated else None
    if account is None or account.public_id != account_id:
        raise Http404("No such account.")
    role = getattr(user, "current_role", _MISSING)
    if role is _MISSING:
        role = (
            Membership.objects.filter(account=account, user=user)
            .values_list("role", flat=True)
            .first()
        )
    if role != Role.ADMIN:
        raise Http404("No such account.")
    return account


def get_membership(account: Account, member_id: str) -> Membership:
    membership = (
        Membership.objects.select_related("user", "account")
        .filter(account=account, public_id=member_id)
        .first()
    )
    if membership is None:
        raise Http404("No such member.")
    return membership


def get_invitation(account: Account, invitation_id: str) -> Invitation:
    invitation = account.invitations.open().filter(public_id=invitation_id).first()
    if invitation is None:
        raise Http404("No such invitation.")
    invitation.account = account
    return invitation
