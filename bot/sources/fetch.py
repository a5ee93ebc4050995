"""Fetching a feed or page politely and defensively: conditional GET, timeouts, size cap, redirects.

The session's connector carries the address guard's resolver; every redirect target is re-checked.
"""

from __future__ import annotations

import email.utils
import ipaddress
import socket
from dataclasses import dataclass
from datetime import UTC, datetime

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver
from yarl import URL

from bot.sources.guard import AllowList, Refused, blocked_reason, check_url

USER_AGENT = "BriefingBot/0.1 (Discord briefing bot; feed watcher)"
MAX_BYTES = 2 * 1024 * 1024
MAX_REDIRECTS = 5
CONNECT_TIMEOUT = 5.0
TOTAL_TIMEOUT = 20.0
FEED_TYPES = (
    "xml",
    "rss",
    "atom",
    "rdf",
    "json",
    "text/plain",
    "application/octet-stream",
)


class GuardedResolver(AbstractResolver):
    """Resolves names, then keeps only public addresses (or the allow-listed host's): the guard
    (bot.sources.guard) on the address a connection actually uses."""

    def __init__(self, allow: AllowList, inner: AbstractResolver | None = None) -> None:
        self._allow = allow
        self._inner = inner or ThreadedResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        if self._allow.allows(host, port):
            return results
        kept = [r for r in results if blocked_reason(ipaddress.ip_address(r["host"])) is None]
        if not kept:
            why = blocked_reason(ipaddress.ip_address(results[0]["host"])) if results else "unresolvable"
            raise Refused(f"{host} resolves to {why}; only public addresses can be watched")
        return kept

    async def close(self) -> None:
        await self._inner.close()


class FetchError(Exception):
    """The fetch failed; the message says why in a line (shown to curators)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class Fetched:
    """A response worth parsing, or `not_modified` (304) with no body."""

    url: str
    status: int
    body: bytes = b""
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""
    not_modified: bool = False


def make_session(allow: AllowList, *, timeout: float = TOTAL_TIMEOUT) -> aiohttp.ClientSession:
    """A session whose every connection goes through the address guard (no DNS cache: no rebinding)."""
    connector = aiohttp.TCPConnector(resolver=GuardedResolver(allow), use_dns_cache=False, limit=50)
    return aiohttp.ClientSession(
        connector=connector,
        timeout=aiohttp.ClientTimeout(total=timeout, sock_connect=CONNECT_TIMEOUT),
        headers={"User-Agent": USER_AGENT},
        auto_decompress=True,
    )


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


async def fetch(
    session: aiohttp.ClientSession,
    url: str,
    allow: AllowList,
    *,
    etag: str = "",
    last_modified: str = "",
    accept: str = "application/rss+xml, application/atom+xml, application/feed+json, application/json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5",
    max_bytes: int = MAX_BYTES,
    want_feed: bool = True,
) -> Fetched:
    """GET `url` following at most 5 redirects, each re-checked; raise Refused or FetchError."""
    headers = {"Accept": accept}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        check_url(current, allow)
        try:
            async with session.get(current, headers=headers, allow_redirects=False) as resp:
                if resp.status in (301, 302, 303, 307, 308):
                    location = resp.headers.get("Location")
                    if not location:
                        raise FetchError(f"HTTP {resp.status} redirect without a Location")
                    current = str(URL(current).join(URL(location)))
                    continue
                if resp.status == 304:
                    return Fetched(current, 304, etag=etag, last_modified=last_modified, not_modified=True)
                if resp.status >= 400:
                    raise FetchError(
                        f"HTTP {resp.status} {resp.reason or ''}".strip(),
                        retry_after=_retry_after(resp.headers.get("Retry-After")),
                    )
                ctype = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
                if want_feed and ctype and not any(t in ctype for t in FEED_TYPES) and ctype != "text/html":
                    raise FetchError(f"the URL serves {ctype}, not a feed")
                declared = resp.content_length
                if declared is not None and declared > max_bytes:
                    raise FetchError(f"the response is larger than {max_bytes // (1024 * 1024)} MB")
                body = bytearray()
                async for chunk in resp.content.iter_chunked(65536):
                    body.extend(chunk)
                    if len(body) > max_bytes:
                        raise FetchError(f"the response is larger than {max_bytes // (1024 * 1024)} MB")
                return Fetched(
                    current,
                    resp.status,
                    bytes(body),
                    ctype,
                    resp.headers.get("ETag", ""),
                    resp.headers.get("Last-Modified", ""),
                )
        except Refused:
            raise
        except FetchError:
            raise
        except TimeoutError:
            raise FetchError("the source did not answer in time") from None
        except aiohttp.ClientConnectorError as exc:
            inner = exc.__cause__ or exc.os_error
            if isinstance(inner, Refused):
                raise inner from None
            raise FetchError(f"cannot connect to {exc.host}") from None
        except aiohttp.ClientError as exc:
            if isinstance(exc.__cause__, Refused):
                raise exc.__cause__ from None
            raise FetchError(f"the connection failed ({type(exc).__name__})") from None
    raise FetchError(f"more than {MAX_REDIRECTS} redirects")
