"""Authentication of the internal API: platform tokens only.

`Authorization: Bearer cpt_…`. The token's shape and checksum are checked before any
query; then its HMAC (core.credentials, the access keys' pepper) is looked up on a
unique index. Customer credentials (Basic with an access key, or a customer's bearer
token) are never accepted here, and platform tokens are never accepted by the customer
API (their prefix and checksum do not pass projects.api.auth's checks). Failed attempts
that could have succeeded (of the token's shape) are counted per client address with
the customer API's counter; the others cost no query.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from core import credentials
from core.actors import Actor
from core.api.errors import permission_denied, unauthenticated
from projects.api.auth import INVALID_TOKEN, refuse
from usage.models import PlatformToken
from usage.services import PLATFORM_TOKEN_PREFIX

LAST_USED_RESOLUTION = timedelta(minutes=5)


@dataclass(frozen=True)
class PlatformPrincipal:
    """A platform service calling with an active platform token."""

    token: PlatformToken


@sensitive_variables()
def token_for_secret(secret: str) -> PlatformToken | None:
    """The active platform token with this secret, or None (no query for a bad shape)."""
    if not credentials.is_well_formed(secret, PLATFORM_TOKEN_PREFIX):
        return None
    token = PlatformToken.objects.filter(
        secret_hash__in=credentials.all_hashes(secret), revoked_at__isnull=True
    ).first()
    if token is None:
        return None
    credentials.rehash_if_old(PlatformToken, token.pk, "secret_hash", token.secret_hash, secret)
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        PlatformToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def needing(scope: str):
    """The `authenticate` of a route that a token needs `scope` for (ADR 0114): a
    valid token without it is refused with 403 PERMISSION_DENIED naming the scope."""

    def authenticate_for_scope(request, target=None) -> tuple[PlatformPrincipal, Actor]:
        principal, actor = authenticate(request, target)
        if not principal.token.allows(scope):
            raise permission_denied(
                f"This platform token's scopes do not include {scope}: "
                f"use a token with the {scope} scope."
            )
        return principal, actor

    return authenticate_for_scope


@sensitive_variables()
def authenticate(request, target=None) -> tuple[PlatformPrincipal, Actor]:
    """(principal, actor) of a platform service, or raise 401 UNAUTHENTICATED."""
    scheme, _, value = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    secret = value.strip()
    # Refused by their shape: no query, not counted (only attempts that could succeed).
    if scheme.lower() != "bearer" or not secret:
        raise unauthenticated("The internal API needs Authorization: Bearer <platform token>.")
    if not credentials.is_well_formed(secret, PLATFORM_TOKEN_PREFIX):
        raise unauthenticated(
            "The platform token is not valid or has been revoked.", challenge=INVALID_TOKEN
        )
    token = token_for_secret(secret)
    if token is None:
        raise refuse(request, "The platform token is not valid or has been revoked.", bearer=True)
    return PlatformPrincipal(token), Actor.for_platform_token(request, token.token_id)
