"""Writes to accounts and memberships, shared by the admin and the commands."""

from django.core.exceptions import ValidationError
from django.db import transaction

from core.errors import InvalidValue
from core.validation import clean_display_name

from .models import Account, Membership, Role, User


@transaction.atomic
def account_create(*, name: str) -> Account:
    try:
        name = clean_display_name(name, what="Account name")
    except ValidationError as error:
        raise InvalidValue(error.message, field="name") from None
    return Account.objects.create(name=name)


@transaction.atomic
def membership_set(*, account: Account, user: User, role: str) -> Membership:
    """Make `user` a member of `account` with `role`, or change their role."""
    if role not in Role.values:
        raise InvalidValue(
            f"Unknown role “{role}”: choose one of {', '.join(Role.values)}.", field="role"
        )
    membership, _ = Membership.objects.update_or_create(
        account=account, user=user, defaults={"role": role}
    )
    return membership
