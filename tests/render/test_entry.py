"""entry_pages: one entry in full, over as many pages as it needs."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import discord

from bot.domain import EntryDetail, Revision, Stance, Status
from bot.render import entry_pages, pages_to_text
from bot.render.style import DISPUTED, STANCE_COLOUR
from tests.render.builders import (
    HOSTILE,
    actor,
    assert_sendable,
    desc,
    event,
    fname,
    foot,
    huge_event,
    huge_position,
    huge_sources,
    long_text,
    position,
    revision,
    source,
    texts,
    topic,
)


def _detail() -> EntryDetail:
    current = position(
        "ru-cf-2025",
        stance=Stance.CONDITIONAL,
        sources=[source(1, title="Kremlin open to talks"), source(2, publisher="AP")],
        key_points=("No NATO membership", "Current lines frozen"),
        quote="We are open to a ceasefire",
        speaker="Dmitry Peskov",
    )
    old = position(
        "ru-cf-2024", stance=Stance.OPPOSES, stated="2024", summary="Rejected talks.", current=False
    )
    return EntryDetail(current, (current, old), (revision(),))


def _value(pages: list[discord.Embed], prefix: str) -> str:
    """The value of the first field whose name starts with `prefix`."""
    return next(f.value or "" for p in pages for f in p.fields if (f.name or "").startswith(prefix))


def test_position_title_and_header() -> None:
    """The title names actor and topic; the description reads stance → gist → summary → metadata."""
    detail = _detail()
    detail = dataclasses.replace(detail, entry=dataclasses.replace(detail.entry, gist="Wants a ceasefire."))
    page = entry_pages(detail)[0]
    assert page.title == "🟡 Russia on Ceasefire talks"
    assert desc(page) == (
        "**🟡 Conditional**\n_Wants a ceasefire._\n\nBacks a ceasefire along current lines.\n\n"
        "📅 17 Mar 2025 · 📰 Reported"
    )
    assert "id: ru-cf-2025" in (page.footer.text or "")
    assert page.colour == STANCE_COLOUR[Stance.CONDITIONAL]


def test_stance_changes_are_called_out() -> None:
    """History shows each change of stance: '🟢 Supports → 🔴 Opposes, 12 Feb 2025'."""
    old = position("ru-old", stance=Stance.SUPPORTS, stated="2024-05-01")
    new = position("ru-new", stance=Stance.OPPOSES, stated="2025-02-12")
    same = position("ru-same", stance=Stance.OPPOSES, stated="2025-03-01")
    text = texts(entry_pages(EntryDetail(same, history=(old, new, same))))
    assert "🟢 Supports → 🔴 Opposes, 12 Feb 2025" in text
    assert "🔴 Opposes → 🔴 Opposes" not in text


def test_position_shows_key_points_and_quote_with_speaker() -> None:
    """Key points are bulleted and the quote is attributed."""
    pages = entry_pages(_detail())
    assert _value(pages, "Key points") == "• No NATO membership\n• Current lines frozen"
    assert _value(pages, "Quote") == "> “We are open to a ceasefire”\n— Dmitry Peskov"


def test_every_source_listed_with_title_and_date() -> None:
    """Sources are numbered links with title and publication date."""
    value = _value(entry_pages(_detail()), "Sources (2)")
    assert value.split("\n") == [
        "1\\. 🗞️ press · [Reuters](https://news.example/1) — “Kremlin open to talks” · 17 Mar 2025",
        "2\\. 🗞️ press · [AP](https://news.example/2) · 17 Mar 2025",
    ]


def test_history_marks_superseded_statements() -> None:
    """Earlier statements are listed with stance, date, id and a superseded marker."""
    value = _value(entry_pages(_detail()), "Earlier statements (1)")
    assert value.startswith("🔴 Opposes · 2024 · `ru-cf-2024` · 🕰️ superseded")
    assert "Rejected talks." in value


def test_viewing_a_superseded_position_points_at_the_current_one() -> None:
    """Opening an old statement marks it superseded and lists the current one as a later statement."""
    detail = _detail()
    old = detail.history[1]
    pages = entry_pages(EntryDetail(old, detail.history))
    names = [f.name or "" for p in pages for f in p.fields]
    assert "🕰️ superseded" in desc(pages[0])
    assert _value(pages, "Later statements (1)").startswith(
        "🟡 Conditional · 17 Mar 2025 · `ru-cf-2025` · current"
    )
    assert not any(name.startswith("Earlier statements") for name in names)


def test_a_middle_statement_lists_later_ones_first_then_earlier_ones() -> None:
    """Between two other statements, each goes under its own heading: later first, then earlier."""
    newest, oldest = _detail().history
    middle = position("ru-cf-2024-10", stance=Stance.AMBIGUOUS, stated="2024-10", current=False)
    pages = entry_pages(EntryDetail(middle, (newest, middle, oldest)))
    names = [f.name or "" for p in pages for f in p.fields if (f.name or "").endswith("statements (1)")]
    assert names == ["Later statements (1)", "Earlier statements (1)"]
    assert "`ru-cf-2025`" in _value(pages, "Later statements")
    assert "`ru-cf-2024`" in _value(pages, "Earlier statements")
    assert "`ru-cf-2025`" not in _value(pages, "Earlier statements")


def test_a_same_day_current_statement_is_a_later_one() -> None:
    """Two statements of one day: the current one is the later, whatever the ids' order."""
    current = position("ru-a", stated="2025-03-17")
    old = position("ru-b", stated="2025-03-17", stance=Stance.OPPOSES, current=False)
    pages = entry_pages(EntryDetail(old, (current, old)))
    assert "`ru-a` · current" in _value(pages, "Later statements (1)")
    assert _value(pages, "Stance changes") == "🔴 Opposes → 🟢 Supports, 17 Mar 2025"


