"""Validation of project labels; names follow core.validation (re-exported here so that
projects code finds both rules in one place)."""

from django.core.exceptions import ValidationError

from core.validation import NAME_MAX_LENGTH, clean_display_name, forbidden_character

__all__ = ["NAME_MAX_LENGTH", "clean_display_name", "clean_labels"]

LABELS_MAX_COUNT = 255
LABEL_PART_MAX_LENGTH = 255


def _clean_label_part(value, what: str) -> str:
    if not isinstance(value, str):
        raise ValidationError(f"{what} must be text.", code="invalid")
    if not value:
        raise ValidationError(f"{what} cannot be empty.", code="required")
    if len(value) > LABEL_PART_MAX_LENGTH:
        raise ValidationError(
            f"{what} can be at most {LABEL_PART_MAX_LENGTH} characters.", code="max_length"
        )
    if bad := forbidden_character(value):
        raise ValidationError(f"{what} cannot contain {bad}.", code="invalid_character")
    return value


def clean_labels(value) -> dict[str, str]:
    """Labels are a flat map of text to text, as the subprojects contract defines them."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValidationError("Labels must be a map of names to values.", code="invalid")
    if len(value) > LABELS_MAX_COUNT:
        raise ValidationError(
            f"A project can have at most {LABELS_MAX_COUNT} labels.", code="max_count"
        )
    cleaned = {}
    for key, label_value in value.items():
        key = _clean_label_part(key, "A label name")
        cleaned[key] = _clean_label_part(label_value, f"The value of label “{key}”")
    return cleaned
