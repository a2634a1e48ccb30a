"""The time zones a user may choose: the IANA names Python's zoneinfo knows (from the
tzdata package, so the list does not depend on the server's operating system)."""

import functools
import zoneinfo

# Not places: the "right/" and "posix/" copies, and files that are not zones.
_NOT_ZONES = ("right/", "posix/", "Factory", "localtime", "posixrules")


@functools.cache
def time_zones() -> tuple[str, ...]:
    names = zoneinfo.available_timezones()
    return tuple(sorted(name for name in names if not name.startswith(_NOT_ZONES)))


@functools.cache
def _known() -> frozenset[str]:
    return frozenset(time_zones())


def is_time_zone(name) -> bool:
    return isinstance(name, str) and name in _known()
