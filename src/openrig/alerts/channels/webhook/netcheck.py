"""Refuse webhook targets inside private networks (SSRF): resolve the host and check
every address it has, since one public and one private address is still private."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from openrig.core.errors import Invalid

MAX_URL = 2000


def blocked(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise LookupError(f"cannot resolve {host}: {exc}") from None
    return sorted({str(info[4][0]) for info in infos})


def check_url(url: object, *, allow_private: bool) -> str:
    """The URL if acceptable; ``Invalid`` at ``config.url`` otherwise."""
    if not isinstance(url, str) or len(url) > MAX_URL:
        raise Invalid.at("config.url", f"a URL of at most {MAX_URL} characters")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Invalid.at("config.url", "must be an http:// or https:// URL with a host")
    if parts.username or parts.password:
        raise Invalid.at("config.url", "must not hold credentials; use the signature")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = resolve(parts.hostname, port)
    except (ValueError, LookupError) as exc:
        raise Invalid.at("config.url", str(exc)) from None
    if not allow_private and any(blocked(a) for a in addresses):
        raise Invalid.at(
            "config.url",
            "resolves to a private, loopback or link-local address "
            "(allowed only with OPENRIG_WEBHOOK_ALLOW_PRIVATE=true)",
        )
    return url
