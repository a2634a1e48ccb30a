"""Where a webhook may go (SSRF safety): HTTPS to public addresses only. Checked when an
endpoint is saved and again at each delivery, against the addresses the name resolves
to then, and the request goes to the very address checked (a name that resolved to a
public address at the check cannot be made to point inside at the connection: DNS
rebinding). WEBHOOK_ALLOW_PRIVATE (development and tests only) allows plain HTTP and
loopback, private and link-local addresses. The address rule itself is core.addresses
(shared with single sign-on's provider).
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from core.addresses import UnsafeURL, public_addresses

__all__ = ["Target", "UnsafeURL", "parse", "resolve"]


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # the name, for the Host header and TLS
    port: int
    address: str  # the checked address to connect to
    path: str  # with the query


def parse(url: str):
    parts = urlsplit(url)
    allow_private = settings.WEBHOOK_ALLOW_PRIVATE
    if parts.scheme != "https" and not (allow_private and parts.scheme == "http"):
        raise UnsafeURL("The URL must start with https:// (webhooks are only sent over HTTPS).")
    if not parts.hostname:
        raise UnsafeURL("The URL has no host name.")
    if parts.username or parts.password:
        raise UnsafeURL("The URL must not hold a user name or password.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise UnsafeURL("The URL's port is not a number from 1 to 65535.") from None
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port, path


def resolve(url: str) -> Target:
    """The URL's target, its host resolved now and every address it has checked."""
    scheme, host, port, path = parse(url)
    addresses = public_addresses(host, port, allow_private=settings.WEBHOOK_ALLOW_PRIVATE)
    return Target(scheme, host, port, str(addresses[0]), path)
