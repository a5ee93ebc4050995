"""A local feed server on 127.0.0.1 serving fixtures (RSS 2.0, RSS 1.0, Atom, JSON Feed, hostile ones)."""

from __future__ import annotations

import asyncio
import gzip
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from aiohttp import web

RSS2 = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Ministry press releases</title>
<item><guid>mfa-1</guid><title>Hungary &amp; NATO agree on <b>sanctions</b></title>
<link>https://example.org/a/1?utm_source=x</link><description>&lt;p&gt;Hungary met NATO on sanctions.&lt;/p&gt;</description>
<pubDate>Tue, 03 Dec 2024 10:00:00 GMT</pubDate></item>
<item><guid>mfa-2</guid><title>Weather report</title><link>https://example.org/a/2</link>
<description>Sunny with clouds.</description><pubDate>Wed, 04 Dec 2024 10:00:00 GMT</pubDate></item>
</channel></rss>"""

RSS1 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://example.org/"><title>RDF wire</title><link>https://example.org/</link>
<description>d</description></channel>
<item rdf:about="https://example.org/r/1"><title>Summit opens</title><link>https://example.org/r/1</link>
<description>Leaders meet.</description><dc:date>2024-11-05</dc:date></item>
</rdf:RDF>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire (Atom)</title><id>urn:wire</id>
<updated>2024-12-01T00:00:00Z</updated>
<entry><id>urn:wire:1</id><title>Ceasefire talks resume</title><link href="https://example.org/w/1"/>
<updated>2024-12-01T09:00:00Z</updated><summary>Talks resume in Geneva.</summary></entry>
</feed>"""

JSONFEED = json.dumps(
    {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "JSON wire",
        "items": [
            {
                "id": "j1",
                "url": "https://example.org/j/1",
                "title": "Budget passed",
                "date_published": "2024-10-02T08:00:00Z",
                "content_text": "The budget passed.",
            },
            {"id": "j2", "content_html": "<p>No title here</p>", "date_published": "2024-10"},
            "not an object",
            {"id": "j3"},
        ],
    }
).encode()

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss version="2.0"><channel><title>&lol3;</title><item><title>&lol3;</title></item></channel></rss>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>&x;</title></channel></rss>"""

HTML_PAGE = b"""<!DOCTYPE html><html><head><title>Fallback title</title>
<meta property="og:title" content="Parliament votes on the budget">
<meta property="article:published_time" content="2024-09-14T12:30:00+02:00">
<meta name="description" content="The vote was close.">
</head><body>hello</body></html>"""


def rss_with(items: list[tuple[str, str]]) -> bytes:
    """An RSS 2.0 feed of (guid, title) items."""
    body = "".join(
        f"<item><guid>{g}</guid><title>{t}</title><link>https://example.org/{g}</link>"
        f"<pubDate>Mon, 02 Dec 2024 10:00:00 GMT</pubDate></item>"
        for g, t in items
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Dyn</title>{body}</channel></rss>'.encode()
    )


@dataclass
class FeedServer:
    """The running server: its base URL, request log, and a mutable body for /dynamic.xml."""

    base: str = ""
    hits: dict[str, int] = field(default_factory=dict)
    headers_seen: list[dict[str, str]] = field(default_factory=list)
    dynamic: bytes = b""

    def url(self, path: str) -> str:
        """The absolute URL of `path` on this server."""
        return self.base + path


def _app(state: FeedServer) -> web.Application:
    async def record(request: web.Request) -> None:
        state.hits[request.path] = state.hits.get(request.path, 0) + 1
        state.headers_seen.append(dict(request.headers))

    def xml(body: bytes) -> web.Response:
        return web.Response(body=body, content_type="application/rss+xml")

    async def handler(request: web.Request) -> web.StreamResponse:
        await record(request)
        path = request.path
        if path == "/rss2.xml":
            return xml(RSS2)
        if path == "/rss1.xml":
            return web.Response(body=RSS1, content_type="application/rdf+xml")
        if path == "/atom.xml":
            return web.Response(body=ATOM, content_type="application/atom+xml")
        if path == "/feed.json":
            return web.Response(body=JSONFEED, content_type="application/feed+json")
        if path == "/dynamic.xml":
            return xml(state.dynamic)
        if path == "/etag.xml":
            if request.headers.get("If-None-Match") == '"v1"':
                return web.Response(status=304)
            return web.Response(body=RSS2, content_type="application/rss+xml", headers={"ETag": '"v1"'})
        if path == "/slow.xml":
            await asyncio.sleep(30)
            return xml(RSS2)
        if path == "/huge.xml":
            resp = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
            await resp.prepare(request)
            chunk = b"<!-- padding -->" * 4096
            try:
                for _ in range(50 * 1024 * 1024 // len(chunk)):
                    await resp.write(chunk)
            except (ConnectionResetError, RuntimeError):
                pass
            return resp
        if path == "/gzip.xml":
            return web.Response(
                body=gzip.compress(RSS2),
                headers={"Content-Type": "application/rss+xml", "Content-Encoding": "gzip"},
            )
        if path == "/gzip-bomb.xml":
            return web.Response(
                body=gzip.compress(b"<rss>" + b" " * (10 * 1024 * 1024)),
                headers={"Content-Type": "application/rss+xml", "Content-Encoding": "gzip"},
            )
        if path == "/laughs.xml":
            return xml(BILLION_LAUGHS)
        if path == "/external.xml":
            return xml(EXTERNAL_ENTITY)
        if path == "/page.html":
            return web.Response(body=HTML_PAGE, content_type="text/html")
        if path == "/loop":
            raise web.HTTPFound("/loop2")
        if path == "/loop2":
            raise web.HTTPFound("/loop")
        if path == "/to-private":
            raise web.HTTPFound("http://10.0.0.1/feed.xml")
        if path == "/to-rss2":
            raise web.HTTPMovedPermanently("/rss2.xml")
        if path == "/busy":
            return web.Response(status=503, headers={"Retry-After": "120"})
        if path == "/image.png":
            return web.Response(body=b"\x89PNG", content_type="image/png")
        return web.Response(status=404)

    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", handler)
    return app


async def serve_feeds() -> AsyncIterator[FeedServer]:
    """Run the feed server on an ephemeral loopback port for the duration of the iteration."""
    state = FeedServer()
    runner = web.AppRunner(_app(state), shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    state.base = f"http://127.0.0.1:{port}"
    try:
        yield state
    finally:
        await runner.cleanup()


class ThreadedFeeds:
    """The feed server on its own thread and loop (for tests whose bot runs in another process)."""

    def __init__(self) -> None:
        import threading

        self.server = FeedServer()
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.Thread(target=self._run, name="feed-server", daemon=True)

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        runner = web.AppRunner(_app(self.server), shutdown_timeout=0.1)
        loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", 0)
        loop.run_until_complete(site.start())
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.server.base = f"http://127.0.0.1:{port}"
        self._ready.set()
        loop.run_forever()
        loop.run_until_complete(runner.cleanup())
        loop.close()

    def __enter__(self) -> FeedServer:
        self._thread.start()
        self._ready.wait(10)
        return self.server

    def __exit__(self, *exc: object) -> None:
        assert self._loop is not None
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
