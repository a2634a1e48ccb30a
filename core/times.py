"""Times as the API and the CSV downloads write them."""

from datetime import UTC


def timestamp(value) -> str:
    """ISO 8601 in UTC with a Z, e.g. 2026-11-27T04:54:00.367Z."""
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
