"""Public identifiers.

Project IDs (and account IDs) are ULIDs: 26 URL-safe characters, 80 random bits
(unguessable) after a 48-bit timestamp, so they sort by creation time. Database keys
never leave the server. The pattern is written here once; the URL converter and the
Projects menu's "paste part of an ID" search use it.
"""

import re

from ulid import ULID

# Crockford's base 32, as ULIDs are written (no I, L, O, U).
ALPHABET = "[0-9A-HJKMNP-TV-Z]"
LENGTH = 26
PATTERN = f"{ALPHABET}{{{LENGTH}}}"
PUBLIC_ID_RE = re.compile(f"^{PATTERN}$")


def new_public_id() -> str:
    return str(ULID())


def looks_like_public_id(value: str) -> bool:
    """Cheap shape check, so that obviously wrong IDs never reach the database."""
    return isinstance(value, str) and bool(PUBLIC_ID_RE.match(value))


def prefix_pattern(min_length: int) -> re.Pattern:
    """The start of a Project ID, at least `min_length` characters (search by ID)."""
    return re.compile(f"^{ALPHABET}{{{min_length},{LENGTH}}}$")
