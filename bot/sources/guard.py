"""The address guard: a user's feed URL may not reach loopback, private or reserved networks.

Checked on the address the connection actually uses (bot.sources.fetch's resolver on the
connector, so DNS rebinding cannot slip past) and on IP-literal hosts before every request and redirect.
`SOURCE_ALLOW_HOSTS` (host[:port] list) is the only way to allow a refused host.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit


class Refused(Exception):
    """The URL may not be fetched; the message says exactly why."""


def blocked_reason(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why this address is not public, or None when it is."""
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour
        if mapped is not None:
            return blocked_reason(mapped)
        if ip.teredo is not None:
            return "a Teredo address"
    checks = (
        ("is_loopback", "a loopback address"),
        ("is_link_local", "a link-local address"),
        ("is_multicast", "a multicast address"),
        ("is_unspecified", "an unspecified address"),
        ("is_reserved", "a reserved address"),
        ("is_private", "a private address"),
    )
    for attr, why in checks:
        if getattr(ip, attr):
            return why
    if not ip.is_global:
        return "not a public address"
    return None


@dataclass(frozen=True, slots=True)
class AllowList:
    """Hosts (optionally host:port) that may be fetched even on a non-public address."""

    entries: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, raw: str) -> AllowList:
        """`"127.0.0.1:8080, feeds.internal"` → an allow list (host names lower-cased)."""
        return cls(frozenset(p.strip().lower() for p in raw.split(",") if p.strip()))

    def allows(self, host: str, port: int | None) -> bool:
        """True when `host` (any port) or `host:port` is listed."""
        host = host.strip("[]").lower()
        return host in self.entries or (port is not None and f"{host}:{port}" in self.entries)


def check_url(url: str, allow: AllowList) -> tuple[str, int]:
    """Refuse anything but http(s) to a host; refuse a non-public IP literal. Returns (host, port)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise Refused(f"only http and https URLs can be watched, not {parts.scheme or 'a bare name'!r}")
    host = parts.hostname
    if not host:
        raise Refused("the URL has no host name")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise Refused("the URL's port is not a number between 0 and 65535") from None
    if parts.username or parts.password:
        raise Refused("URLs with a user name or password cannot be watched")
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return host, port
    why = blocked_reason(ip)
    if why and not allow.allows(host, port):
        raise Refused(f"{host} is {why}; only public addresses can be watched")
    return host, port
