"""Credentials we issue (access-key secrets, platform tokens, invitation links): their
format, their hash, and checking one.

An access-key secret looks like `csk_` + 32 base-62 characters (190 random bits from `secrets`) +
a 6-character checksum of those 32. The fixed prefix lets leak scanners recognise our
secrets; the checksum lets us refuse a mistyped or made-up secret before any query.

Only HMAC-SHA256(ACCESS_KEY_PEPPER, secret) is stored. A fast hash is right here:
the secret is random and long, so it cannot be guessed the way a password can, and
checking it must cost microseconds on every API request, not the 100 ms a password
hasher spends. The pepper is its own setting, not SECRET_KEY, so rotating SECRET_KEY
does not invalidate every customer's keys. The pepper itself rotates through
ACCESS_KEY_PEPPER_FALLBACKS: a hash made with an older pepper still matches, and is
re-hashed with the current one the first time it is used (rehash_if_old).
"""

import hashlib
import hmac
import secrets
import string
import uuid
import zlib

from django.conf import settings
from django.views.decorators.debug import sensitive_variables

PREFIX = "csk_"
_ALPHABET = string.digits + string.ascii_letters
_ALPHABET_SET = frozenset(_ALPHABET)
_RANDOM_LENGTH = 32
_CHECKSUM_LENGTH = 6
SECRET_LENGTH = len(PREFIX) + _RANDOM_LENGTH + _CHECKSUM_LENGTH
# Other credentials made the same way carry their own prefix, so that neither kind is
# ever mistaken for the other (platform tokens: usage.services.PLATFORM_TOKEN_PREFIX).


def _base62(number: int, width: int) -> str:
    digits = []
    for _ in range(width):
        number, rest = divmod(number, 62)
        digits.append(_ALPHABET[rest])
    return "".join(reversed(digits))


def _checksum(random_part: str) -> str:
    return _base62(zlib.crc32(random_part.encode()), _CHECKSUM_LENGTH)


def new_key_id() -> str:
    return str(uuid.uuid4())


# @sensitive_variables(): error reports (debug pages, admin emails) show these frames'
# variables as stars, whoever calls them; they hold secrets, parts of them or the pepper.
@sensitive_variables()
def new_secret(prefix: str = PREFIX) -> str:
    random_part = "".join(secrets.choice(_ALPHABET) for _ in range(_RANDOM_LENGTH))
    return prefix + random_part + _checksum(random_part)


@sensitive_variables()
def is_well_formed(secret: str, prefix: str = PREFIX) -> bool:
    """True when `secret` has our shape and a correct checksum (no database needed)."""
    length = len(prefix) + _RANDOM_LENGTH + _CHECKSUM_LENGTH
    if len(secret) != length or not secret.startswith(prefix):
        return False
    random_part = secret[len(prefix) : len(prefix) + _RANDOM_LENGTH]
    checksum = secret[len(prefix) + _RANDOM_LENGTH :]
    if not _ALPHABET_SET.issuperset(random_part):
        return False
    return hmac.compare_digest(checksum, _checksum(random_part))


@sensitive_variables()
def hash_secret(secret: str, pepper: str | None = None) -> str:
    """The hash stored for `secret`: with the current pepper unless one is given."""
    pepper = settings.ACCESS_KEY_PEPPER if pepper is None else pepper
    return hmac.new(pepper.encode(), secret.encode(), hashlib.sha256).hexdigest()


@sensitive_variables()
def all_hashes(secret: str) -> list[str]:
    """`secret`'s hash under the current pepper, then under each of
    ACCESS_KEY_PEPPER_FALLBACKS (older peppers, kept while their hashes are re-hashed
    on use): what to look a stored hash up by."""
    return [hash_secret(secret)] + [
        hash_secret(secret, pepper) for pepper in settings.ACCESS_KEY_PEPPER_FALLBACKS
    ]


@sensitive_variables()
def secret_matches(secret: str, stored_hash: str) -> bool:
    """True when `stored_hash` is `secret`'s hash under the current pepper or a
    fallback. Every pepper is tried, so the time taken does not say which matched."""
    return match(secret, stored_hash) is not None


@sensitive_variables()
def match(secret: str, stored_hash: str) -> str | None:
    """None unless `stored_hash` is `secret`'s hash under the current pepper or a
    fallback; then the hash under the current pepper (what to store, if it differs).
    Every pepper is tried, so the time taken does not say which matched."""
    hashes = all_hashes(secret)
    matched = False
    for candidate in hashes:
        matched |= hmac.compare_digest(candidate, stored_hash)
    return hashes[0] if matched else None


def rehash_if_old(model, pk, field: str, stored_hash: str, secret: str, current=None) -> None:
    """Re-hash a credential found under an older pepper with the current one.

    A compare-and-set (`UPDATE … WHERE pk = … AND hash = <the old hash>`): two requests
    racing both compute the same new hash, the second updates nothing, and neither
    overwrites a hash changed meanwhile (a rotation). The row is `model`'s `pk`; its
    queryset is built only when there is something to write (this runs on every
    authenticated request, and building one costs more than the rest of the check).
    `current`, the secret's hash under the current pepper, when the caller has it
    (match); else it is computed."""
    current = hash_secret(secret) if current is None else current
    if not hmac.compare_digest(current, stored_hash):
        model._default_manager.filter(pk=pk, **{field: stored_hash}).update(**{field: current})


def is_well_formed_key_id(key_id: str) -> bool:
    try:
        return str(uuid.UUID(key_id)) == key_id
    except (ValueError, TypeError, AttributeError):
        return False
