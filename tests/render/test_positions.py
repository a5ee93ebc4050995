"""positions_embed: an actor's current positions, a page at a time."""

from __future__ import annotations

from bot.domain import Position, Source, Stance, Status
from bot.render import embed_to_text, positions_embed
from bot.render.style import DISPUTED, STANCE_COLOUR
from tests.render.builders import (
    HOSTILE,
    actor,
    assert_sendable,
    desc,
    fname,
    foot,
    fval,
    huge_position,
    long_text,
    position,
    source,
    texts,
    topic,
)
from tests.support.render import position_pages


def _two() -> list[Position]:
    grain = topic("grain", "Black Sea grain deal")
    return [
        position("ru-ceasefire", stance=Stance.CONDITIONAL),
        position("ru-grain", about=grain, stance=Stance.OPPOSES, status=Status.VERIFIED),
    ]


def test_title_names_the_actor() -> None:
    """The page title says whose positions these are."""
    pages = position_pages(actor(), _two())
    assert pages[0].title == "Russia — where they stand"


def test_one_field_per_position_with_stance_and_topic() -> None:
    """Each position is a field named by stance marker, label and topic."""
    page = position_pages(actor(), _two())[0]
    assert [(f.name or "") for f in page.fields] == [
        "🟡 Conditional · Ceasefire talks",
        "🔴 Opposes · Black Sea grain deal",
    ]


def test_position_shows_summary_date_status_id_and_source_link() -> None:
    """A user sees the summary, the date at its precision, status and a source link — no id."""
    value = fval(position_pages(actor(), _two())[0], 1)
    assert "Backs a ceasefire along current lines." in value
    assert "📅 17 Mar 2025" in value
    assert "✅ Verified" in value
    assert "ru-grain" not in value
    assert "[Reuters](https://news.example/1)" in value


def test_source_links_lead_with_the_strongest_tier_and_name_the_agency_a_copy_carries() -> None:
    """The compact line shows official, then wire (an outlet's copy of an agency report counts, and
    says so), then press, keeping the curated order within a tier — the first links are the ones a
    reader checks, and the rest may be cut to "… and N more"."""
    sources = (
        source(1, publisher="Daily Blog"),
        source(2, publisher="Business Standard"),
        source(3, publisher="NATO", url="https://www.nato.int/cps/en/natohq/opinions_1.htm"),
        source(4, publisher="Second Paper"),
    )
    copied = Source(sources[1].url, sources[1].publisher, "", sources[1].published, via="Reuters")
    sourced = position("p", sources=(sources[0], copied, sources[2], sources[3]))
    value = fval(position_pages(actor(), [sourced, position("q")])[0], 0)
    links = value.split("🔗 ", 1)[1]
    assert links.startswith(
        "[NATO](https://www.nato.int/cps/en/natohq/opinions_1.htm) · "
        "[Business Standard](https://news.example/2) (via Reuters) · "
        "[Daily Blog](https://news.example/1) · [Second Paper](https://news.example/4)"
    ), links


def test_month_precision_date_is_shown_as_month() -> None:
    """A date known to the month reads `Mar 2025`, not a made-up day."""
    page = position_pages(actor(), [position(stated="2025-03"), position("b", stated="2024")])[0]
    assert "📅 Mar 2025 ·" in fval(page, 0)
    assert "📅 2024 ·" in fval(page, 1)


def test_disputed_position_is_marked_with_note() -> None:
    """A disputed position carries the warning and its note, and is flagged in the field name."""
    disputed = position("x", status=Status.DISPUTED, status_note="Kremlin denies the report")
    page = position_pages(actor(), [disputed, position("y")])[0]
    assert fname(page, 0).endswith("⚠️")
    assert fval(page, 0).startswith("⚠️ **Disputed** — Kremlin denies the report")


def test_local_position_is_marked_as_server_note() -> None:
    """A server-only entry says so."""
    page = position_pages(actor(), [position("x", guild_id=42), position("y")])[0]
    assert "🏠 server note" in fval(page, 0)
    assert "server note" not in fval(page, 1)


def test_single_topic_view_puts_summary_in_description() -> None:
    """Asking about one topic shows that position in full with its sources listed."""
    p = position(sources=[source(1, title="Kremlin backs talks"), source(2, publisher="AP")])
    page = position_pages(actor(), [p], topic())[0]
    assert page.title == "Russia on Ceasefire talks"
    assert "**🟢 Supports**" in desc(page)
    assert fname(page, 0) == "Sources (2)"
    assert "[Reuters](https://news.example/1) — “Kremlin backs talks”" in fval(page, 0)
    assert foot(page) == "/entry id:ru-ceasefire for key points, quote and history"


