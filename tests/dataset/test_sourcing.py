"""check-data's sourcing checks: each entry's best tier, and what --strict refuses."""

from __future__ import annotations

import dataclasses

from bot.dataset import Dataset, EventRecord, PositionRecord
from bot.dataset.sourcing import strict_problems, tier_report
from bot.dataset.tiers import Tier, TierTable
from bot.domain import FuzzyDate, Source, SourceRole, Stance, Status, Verification

TABLE = TierTable({"nato.int": Tier.OFFICIAL, "reuters.com": Tier.WIRE, "blogspot.com": Tier.AGGREGATOR})
DAY = FuzzyDate.parse("2025-03-17")
OFFICIAL = Source("https://www.nato.int/a", "NATO", published=DAY)
WIRE = Source("https://www.reuters.com/b", "Reuters", published=DAY)
PRESS = Source("https://paper.example/c", "Paper", published=DAY)
BLOG = Source("https://x.blogspot.com/d", "Blog", published=DAY)


def event(sources: tuple[Source, ...], **kwargs: object) -> EventRecord:
    """A reported event with the given sources."""
    return EventRecord("ev-x", DAY, "Title", "Summary.", sources, (), ("t",), **kwargs)  # type: ignore[arg-type]


def problems_of(*events: EventRecord) -> list[str]:
    """The strict problems of a dataset holding `events`, as text."""
    return [str(p) for p in strict_problems(Dataset(events=events), TABLE)]


def test_well_sourced_entries_pass() -> None:
    """Two dated sources, or one official one, meet the standard."""
    assert problems_of(event((PRESS, WIRE))) == []
    assert problems_of(event((OFFICIAL,))) == []


def test_aggregator_only_entry_is_refused() -> None:
    """An entry whose best source is an aggregator fails, even with two of them."""
    blog2 = dataclasses.replace(BLOG, url="https://y.blogspot.com/e")
    assert any("aggregator" in p for p in problems_of(event((BLOG, blog2))))
    assert not any("aggregator" in p for p in problems_of(event((BLOG, PRESS))))


def test_single_non_official_source_is_refused_unless_marked() -> None:
    """One wire or press source fails; `verification: single-source` makes it a visible caveat instead."""
    assert any("one wire source only" in p for p in problems_of(event((WIRE,))))
    assert problems_of(event((WIRE,), verification=Verification.SINGLE_SOURCE)) == []
    assert any(
        "one press source only" in p
        for p in problems_of(event((PRESS,), verification=Verification.UNVERIFIED))
    )


def test_undated_source_is_refused_by_field() -> None:
    """A source without a date is named by its index."""
    undated = dataclasses.replace(WIRE, published=None)
    found = problems_of(event((PRESS, undated)))
    assert len(found) == 1 and "sources[1].date: is missing" in found[0]


def test_disputed_entry_needs_roles_and_a_claim() -> None:
    """Each source of a disputed entry has a role, and one of them shows where the claim appeared."""
    note = {"status": Status.DISPUTED, "status_note": "Wrong."}
    found = problems_of(event((PRESS, WIRE), **note))
    assert sum("role: is required" in p for p in found) == 2
    evidence = dataclasses.replace(WIRE, role=SourceRole.EVIDENCE)
    assert any("cite where the claim was made" in p for p in problems_of(event((evidence, OFFICIAL), **note)))
    claim = dataclasses.replace(BLOG, role=SourceRole.CLAIM)
    assert problems_of(event((claim, evidence), **note)) == []


def test_role_on_an_undisputed_entry_is_refused() -> None:
    """Roles belong to disputed entries only."""
    claim = dataclasses.replace(PRESS, role=SourceRole.CLAIM)
    assert any("only for the sources of a disputed entry" in p for p in problems_of(event((claim, WIRE))))


def test_report_gives_each_entry_its_best_tier() -> None:
    """One line per entry with its best tier, then the count per tier."""
    position = PositionRecord("pos-x", "a", "t", Stance.SUPPORTS, "S.", DAY, (PRESS, OFFICIAL))
    lines = tier_report(Dataset(positions=(position,), events=(event((BLOG, WIRE)),)), TABLE)
    assert lines == [
        "pos-x: best source official",
        "ev-x: best source wire",
        "best source tier of 2 entries: 1 official, 1 wire",
    ]
