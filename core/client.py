"""The client's network address, for throttling, logs and the audit trail.

Behind a reverse proxy every request arrives from the proxy's address. The client's own
address is then the right-most entry of X-Forwarded-For that is not one of our proxies:
each proxy appends the address it received the request from, so entries to the right of
the first untrusted one were written by our proxies, and anything to its left may have
been made up by the client. With TRUSTED_PROXIES empty (the default) the header is never
read: anyone could send it.
"""

import functools
import ipaddress

from django.conf import settings


@functools.cache
def _networks(spec: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in spec)


def _is_trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request) -> str:
    """The address of the client that sent `request` (see the module's note)."""
    remote = request.META.get("REMOTE_ADDR") or "unknown"
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if not networks or not _is_trusted(remote, networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    address = remote
    for hop in reversed(hops):
        if _is_trusted(hop, networks):
            address = hop
            continue
        try:
            return str(ipaddress.ip_address(hop))
        except ValueError:
            # Not an address: not written by a proxy of ours. The last trusted hop is
            # the best we know.
            return address
    return address


def request_is_from_trusted_proxy(request) -> bool:
    """True when REMOTE_ADDR is one of TRUSTED_PROXIES (so its headers may be believed)."""
    return address_in(request.META.get("REMOTE_ADDR", ""), settings.TRUSTED_PROXIES)


def address_in(address: str, networks: list[str]) -> bool:
    """Whether `address` is in one of `networks` (a setting's list of networks)."""
    return _is_trusted(address, _networks(tuple(networks)))
