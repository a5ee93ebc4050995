"""Fetching through the guard: only the allowed loopback server, with caps, timeouts and redirects."""

from __future__ import annotations

import aiohttp
import pytest

from bot.sources.fetch import USER_AGENT, FetchError, fetch, make_session
from bot.sources.guard import AllowList, Refused, check_url
from bot.sources.parse import parse_feed
from tests.sources.feeds import FeedServer


async def test_loopback_refused_without_allow_list(feeds: FeedServer) -> None:
    """A 127.0.0.1 feed URL is refused when SOURCE_ALLOW_HOSTS does not name it."""
    session = make_session(AllowList())
    try:
        with pytest.raises(Refused, match="loopback"):
            await fetch(session, feeds.url("/rss2.xml"), AllowList())
    finally:
        await session.close()
    assert feeds.hits == {}


async def test_localhost_name_refused_by_resolver(feeds: FeedServer) -> None:
    """A host name resolving to loopback is refused on the resolved address."""
    port = feeds.base.rsplit(":", 1)[1]
    session = make_session(AllowList())
    try:
        with pytest.raises(Refused, match="loopback"):
            await fetch(session, f"http://localhost:{port}/rss2.xml", AllowList())
    finally:
        await session.close()
    assert feeds.hits == {}


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://10.1.2.3/f", "private"),
        ("http://169.254.169.254/latest", "link-local"),
        ("http://[::ffff:127.0.0.1]/f", "loopback"),
        ("http://[::1]/f", "loopback"),
        ("http://224.0.0.1/f", "multicast"),
        ("http://0.0.0.0/f", "unspecified"),
        ("ftp://example.org/f", "only http and https"),
        ("file:///etc/passwd", "only http and https"),
        ("http://user:pw@example.org/f", "password"),
    ],
)
def test_non_public_urls_refused(url: str, why: str) -> None:
    """Private, link-local, mapped-loopback, multicast, non-http and credentialed URLs are refused."""
    with pytest.raises(Refused, match=why):
        check_url(url, AllowList())


def test_allow_list_by_host_and_port() -> None:
    """SOURCE_ALLOW_HOSTS allows a host on any port, or host:port on that port only."""
    allow = AllowList.parse("127.0.0.1:8080, 10.0.0.5")
    assert check_url("http://127.0.0.1:8080/x", allow) == ("127.0.0.1", 8080)
    assert check_url("http://10.0.0.5:99/x", allow) == ("10.0.0.5", 99)
    with pytest.raises(Refused):
        check_url("http://127.0.0.1:8081/x", allow)


async def test_rss_fetched_with_user_agent(
    feeds: FeedServer, http: aiohttp.ClientSession, allow: AllowList
) -> None:
    """An allowed feed is fetched with a User-Agent naming the bot."""
    got = await fetch(http, feeds.url("/rss2.xml"), allow)
    assert got.status == 200 and b"Ministry" in got.body
    assert feeds.headers_seen[-1]["User-Agent"] == USER_AGENT


async def test_conditional_get_304(feeds: FeedServer, http: aiohttp.ClientSession, allow: AllowList) -> None:
    """The ETag is sent back and a 304 is reported as not modified."""
    first = await fetch(http, feeds.url("/etag.xml"), allow)
    assert first.etag == '"v1"'
    second = await fetch(http, feeds.url("/etag.xml"), allow, etag=first.etag)
    assert second.not_modified and second.body == b""


async def test_slow_feed_times_out(feeds: FeedServer, http: aiohttp.ClientSession, allow: AllowList) -> None:
    """A feed that does not answer in time is a FetchError, not a hang."""
    with pytest.raises(FetchError, match="in time"):
        await fetch(http, feeds.url("/slow.xml"), allow)


async def test_50mb_body_refused(feeds: FeedServer, http: aiohttp.ClientSession, allow: AllowList) -> None:
    """A body past 2 MB is refused while streaming."""
    with pytest.raises(FetchError, match="larger than 2 MB"):
        await fetch(http, feeds.url("/huge.xml"), allow)


async def test_gzip_read_and_bomb_refused(
    feeds: FeedServer, http: aiohttp.ClientSession, allow: AllowList
) -> None:
    """A gzip feed is decoded; a small gzip that inflates past 2 MB is refused."""
    got = await fetch(http, feeds.url("/gzip.xml"), allow)
    assert parse_feed(got.body, got.content_type).title == "Ministry press releases"
    with pytest.raises(FetchError, match="larger than 2 MB"):
        await fetch(http, feeds.url("/gzip-bomb.xml"), allow)


async def test_redirect_loop_capped(feeds: FeedServer, http: aiohttp.ClientSession, allow: AllowList) -> None:
    """A redirect loop stops after 5 redirects."""
    with pytest.raises(FetchError, match="more than 5 redirects"):
        await fetch(http, feeds.url("/loop"), allow)
    assert feeds.hits["/loop"] + feeds.hits["/loop2"] == 6


async def test_redirect_to_private_refused(
    feeds: FeedServer, http: aiohttp.ClientSession, allow: AllowList
) -> None:
    """A redirect to a private address is re-checked and refused."""
    with pytest.raises(Refused, match="private"):
        await fetch(http, feeds.url("/to-private"), allow)


async def test_redirect_followed(feeds: FeedServer, http: aiohttp.ClientSession, allow: AllowList) -> None:
    """A permanent redirect to a feed on an allowed host is followed."""
    got = await fetch(http, feeds.url("/to-rss2"), allow)
    assert got.url.endswith("/rss2.xml")


async def test_retry_after_and_content_type(
    feeds: FeedServer, http: aiohttp.ClientSession, allow: AllowList
) -> None:
    """A 503 carries its Retry-After; an image is refused by content type."""
    with pytest.raises(FetchError) as busy:
        await fetch(http, feeds.url("/busy"), allow)
    assert busy.value.retry_after == 120
    with pytest.raises(FetchError, match="image/png"):
        await fetch(http, feeds.url("/image.png"), allow)
