"""A position's `gist` survives the store: import, read, export byte for byte, and changes are audited."""

from __future__ import annotations

import dataclasses

from bot.dataset import Dataset, dump_dataset, parse_document
from bot.store import Store
from tests.store.conftest import small_dataset

GIST = "Agreed a 30-day halt on energy strikes, not a full ceasefire; wants foreign military aid to end"


def gisted_dataset() -> Dataset:
    """The small dataset with a gist on its first position."""
    ds = small_dataset()
    first = dataclasses.replace(ds.positions[0], gist=GIST)
    return dataclasses.replace(ds, positions=(first, *ds.positions[1:]))


async def test_gist_reads_back_and_exports_byte_for_byte(store: Store) -> None:
    """Imported gists read back; export → import → export gives the same text and changes nothing."""
    ds = gisted_dataset()
    assert (await store.writes.import_dataset(ds)).ok
    assert (await store.reads.entry(None, ds.positions[0].id)).entry.gist == GIST
    assert (await store.reads.entry(None, ds.positions[1].id)).entry.gist == ""
    text = dump_dataset(await store.reads.export(0))
    assert f"gist: {GIST}" in text
    again, problems = parse_document(text, "export.yaml")
    assert problems == []
    report = await store.writes.import_dataset(again)
    assert report.ok and report.added == [] and report.changed == []
    assert dump_dataset(await store.reads.export(0)) == text


async def test_changing_only_the_gist_is_an_audited_change(store: Store) -> None:
    """A new gist alone is a change, and the entry's history shows it before → after."""
    ds = gisted_dataset()
    assert (await store.writes.import_dataset(ds)).ok
    changed = dataclasses.replace(ds.positions[0], gist="Something else entirely")
    report = await store.writes.import_dataset(
        dataclasses.replace(ds, positions=(changed, *ds.positions[1:]))
    )
    assert report.changed == [f"position {ds.positions[0].id}"]
    assert (await store.reads.entry(None, ds.positions[0].id)).entry.gist == "Something else entirely"
