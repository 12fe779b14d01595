"""The client's address, also behind a reverse proxy.

Only a proxy in RETNING_TRUSTED_PROXIES is believed about who it forwards for: its
X-Forwarded-For header is read from the right (the entry its own proxy added) past every
trusted proxy to the first address that is not one. A client cannot choose its address by
sending the header itself, since what a client sends stands to the left of what the
trusted proxies add. Without trusted proxies the connection's address is used as it is.

Used for the web form's rate limit and django-axes' login lockout
(AXES_CLIENT_IP_CALLABLE).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(items: Iterable[str]) -> list[Network]:
    """Addresses and CIDR ranges ("10.0.0.5", "10.0.0.0/8", "::1"); ValueError names a bad
    one."""
    networks = []
    for item in items:
        try:
            networks.append(ipaddress.ip_network(item.strip(), strict=False))
        except ValueError:
            raise ValueError(f"{item!r} is not an IP address or CIDR range") from None
    return networks


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "192.0.2.1:443"
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def client_address(remote_addr: str, forwarded_for: str, trusted: Sequence[Network]) -> str:
    """The client's address for a request from `remote_addr` with the header value
    `forwarded_for` ("" if absent)."""
    current = _address(remote_addr)
    if current is None:
        return remote_addr
    hops = [hop for hop in forwarded_for.split(",") if hop.strip()]
    while hops and any(current in network for network in trusted):
        previous = _address(hops.pop())
        if previous is None:  # garbage where an address should be: stop at the last good one
            break
        current = previous
    return str(current)


def client_ip(request) -> str:
    """The client address of a Django request (see the module's description)."""
    from django.conf import settings

    return client_address(
        request.META.get("REMOTE_ADDR", ""),
        request.META.get("HTTP_X_FORWARDED_FOR", ""),
        settings.RETNING_TRUSTED_PROXIES,
    )
