"""Two-factor sign-in: a TOTP authenticator app and ten one-time recovery codes.

The devices are django-otp's (ADR 0130): a TOTPDevice (RFC 6238, 30-second steps, six
digits) and a StaticDevice holding the recovery codes, each code deleted as it is used.
A user "has two-factor" when they have a confirmed TOTP device; enrolment makes an
unconfirmed one, which only a correct code from the app confirms.

Every change is audited in its own transaction, like the other services of accounts.
Codes are checked here (`matching_device`); counting wrong codes like wrong passwords is
the forms' (accounts.forms.count_attempt), so that one throttle covers both.
"""

import base64

import segno
from django.db import transaction
from django.db.models import Exists, OuterRef
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit import trail
from core.actors import SYSTEM, Actor
from core.errors import InvalidValue, WrongState

from . import passkeys
from .models import User

RECOVERY_CODES = 10
APP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


def has_app(user) -> bool:
    """Whether `user` has a confirmed authenticator app (TOTP)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def has_two_factor(user) -> bool:
    """Whether `user` signs in with a second factor: an authenticator app or a passkey
    (accounts.passkeys). One query."""
    return User.objects.filter(pk=user.pk).filter(has_two_factor_expression("pk")).exists()


def has_two_factor_expression(user_field: str = "user"):
    """has_two_factor() of the row's `user_field`, to annotate a list with (the Members
    page, the require-two-factor policy) in its own query."""
    return Exists(
        TOTPDevice.objects.filter(user=OuterRef(user_field), confirmed=True)
    ) | passkeys.has_passkey_expression(user_field)


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def pending_app(user) -> TOTPDevice:
    """The authenticator app being set up (unconfirmed): the same one on every visit
    of the set-up page, so that a reload shows the secret already scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it typed in: base32, in groups of four."""
    text = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL (issuer OTP_TOTP_ISSUER, the user's email) as an inline SVG
    QR code: drawn on the server, no image request and no script."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, border=2)


def _clean(code: str) -> str:
    return "".join(str(code or "").split()).lower()


def matching_device(user, code: str, *, confirmed: bool = True):
    """The device that accepts `code` (a TOTP code or an unused recovery code, which
    is then used up), or None. Only codes of `user`'s confirmed devices count."""
    code = _clean(code)
    if not code:
        return None
    if code.isdigit():
        for device in TOTPDevice.objects.filter(user=user, confirmed=confirmed):
            if device.verify_token(code):
                return device
        return None
    for device in StaticDevice.objects.filter(user=user, confirmed=confirmed):
        if device.verify_token(code):
            return device
    return None


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _lock(user) -> User:
    # One change of a user's devices at a time (two set-up tabs confirming at once).
    return User.objects.select_for_update().get(pk=user.pk)


@transaction.atomic
def two_factor_enable(*, user, device: TOTPDevice, code: str, actor: Actor = SYSTEM) -> list[str]:
    """Confirm the authenticator app being set up with a code it shows; returns the
    ten recovery codes (shown once). Refused while another app is confirmed."""
    _lock(user)
    if has_app(user):
        # Only someone who proves the current app (turning it off first) may replace
        # it: else whoever holds a signed-in session could take the second factor over.
        raise WrongState(
            "Two-factor sign-in is already on: turn it off (password and code) before "
            "setting up another app."
        )
    device = TOTPDevice.objects.filter(pk=device.pk, user=user, confirmed=False).first()
    if device is None:
        raise WrongState("This set-up has already been finished or replaced: start again.")
    if not device.verify_token(_clean(code)):
        raise InvalidValue(
            "That code is not the one the app shows now: check the app and the "
            "device's clock, then type the current code.",
            field="code",
        )
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    _record(actor, "user.two_factor_enable", user)
    return codes


@transaction.atomic
def recovery_codes_regenerate(*, user, actor: Actor = SYSTEM) -> list[str]:
    """Ten new recovery codes (shown once); the old ones stop working."""
    _lock(user)
    if not has_app(user):
        raise WrongState("Two-factor sign-in is not on: set up an authenticator app first.")
    codes = _new_recovery_codes(user)
    _record(actor, "user.recovery_codes", user)
    return codes


@transaction.atomic
def two_factor_disable(*, user, actor: Actor = SYSTEM) -> None:
    """Remove the user's second factors (the profile asks for the password and a code
    first; an operator may do it for a user who lost their phone)."""
    _lock(user)
    if not has_app(user):
        return
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _record(actor, "user.two_factor_disable", user)


def _record(actor: Actor, action: str, user) -> None:
    trail.record(actor, action, target_id=user.email, target_label=user.email)
