"""Validation of display names (projects, access keys, accounts, tokens): the one place
this rule lives. The models' clean(), the dashboard forms, the API and the commands all
come here, so that "a valid name" means the same thing everywhere.
"""

import unicodedata

from django.core.exceptions import ValidationError

NAME_MAX_LENGTH = 255

# Bidirectional embeddings, overrides and isolates can make a name display as something
# it is not (the "Trojan Source" trick), so they are refused outright. Joiners and
# variation selectors stay allowed: emoji sequences need them.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_LINE_BREAKS = frozenset("\u2028\u2029\u0085")
# Not characters at all: a lone surrogate (from a JSON escape like "\ud800") cannot be
# stored or encoded as UTF-8, and U+FFFE/U+FFFF are noncharacters.
_NONCHARACTERS = frozenset("\ufffe\uffff")


def forbidden_character(value: str) -> str | None:
    for char in value:
        if char in _BIDI_CONTROLS:
            return f"a bidirectional control character (U+{ord(char):04X})"
        category = unicodedata.category(char)
        if char in _LINE_BREAKS or category == "Cc":
            return f"a control character (U+{ord(char):04X})"
        if category == "Cs" or char in _NONCHARACTERS:
            return f"an invalid character (U+{ord(char):04X})"
    return None


def clean_display_name(value, *, what: str = "Name") -> str:
    """Trim and check a display name; return the stored form or raise ValidationError."""
    if not isinstance(value, str):
        raise ValidationError(f"{what} must be text.", code="invalid")
    name = value.strip()
    if not name:
        raise ValidationError(f"{what} cannot be empty.", code="required")
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            f"{what} can be at most {NAME_MAX_LENGTH} characters (it has {len(name)}).",
            code="max_length",
        )
    if bad := forbidden_character(name):
        raise ValidationError(f"{what} cannot contain {bad}.", code="invalid_character")
    return name