def test_revisions_show_who_when_what_and_why() -> None:
    """A revision line has the time as a Discord timestamp, the user mention, the change and the reason."""
    value = _value(entry_pages(_detail()), "Revisions (1)")
    at = int(datetime(2025, 3, 18, 10, 5, tzinfo=UTC).timestamp())
    assert value == (
        f"• <t:{at}:f> · <@123456789012345678> · **edit**: status: reported → verified"
        " · reason: confirmed by a second outlet"
    )


def test_revision_of_new_value_reads_set_to() -> None:
    """A field created by a revision reads `set to`."""
    rev = Revision("x", "create", 1, datetime(2025, 1, 2, tzinfo=UTC), {"quote": (None, "hello")})
    value = _value(entry_pages(EntryDetail(position(), (), (rev,))), "Revisions")
    assert "quote set to hello" in value


def test_disputed_entry_opens_with_warning_and_disputed_colour() -> None:
    """A disputed entry's description starts with the warning and note."""
    p = position(status=Status.DISPUTED, status_note="Denied by the ministry")
    page = entry_pages(EntryDetail(p))[0]
    assert desc(page).startswith("⚠️ **Disputed** — Denied by the ministry")
    assert page.colour == DISPUTED


def test_verified_status_note_is_shown() -> None:
    """A note on a verified entry is shown as information, not a warning."""
    page = entry_pages(EntryDetail(position(status=Status.VERIFIED, status_note="Confirmed on video")))[0]
    assert "ℹ️ Confirmed on video" in desc(page)


def test_event_entry_shows_date_actors_topics_and_sources() -> None:
    """An event shows its date at precision in the title, its actors and topics."""
    e = event(actors=(actor(), actor("ukraine", "Ukraine")), topics=(topic(),), when="2025-03")
    page = entry_pages(EntryDetail(e))[0]
    assert page.title == "🗓️ Mar 2025 — Jeddah talks"
    assert "👥 Russia, Ukraine" in desc(page)
    assert "🧭 Ceasefire talks" in desc(page)
    assert fname(page, 0) == "Sources (1)"


