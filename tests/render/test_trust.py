"""What tells readers how far to trust an entry: tier badges, via, roles, caveats, corrections."""

from __future__ import annotations

import dataclasses

from bot.dataset.tiers import Tier, TierTable
from bot.domain import Briefing, EntryDetail, PageOf, SearchHit, Source, SourceRole, Status, Verification
from bot.render import brief_embed, entry_pages, search_embed, timeline_embed
from bot.render.trust import correction, sentence_ends, tier_badge
from tests.render.builders import (
    actor,
    assert_sendable,
    day,
    event,
    fname,
    found,
    long_text,
    position,
    texts,
    topic,
)
from tests.support.render import position_pages

NATO = Source(
    "https://www.nato.int/cps/en/natohq/official_texts_8443.htm", "NATO", "Declaration", day("2008-04-03")
)
REUTERS = Source("https://www.reuters.com/world/x", "Reuters", published=day("2025-03-17"))
CBC = Source("https://www.cbc.ca/news/x", "CBC News", published=day("2021-12-17"), via="Associated Press")
BLOG = Source("https://politikinewsaaa.blogspot.com/2025/03/x.html", "Politiki", published=day("2025-03-17"))
NOTE = "Misattributed. The phrase comes from the Washington declaration of 2024, not Vilnius."


def _entry_text(entry: object) -> str:
    return texts(entry_pages(EntryDetail(entry)))  # type: ignore[arg-type]


def test_entry_badges_each_source_with_its_tier() -> None:
    """/entry puts the tier badge on every source line; via shows the agency and counts as wire."""
    text = _entry_text(event(sources=(NATO, REUTERS, CBC, BLOG)))
    assert "1\\. 🏛️ official · [NATO](https://www.nato.int/" in text
    assert "2\\. 📡 wire · [Reuters](" in text
    assert "3\\. 📡 wire · [CBC News](https://www.cbc.ca/news/x) (via Associated Press)" in text
    assert "4\\. 🔁 aggregator · [Politiki](" in text


def test_badge_follows_the_table() -> None:
    """The badge comes from the tier table, not from the publisher's name."""
    table = TierTable({"cbc.ca": Tier.OFFICIAL})
    assert tier_badge(dataclasses.replace(CBC, via=""), table) == "🏛️ official"
    assert tier_badge(dataclasses.replace(CBC, via=""), TierTable()) == "🗞️ press"


def test_disputed_entry_lists_claims_and_evidence_apart() -> None:
    """ "Claimed in" holds where the claim appeared, "Settled by" what settles it; numbering runs on."""
    claim = dataclasses.replace(BLOG, role=SourceRole.CLAIM)
    evidence = dataclasses.replace(NATO, role=SourceRole.EVIDENCE)
    pages = entry_pages(
        EntryDetail(event(sources=(claim, evidence), status=Status.DISPUTED, status_note=NOTE))
    )
    names = [fname(page, n) for page in pages for n in range(len(page.fields))]
    assert "Claimed in (1)" in names and "Settled by (1)" in names and "Sources (1)" not in names
    claimed = pages[0].fields[names.index("Claimed in (1)")].value or ""
    settled = pages[0].fields[names.index("Settled by (1)")].value or ""
    assert "Politiki" in claimed and "NATO" not in claimed
    assert settled.startswith("2\\. 🏛️ official · [NATO]")


def test_entry_shows_caveat_note_and_verification_in_full() -> None:
    """A long caveat note is shown whole in /entry, with the verification caveat spelled out."""
    note = long_text(480) + "."
    text = _entry_text(event(status_note=note, verification=Verification.SINGLE_SOURCE))
    assert f"ℹ️ {note}" in text
    assert "ℹ️ Single source: no second independent source has been found." in text


def test_position_and_brief_mark_caveats() -> None:
    """/position and /brief show ℹ️ on entries with a caveat, and only on those."""
    noted = position(
        "p-noted", who=actor("a", "Alpha"), status_note="Dated by the interview, not its publication."
    )
    unverified = position("p-unconf", who=actor("b", "Bravo"), verification=Verification.UNVERIFIED)
    plain = position("p-plain", who=actor("c", "Charlie"))
    page = position_pages(actor(), [noted, unverified, plain])[0]
    names = [fname(page, n) for n in range(len(page.fields))]
    assert [name.endswith("ℹ️") for name in names] == [True, True, False]
    brief = brief_embed(
        Briefing(topic(), (noted, unverified, plain), (event(verification=Verification.SINGLE_SOURCE),), 1)
    )
    lines = texts(brief).split("\n")
    assert [
        "ℹ️" in line for line in lines if "**Alpha**" in line or "**Bravo**" in line or "**Charlie**" in line
    ] == [True, True, False]
    assert any("Jeddah talks" in line and "ℹ️" in line for line in lines)


def test_correction_is_whole_when_it_fits_else_cut_after_a_sentence() -> None:
    """Whole within the limit; else the whole sentences that fit, then the pointer; never a part sentence."""
    assert correction(NOTE, "ev-x", 500) == f"⚠️ **Disputed** — {NOTE}"
    cut = correction(NOTE, "ev-x", 100)
    assert cut == "⚠️ **Disputed** — Misattributed. — /entry id:ev-x for the full correction"
    assert correction(NOTE, "ev-x", 60) == "⚠️ **Disputed** — /entry id:ev-x for the full correction"
    assert correction(NOTE, "ev-x", 20) == "⚠️ **Disputed**"


def test_abbreviations_and_initials_do_not_end_sentences() -> None:
    """ "U.S. officials" and "J. Smith" are not sentence ends; a full stop before a capital is."""
    text = "The U.S. officials met J. Smith in Kyiv. Then talks ended."
    assert sentence_ends(text) == [text.index("Kyiv.") + 5, len(text)]


def test_timeline_gives_the_correction_room_before_the_summary() -> None:
    """On a full timeline page, a disputed event's correction stays whole and its summary gives way."""
    note = " ".join(f"Sentence number {n} of the correction." for n in range(12))
    events = tuple(
        event(f"ev-{n}", summary=long_text(1000), status=Status.DISPUTED, status_note=note) for n in range(8)
    )
    embed = timeline_embed(topic(), PageOf(events, 0, 8, 8))
    assert_sendable(embed)
    for field in embed.fields:
        assert (field.value or "").startswith(f"⚠️ **Disputed** — {note}\n")


def test_search_shows_the_correction_of_a_disputed_hit() -> None:
    """/search puts a disputed hit's correction before its snippet."""
    hit = SearchHit(
        "ev-x", "event", "Vilnius", "snippet text", day("2023-07-11"), Status.DISPUTED, correction=NOTE
    )
    value = search_embed("vilnius", found([hit])).fields[0].value or ""
    assert value.startswith(f"⚠️ **Disputed** — {NOTE}\nsnippet text")
