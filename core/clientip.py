"""The client's address, for rate limits and the login lockout.

A request's ``REMOTE_ADDR`` is the peer of the connection: the client itself, or a proxy (a load
balancer, a TLS terminator) in front of the site. ``X-Forwarded-For`` is a list of addresses
that each proxy appends to, so only its right-hand end was written by proxies the site runs; the
rest was sent by the client and may be made up.

The rule (setting ``PARADIPLO_TRUSTED_PROXIES``, from ``DJANGO_TRUSTED_PROXIES``: addresses and
networks, e.g. ``10.0.0.0/8,192.0.2.7``):

- a request whose peer is not a trusted proxy is counted by its peer's address, whatever
  ``X-Forwarded-For`` says;
- a request from a trusted proxy is counted by the rightmost address of ``X-Forwarded-For`` that
  is not itself a trusted proxy (the address the outermost trusted proxy saw); if every address
  is a trusted proxy, the leftmost one; a value that is not an address stops the walk at the
  last trusted hop (the proxy that received it), since no trusted proxy wrote it.

Without trusted proxies (the default) ``X-Forwarded-For`` is never read.
"""

from __future__ import annotations

import functools
import ipaddress

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.cache
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "PARADIPLO_TRUSTED_PROXIES", ())))


def parse_address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An address from a header value, or None. IPv4 with a port (``192.0.2.1:5353``) and
    bracketed IPv6 (``[2001:db8::1]:80``) are accepted, as some proxies write them."""
    value = value.strip().strip('"')
    if value.startswith("["):
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    # An IPv4 client seen over IPv6 is the same client.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def is_trusted(address, networks: tuple[Network, ...]) -> bool:
    return address is not None and any(address in network for network in networks)


def client_ip(request) -> str:
    """The client's address for ``request`` (see the module docstring)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    networks = trusted_networks()
    if not networks:
        return remote
    peer = parse_address(remote)
    if not is_trusted(peer, networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop for hop in forwarded.split(",") if hop.strip()]
    last_trusted = peer
    for hop in reversed(hops):
        address = parse_address(hop)
        if address is None:
            break
        if not is_trusted(address, networks):
            return str(address)
        last_trusted = address
    return str(last_trusted)


def axes_client_ip(request) -> str:
    """django-axes' ``AXES_CLIENT_IP_CALLABLE``: the same rule as the rate limits."""
    return client_ip(request)
