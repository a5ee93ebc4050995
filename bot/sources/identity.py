"""Item identity: GUID/id, else the canonical link, else a hash of title and date."""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from bot.sources.parse import FeedItem

TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "ref", "ref_src", "_hsenc", "_hsmi"}
)


def canonical_link(url: str) -> str:
    """Scheme and host lower-cased, default port and fragment dropped, tracking parameters removed."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    host = parts.hostname.lower()
    default = {"http": 80, "https": 443}[parts.scheme.lower()]
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, default) else f"{host}:{port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and k.lower() not in TRACKING_PARAMS
    ]
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", urlencode(query), ""))


def item_identity(item: FeedItem) -> str:
    """A stable key for `item` (≤ 80 chars): edits and reorders keep it; re-publishing keeps it."""
    if item.guid:
        key = "g:" + item.guid
    elif item.link and canonical_link(item.link):
        key = "l:" + canonical_link(item.link)
    else:
        day = item.published.date().isoformat() if item.published else ""
        key = "t:" + " ".join(item.title.lower().split()) + "|" + day
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:40]