def test_event_caveat_comes_after_what_happened() -> None:
    """An event's sourcing note follows its summary, as a position's does; its header stays first."""
    e = event(status_note="Known from one agency's report.", when="2025-03")
    text = desc(entry_pages(EntryDetail(e))[0])
    summary = e.summary.strip()
    assert text.index("🗓️ Event") < text.index(summary) < text.index("ℹ️ Known from one agency's report.")


def test_removed_and_local_entries_are_marked() -> None:
    """A removed server-only entry says both."""
    page = entry_pages(EntryDetail(event(removed=True, guild_id=9)))[0]
    assert "🏠 server note · 🗑️ removed" in desc(page)


def test_thirty_sources_all_listed_over_pages() -> None:
    """30+ maximal sources continue over further fields and pages; every one is listed."""
    p = position(sources=huge_sources(35))
    pages = entry_pages(EntryDetail(p))
    assert_sendable(pages)
    assert len(pages) > 1
    everything = texts(pages)
    assert all(f"({s.url})" in everything for s in p.sources)
    assert foot(pages[1]).startswith(f"Page 2/{len(pages)}")


def test_full_summary_is_kept_across_description_and_fields() -> None:
    """A 5000-char summary is not cut: the rest continues in 'Summary (cont.)'."""
    p = position(summary=long_text(5000))
    pages = entry_pages(EntryDetail(p))
    assert_sendable(pages)
    shown = [desc(pages[0])] + [
        (f.value or "") for f in pages[0].fields if (f.name or "") == "Summary (cont.)"
    ]
    assert " ".join(shown).split()[-len(p.summary.split()) :] == p.summary.split()
    assert any((f.name or "") == "Summary (cont.)" for f in pages[0].fields)


def test_twenty_five_plus_history_entries_all_listed() -> None:
    """Every earlier statement appears, continued over fields and pages."""
    history = tuple(huge_position(i, current=False) for i in range(1, 31))
    pages = entry_pages(EntryDetail(huge_position(0), (huge_position(0), *history)))
    assert_sendable(pages)
    everything = texts(pages)
    assert all(f"`{h.id}`" in everything for h in history)


def test_maximal_position_with_everything_fits() -> None:
    """Every text at maximum, 30 sources, 30 key points, long quote, history and revisions fit."""
    revisions = tuple(revision(i, reason=long_text(5000)) for i in range(40))
    history = tuple(huge_position(i, current=False) for i in range(1, 27))
    p = huge_position(0)
    pages = entry_pages(EntryDetail(p, history, revisions))
    assert_sendable(pages)
    everything = texts(pages)
    assert all(point[:50] in everything for point in p.key_points)
    at = int(datetime(2025, 3, 18, 10, 5, tzinfo=UTC).timestamp())
    assert everything.count(f"• <t:{at}:f>") == 40


def test_maximal_event_fits() -> None:
    """An event at every maximum fits over its pages."""
    assert_sendable(entry_pages(EntryDetail(huge_event(), (), (revision(),))))


def test_hostile_text_cannot_break_markup() -> None:
    """Hostile text in every field of a position and its history is shown inertly."""
    p = position(
        "x",
        who=actor(name=HOSTILE),
        about=topic(title=HOSTILE),
        summary=HOSTILE,
        status=Status.DISPUTED,
        status_note=HOSTILE,
        key_points=(HOSTILE,),
        quote=HOSTILE,
        speaker=HOSTILE,
        sources=[source(1, publisher=HOSTILE, title=HOSTILE, url="javascript:alert(1)")],
    )
    rev = Revision("x", HOSTILE, 1, datetime(2025, 1, 1, tzinfo=UTC), {HOSTILE: (HOSTILE, HOSTILE)}, HOSTILE)
    pages = entry_pages(EntryDetail(p, (p, position("y", summary=HOSTILE, current=False)), (rev,)))
    assert_sendable(pages)


def test_preview_text_has_every_section() -> None:
    """The plain-text preview shows each section heading."""
    text = pages_to_text(entry_pages(_detail()))
    for heading in ("Key points", "Quote", "Earlier statements (1)", "Sources (2)", "Revisions (1)"):
        assert f"▸ {heading}" in text
