"""Digest rendering reuses lines and fields across digests without mixing up their items."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from bot.digest.types import Change, DigestContent, Subscription
from bot.render.digest import digest_pages

AT = datetime(2025, 4, 1, 9, 0, tzinfo=UTC)
SUB = Subscription(1, 5, 7, (), "daily", "09:00", "UTC", 0, True, True, "", AT, AT)


def change(detail: str, **kw: object) -> Change:
    args: dict[str, object] = {
        "entry_id": "pos-ru-pk-3",
        "entry_kind": "position",
        "kind": "new",
        "title": "Russia on Peacekeepers",
        "detail": detail,
        "topics": ("peacekeepers",),
        "at": AT,
        "source_url": "https://e.org/1",
    }
    args.update(kw)
    return Change(**args)  # type: ignore[arg-type]


def text(changes: tuple[Change, ...]) -> str:
    pages = digest_pages(DigestContent(SUB, changes, AT, AT))
    return "\n".join(f"{f.name}: {f.value}" for page in pages for f in page.fields)


def test_equal_changes_hash_alike_and_differ_by_any_field() -> None:
    """Two equal items built apart are interchangeable; a different detail is another item."""
    a, b = change("opposes → conditional"), change("opposes → conditional")
    assert a == b and hash(a) == hash(b)
    other = dataclasses.replace(a, detail="supports → conditional")
    assert other != a and hash(other) != hash(a)


def test_same_entry_with_another_detail_renders_its_own_detail() -> None:
    """A server whose previous stance differs sees its own detail, not a remembered one."""
    first = text((change("opposes → conditional"),))
    second = text((change("supports → conditional"),))
    assert "opposes → conditional" in first and "supports" not in first
    assert "supports → conditional" in second and "opposes" not in second
    assert text((change("opposes → conditional"),)) == first


def test_rendered_again_gives_fresh_equal_embeds() -> None:
    """Memoised fields still give new embeds each time (callers may edit them)."""
    items = (change("a"), change("b", entry_id="ev-1", entry_kind="event", kind="removed"))
    content = DigestContent(SUB, items, AT, AT)
    one, two = digest_pages(content), digest_pages(content)
    assert [e.to_dict() for e in one] == [e.to_dict() for e in two]
    assert one[0] is not two[0]
    one[0].add_field(name="x", value="y")
    assert len(digest_pages(content)[0].fields) == len(two[0].fields)
