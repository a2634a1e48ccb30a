"""The deprecated `/v1alpha1/...` spelling of the subprojects paths says so in every
answer (RFC 9745): `Deprecation` with the date it was deprecated from, and a `Link` to
the same resource under `/v1/` (rel="successor-version", RFC 5829), so that a client
or a gateway can log it and move."""

import functools
from datetime import UTC, datetime

from django.utils.encoding import escape_uri_path

# The day this server began to say so; the Subprojects contract already calls the
# spelling deprecated, without a date.
DEPRECATED_ON = datetime(2026, 12, 6, tzinfo=UTC)
DEPRECATION = f"@{int(DEPRECATED_ON.timestamp())}"  # an RFC 9651 date: @<seconds>
OLD, NEW = "/api/v1alpha1/", "/api/v1/"


def deprecated(view):
    """`view`, its answers carrying Deprecation and a Link to the /v1/ resource."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Deprecation"] = DEPRECATION
        # Percent-encoded: the ID in the path is the client's text (a newline in a
        # header would be refused with a 500).
        successor = escape_uri_path(NEW + request.path.removeprefix(OLD))
        response["Link"] = f'<{successor}>; rel="successor-version"'
        return response

    return wrapper
