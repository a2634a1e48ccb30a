"""Whether a host the server is about to fetch is on the public internet (SSRF safety):
loopback, private, link-local (cloud metadata, 169.254.169.254), multicast and other
non-global addresses are refused. One rule for every server-side fetch of an address a
user gave: webhook URLs (webhooks.safety) and an account's OpenID provider
(accounts.sso). Each caller says whether its development/test setting allows local
addresses.
"""

import ipaddress
import socket


class UnsafeURL(Exception):
    """Why a URL is refused, in words for the person who gave it."""


def _refused(address) -> bool:
    return not address.is_global or address.is_multicast


def public_addresses(host: str, port: int, *, allow_private: bool = False) -> list:
    """The addresses `host` resolves to now, each checked public unless `allow_private`;
    raise UnsafeURL naming the first one refused. The caller connects to one of these
    (not to the name again) when it can, so a name cannot be re-pointed inside between
    the check and the connection (DNS rebinding)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise UnsafeURL(f"The host name {host} cannot be resolved.") from None
    addresses = [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in found]
    if not allow_private:
        for address in addresses:
            if _refused(address):
                raise UnsafeURL(
                    f"{host} is not a public address ({address}): loopback, private, "
                    "link-local and cloud metadata addresses are refused."
                )
    return addresses
