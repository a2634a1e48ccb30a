"""Passkeys (WebAuthn) as a second factor (ADR 0123): django-otp-webauthn's credentials,
django-otp devices beside the authenticator app (accounts.two_factor).

The library does the WebAuthn ceremonies (py_webauthn: challenge, origin, RP ID,
signature, sign count) and ships the browser's script; the console adds what it owns:
the name a user gives a passkey, the audit entries, the password asked before one is
removed, and the second step of signing in (accounts.views.passkeys), where only the
passkeys of the person who passed the first step are accepted.
"""

from django.db import transaction
from django.db.models import Exists, OuterRef
from django_otp_webauthn.utils import get_credential_model

from audit import trail
from core.actors import SYSTEM, Actor
from core.errors import InvalidValue

from .models import User

Passkey = get_credential_model()

NAME_MAX = 64
DEFAULT_NAME = "Passkey"


def has_passkey(user) -> bool:
    return Passkey.objects.filter(user=user, confirmed=True).exists()


def has_passkey_expression(user_field: str = "user") -> Exists:
    return Exists(Passkey.objects.filter(user=OuterRef(user_field), confirmed=True))


def passkeys_of(user) -> list:
    return list(Passkey.objects.filter(user=user, confirmed=True).order_by("created_at", "pk"))


def clean_name(name: str) -> str:
    name = " ".join(str(name or "").split())
    if len(name) > NAME_MAX:
        raise InvalidValue(f"Keep the name under {NAME_MAX} characters.", field="name")
    return name or DEFAULT_NAME


@transaction.atomic
def passkey_added(*, user, passkey, name: str, actor: Actor = SYSTEM) -> None:
    """Name a passkey the library has just registered for `user`, and audit it."""
    User.objects.select_for_update().get(pk=user.pk)
    passkey.name = clean_name(name)
    passkey.save(update_fields=["name"])
    _record(actor, "user.passkey_add", user, passkey.name)


@transaction.atomic
def passkey_remove(*, user, passkey_id: int, actor: Actor = SYSTEM) -> str | None:
    """Remove one of `user`'s passkeys (the profile asks for the password first); its
    name, or None when it is not theirs or already gone."""
    User.objects.select_for_update().get(pk=user.pk)
    passkey = Passkey.objects.filter(user=user, pk=passkey_id).first()
    if passkey is None:
        return None
    name = passkey.name
    passkey.delete()
    _record(actor, "user.passkey_remove", user, name)
    return name


def _record(actor: Actor, action: str, user, name: str) -> None:
    trail.record(
        actor,
        action,
        target_id=user.email,
        target_label=user.email,
        changes={"passkey": {"before": None, "after": name}}
        if action.endswith("add")
        else {"passkey": {"before": name, "after": None}},
    )
