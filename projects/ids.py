"""Public identifiers.

Project IDs are ULIDs: 26 URL-safe characters, 80 random bits (unguessable) after a
48-bit timestamp, so they sort by creation time. Database keys never leave the server.
"""

import re

from ulid import ULID

PUBLIC_ID_RE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")


def new_public_id() -> str:
    return str(ULID())


def looks_like_public_id(value: str) -> bool:
    """Cheap shape check, so that obviously wrong IDs never reach the database."""
    return bool(PUBLIC_ID_RE.match(value or ""))
