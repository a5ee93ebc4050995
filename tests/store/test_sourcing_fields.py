"""Source `via` and `role` and an entry's `verification` survive the store: import, read, export."""

from __future__ import annotations

import dataclasses

from bot.dataset import Dataset, dump_dataset, parse_document
from bot.domain import FuzzyDate, Source, SourceRole, Status, Verification
from bot.store import Store
from tests.store.conftest import small_dataset

CLAIM = Source(
    "https://blog.example/a", "A blog", "The claim", FuzzyDate.parse("2025-03-01"), role=SourceRole.CLAIM
)
EVIDENCE = Source(
    "https://cbc.example/b",
    "CBC News",
    "The record",
    FuzzyDate.parse("2025-03-02"),
    via="Associated Press",
    role=SourceRole.EVIDENCE,
)


def sourced_dataset() -> Dataset:
    """The small dataset with a disputed position citing a claim and a via source, and two caveats."""
    ds = small_dataset()
    disputed = dataclasses.replace(ds.positions[2], sources=(CLAIM, EVIDENCE))
    single = dataclasses.replace(ds.positions[3], verification=Verification.SINGLE_SOURCE)
    event = dataclasses.replace(ds.events[4], verification=Verification.UNVERIFIED)
    return dataclasses.replace(
        ds,
        positions=(*ds.positions[:2], disputed, single),
        events=(*ds.events[:4], event),
    )


async def test_new_fields_read_back(store: Store) -> None:
    """/entry reads give back via, role and verification as imported."""
    assert (await store.writes.import_dataset(sourced_dataset())).ok
    disputed = (await store.reads.entry(None, "pos-us-nato")).entry
    assert disputed.status is Status.DISPUTED
    assert disputed.sources == (CLAIM, EVIDENCE)
    assert (await store.reads.entry(None, "pos-nato-nato")).entry.verification is Verification.SINGLE_SOURCE
    assert (await store.reads.entry(None, "ev-2025-03")).entry.verification is Verification.UNVERIFIED
    assert (await store.reads.entry(None, "ev-2008")).entry.verification is None


async def test_export_is_byte_for_byte_stable(store: Store) -> None:
    """export → import into the same store → export gives the same text, and the import changes nothing."""
    assert (await store.writes.import_dataset(sourced_dataset())).ok
    text = dump_dataset(await store.reads.export(0))
    assert "via: Associated Press" in text and "role: claim" in text and "verification: single-source" in text
    ds, problems = parse_document(text, "export.yaml")
    assert problems == []
    report = await store.writes.import_dataset(ds)
    assert report.ok and report.added == [] and report.changed == []
    assert dump_dataset(await store.reads.export(0)) == text


async def test_changing_only_the_caveat_is_an_audited_change(store: Store) -> None:
    """Setting or clearing `verification` alone is seen as a change (not skipped as unchanged)."""
    ds = sourced_dataset()
    assert (await store.writes.import_dataset(ds)).ok
    cleared = dataclasses.replace(ds.positions[3], verification=None)
    report = await store.writes.import_dataset(
        dataclasses.replace(ds, positions=(*ds.positions[:3], cleared))
    )
    assert report.changed == ["position pos-nato-nato"]
    assert (await store.reads.entry(None, "pos-nato-nato")).entry.verification is None
