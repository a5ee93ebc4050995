"""How well each entry is sourced: its best tier, and the checks of `check-data --strict`.

Kept apart from `validate` (which decides whether a file can be imported at all): these are the
curators' standards for the shipped dataset, not conditions every upload must meet.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.dataset.problems import Problem
from bot.dataset.records import Dataset, EventRecord, PositionRecord, Section
from bot.dataset.tiers import TIERS_FILE, Tier, TierTable, load_tiers, shipped_tiers
from bot.domain import SourceRole, Status, Verification


@dataclass(frozen=True, slots=True)
class EntryTier:
    """One entry's id and the best tier among its sources."""

    section: Section
    index: int
    id: str
    best: Tier | None


def tiers_for(path: str | Path) -> tuple[TierTable, list[Problem]]:
    """The tier table for a dataset at `path`: its directory's own file if it has one, else the shipped one."""
    root = Path(path)
    own = root / TIERS_FILE if root.is_dir() else root.parent / TIERS_FILE
    if own.is_file():
        return load_tiers(own)
    return shipped_tiers(), []


def _entries(dataset: Dataset) -> Iterator[tuple[Section, int, PositionRecord | EventRecord]]:
    for index, position in enumerate(dataset.positions):
        yield "positions", index, position
    for index, event in enumerate(dataset.events):
        yield "events", index, event


def entry_tiers(dataset: Dataset, table: TierTable) -> list[EntryTier]:
    """Every position and event with its best source tier, in file order."""
    return [EntryTier(section, index, e.id, table.best(e.sources)) for section, index, e in _entries(dataset)]


def tier_report(dataset: Dataset, table: TierTable) -> list[str]:
    """One line per entry (`pos-x: best source official`), then the count per tier."""
    found = entry_tiers(dataset, table)
    lines = [f"{item.id}: best source {item.best.value if item.best else 'none'}" for item in found]
    counts = Counter(item.best for item in found)
    summary = ", ".join(f"{counts[tier]} {tier.value}" for tier in Tier if counts[tier])
    lines.append(f"best source tier of {len(found)} entries: {summary or 'none'}")
    return lines


def strict_problems(dataset: Dataset, table: TierTable) -> list[Problem]:
    """What `check-data --strict` refuses, one problem per entry and field.

    - an entry whose best source is an aggregator;
    - a single source that is not official, unless the entry says `verification: single-source`;
    - a source without a date;
    - a disputed entry with a source lacking a role, or with no `claim` source (where the claim
      appeared); a role on a source of an entry that is not disputed.
    """
    problems: list[Problem] = []
    for section, index, entry in _entries(dataset):
        origin = dataset.origin(section, index)
        problems += (
            Problem(origin.file, origin.entry, f, why, origin.line)
            for f, why in _entry_problems(entry, table)
        )
    return problems


def _entry_problems(entry: PositionRecord | EventRecord, table: TierTable) -> Iterator[tuple[str, str]]:
    """(field, reason) for each way one entry falls short of the strict standard."""
    tiers = [table.of(source) for source in entry.sources]
    if tiers and min(tiers, key=lambda t: t.rank) is Tier.AGGREGATOR:
        yield "sources", "every source is an aggregator: cite an official, wire or press source"
    if (
        len(tiers) == 1
        and tiers[0] is not Tier.OFFICIAL
        and entry.verification is not Verification.SINGLE_SOURCE
    ):
        yield (
            "sources",
            f"one {tiers[0].value} source only: add an independent second source, "
            "or mark the entry `verification: single-source`",
        )
    disputed = entry.status is Status.DISPUTED
    for n, source in enumerate(entry.sources):
        if source.published is None:
            yield f"sources[{n}].date", "is missing: give the date the source was published"
        if disputed and source.role is None:
            yield f"sources[{n}].role", "is required on a disputed entry: claim or evidence"
        if not disputed and source.role is not None:
            yield f"sources[{n}].role", "is only for the sources of a disputed entry"
    if disputed and not any(source.role is SourceRole.CLAIM for source in entry.sources):
        yield "sources", "a disputed entry must cite where the claim was made (a source with role: claim)"
