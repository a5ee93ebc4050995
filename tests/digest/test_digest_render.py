"""Digest rendering reuses lines and fields across digests without mixing up their items."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

from bot.digest_model.types import Change, DigestContent, FieldChange, Subscription
from bot.domain import FuzzyDate
from bot.render.digest import digest_pages

AT = datetime(2025, 4, 1, 9, 0, tzinfo=UTC)
SUB = Subscription(1, 5, 7, (), "daily", "09:00", "UTC", 0, True, True, "", AT, AT)
STATED = FuzzyDate(date(2025, 4, 2))


def change(**kw: object) -> Change:
    args: dict[str, object] = {
        "entry_id": "pos-ru-pk-3",
        "entry_kind": "position",
        "kind": "new",
        "title": "Russia on Peacekeepers",
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
    """Two equal items built apart are interchangeable; a different previous stance is another item."""
    a = change(previous_stance="opposes", stance="conditional")
    b = change(previous_stance="opposes", stance="conditional")
    assert a == b and hash(a) == hash(b)
    other = dataclasses.replace(a, previous_stance="supports")
    assert other != a and hash(other) != hash(a)


def test_same_entry_with_another_previous_stance_renders_its_own() -> None:
    """A server whose previous stance differs sees its own, not a remembered one."""
    first = text((change(previous_stance="opposes", stance="conditional"),))
    second = text((change(previous_stance="supports", stance="conditional"),))
    assert "🔴 Opposes → 🟡 Conditional" in first and "Supports" not in first
    assert "🟢 Supports → 🟡 Conditional" in second and "Opposes" not in second
    assert text((change(previous_stance="opposes", stance="conditional"),)) == first


def test_rendered_again_gives_fresh_equal_embeds() -> None:
    """Memoised fields still give new embeds each time (callers may edit them)."""
    items = (change(stance="supports"), change(entry_id="ev-1", entry_kind="event", kind="removed"))
    content = DigestContent(SUB, items, AT, AT)
    one, two = digest_pages(content), digest_pages(content)
    assert [e.to_dict() for e in one] == [e.to_dict() for e in two]
    assert one[0] is not two[0]
    one[0].add_field(name="x", value="y")
    assert len(digest_pages(content)[0].fields) == len(two[0].fields)


FIELD_NAMES = ("status:", "status_note", "key_points", "change(s)", "UTC", "stated", "pos-ru-pk-3", "`")


def test_digest_reads_for_members() -> None:
    """New stance with its gist, a correction in words, revisions without field names, the title
    as its source link, "2 changes", the window as Discord timestamps — no ids, no field names."""
    items = (
        change(
            previous_stance="opposes",
            stance="conditional",
            date=STATED,
            gist="Talks only on neutrality. More text.",
        ),
        change(
            fields=(FieldChange("status", "verified", "disputed"), FieldChange("status_note")),
            date=STATED,
            stance="opposes",
            entry_id="pos-ru-pk-2",
            kind="corrected",
            disputed=True,
            correction="The quote was from 2023, not 2025.",
        ),
        change(
            fields=(FieldChange("key_points"), FieldChange("sources")),
            entry_id="ev-1",
            entry_kind="event",
            kind="updated",
        ),
    )
    pages = digest_pages(DigestContent(SUB, items, AT, datetime(2025, 4, 2, 9, 0, tzinfo=UTC)))
    body = text(items)
    description = pages[0].description or ""
    assert (
        "[Russia on Peacekeepers](https://e.org/1) — 🔴 Opposes → 🟡 Conditional: Talks only on neutrality. (2 Apr 2025)"
        in body
    )
    assert "now ⚠️ disputed: The quote was from 2023, not 2025." in body
    assert "⚠️ ⚠️" not in body  # a correction's marker is its flag: never twice
    assert "key points and sources revised" in body
    assert description.startswith("3 changes in all topics.")
    assert f"<t:{int(AT.timestamp())}:f> → <t:{int(AT.timestamp()) + 86400}:f>" in description
    whole = body + description + "".join(p.footer.text or "" for p in pages)
    assert not [name for name in FIELD_NAMES if name in whole]
