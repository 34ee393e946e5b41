"""The visitor's IP address, taken from ``X-Forwarded-For`` only when a trusted proxy sent it.

A reverse proxy appends the address it received the request from to ``X-Forwarded-For``.
Anyone can send that header, so it is believed only hop by hop from the right: starting at
the connection's own address (``REMOTE_ADDR``), as long as the current hop is one of the
``TRUSTED_PROXIES`` (addresses or CIDR networks, e.g. ``127.0.0.1,10.0.0.0/8``), the next
address to its left is taken. The first address that is not a trusted proxy is the client.

- gunicorn reached directly (``REMOTE_ADDR`` not trusted): the header is ignored, so a
  forged ``X-Forwarded-For`` changes nothing.
- behind nginx on 127.0.0.1 (``TRUSTED_PROXIES=127.0.0.1``): the address nginx appended.
- a forged value the visitor sent before the proxy appended the real one stands further
  left and is never reached.

Used by the form rate limiter and by django-axes (``AXES_CLIENT_IP_CALLABLE``) so both count
the same addresses.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=16)
def _networks(entries):
    networks = []
    for entry in entries:
        entry = entry.strip()
        if entry:
            networks.append(ipaddress.ip_network(entry, strict=False))
    return tuple(networks)


def _configured_entries():
    """``TRUSTED_PROXIES`` as a tuple of strings (a comma-separated string or a list in settings)."""
    value = getattr(settings, "TRUSTED_PROXIES", ())
    if isinstance(value, str):
        value = value.split(",")
    return tuple(str(item) for item in value)


def trusted_networks():
    """The configured proxy networks; a malformed entry raises ``ValueError`` (a deploy error)."""
    return _networks(_configured_entries())


def _parse(address):
    try:
        return ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return None


def is_trusted(address, networks=None):
    parsed = _parse(address) if isinstance(address, str) else address
    if parsed is None:
        return False
    if networks is None:
        networks = trusted_networks()
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped:
        parsed = parsed.ipv4_mapped
    return any(parsed in network for network in networks)


def client_ip(request):
    """The client's address as a string ("" when the connection has none)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    networks = trusted_networks()
    if not networks or not is_trusted(remote, networks):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    current = remote
    for hop in reversed([part for part in forwarded if part]):
        parsed = _parse(hop)
        if parsed is None:
            # Garbage from before the last trusted proxy: the proxy's peer is all we know.
            return current
        current = str(parsed)
        if not is_trusted(parsed, networks):
            return current
    return current


def axes_client_ip(request):
    """django-axes' ``AXES_CLIENT_IP_CALLABLE``: the same address the rate limiter counts."""
    return client_ip(request)