def test_colour_follows_stance() -> None:
    """A single position's embed is coloured by its stance."""
    page = position_pages(actor(), [position(stance=Stance.OPPOSES)], topic())[0]
    assert page.colour == STANCE_COLOUR[Stance.OPPOSES]


def test_disputed_colour_overrides_stance() -> None:
    """A disputed position is coloured as disputed, not as settled support."""
    page = position_pages(actor(), [position(status=Status.DISPUTED)], topic())[0]
    assert page.colour == DISPUTED


def test_no_positions_gives_clear_message() -> None:
    """An actor with nothing recorded gets a 'no recorded position' embed, not an empty one."""
    pages = position_pages(actor(), [], topic())
    assert len(pages) == 1
    assert "No recorded position for **Russia** on **Ceasefire talks**." in desc(pages[0])
    assert "/timeline topic:ceasefire" in foot(pages[0])


def test_no_positions_at_all() -> None:
    """Without a topic, the message says the actor has none yet."""
    assert "No recorded positions for **Russia** yet." in desc(position_pages(actor(), [])[0])


def test_sixty_positions_span_pages_and_none_is_lost() -> None:
    """60 positions are spread over pages with a page count, and every one appears once."""
    positions = [position(f"p-{i:02d}", about=topic(f"t{i}", f"Topic {i}")) for i in range(60)]
    pages = position_pages(actor(), positions)
    assert len(pages) > 1
    assert foot(pages[0]).startswith(f"Page 1/{len(pages)} · 60 positions")
    everything = texts(pages)
    assert all(everything.count(f"Topic {i}\n") + everything.count(f"Topic {i} ") == 1 for i in range(60))
    assert_sendable(pages)


def test_a_page_built_from_its_own_positions_says_which_of_all_it_is() -> None:
    """A button's page, built from its own positions and the total alone, shows just those and
    numbers itself among all the pages."""
    positions = [position(f"p-{i:02d}", about=topic(f"t{i}", f"Topic {i}")) for i in range(20)]
    page = positions_embed(actor(), positions[12:18], 20, 2)
    assert foot(page).startswith("Page 3/4 · 20 positions")
    assert [fname(page, n).split(" · ")[-1] for n in range(len(page.fields))] == [
        f"Topic {i}" for i in range(12, 18)
    ]


def test_sixty_huge_positions_fit_every_limit() -> None:
    """Positions with 500-char names and topics, 5000-char summaries and 30 sources still fit."""
    pages = position_pages(actor(name=long_text(500)), [huge_position(i) for i in range(60)])
    assert_sendable(pages)
    assert sum(len(p.fields) for p in pages) == 60


def test_huge_single_position_fits() -> None:
    """One position at every maximum fits, and its extra sources are counted."""
    p = huge_position()
    pages = position_pages(actor(name=long_text(500)), [p], p.topic)
    assert_sendable(pages)
    assert "more in /entry id:" in fval(pages[0], 0)


def test_truncated_summary_ends_with_ellipsis() -> None:
    """A summary too long for the overview is cut cleanly and marked."""
    value = fval(position_pages(actor(), [huge_position(0), huge_position(1)])[0], 0)
    assert "…" in value


def test_compact_sources_say_how_many_more() -> None:
    """When not every source fits a position's field, the rest are counted."""
    page = position_pages(actor(), [huge_position(0), huge_position(1)])[0]
    assert "more" in fval(page, 0).split("\n")[-1]


def test_hostile_text_cannot_break_markup() -> None:
    """Markdown, mentions and javascript: links in every text field are shown inertly."""
    who = actor(name=HOSTILE, aliases=(HOSTILE,))
    p = position(
        "x",
        who=who,
        about=topic(title=HOSTILE),
        summary=HOSTILE,
        status=Status.DISPUTED,
        status_note=HOSTILE,
        sources=[source(1, publisher=HOSTILE, url="javascript:alert(1)")],
    )
    assert_sendable(position_pages(who, [p, position("y", who=who)]))
    assert_sendable(position_pages(who, [p], p.topic))


def test_plain_text_preview_shows_the_same_content() -> None:
    """The CLI preview holds the title, field names and link labels."""
    text = embed_to_text(position_pages(actor(), _two())[0])
    assert "Russia — where they stand" in text
    assert "🔴 Opposes · Black Sea grain deal" in text
    assert "Reuters <https://news.example/1>" in text


def test_a_list_footer_points_at_the_menu_not_at_ids_it_does_not_show() -> None:
    """Several positions: their ids are in the menu, so the footer names the menu."""
    embed = positions_embed(actor(), _two(), 2, 0)
    assert foot(embed) == "2 positions · Open an entry… below for sources and history"
    assert "ru-grain" not in embed_to_text(embed)
