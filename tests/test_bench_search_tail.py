"""bench/search_tail.py: each search timed with its ranking apart, grouped by the query's shape."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.search_tail import SHAPES, Timed, report, run, shape_of
from bench.synthetic import Manifest
from bot.db.engine import create_engine
from bot.db.schema import ensure_schema
from bot.store import Store
from tests.store.conftest import small_dataset
from tests.support.databases import database_url


def _manifest(guild_ids: list[int]) -> Manifest:
    return Manifest(
        scale={},
        seed=1,
        guild_ids=guild_ids,
        common_words=["any"],
        middle_words=["peacekeepers", "contingent", "troops"],
        rare_words=["grushko"],
    )


def test_each_query_gets_the_shape_the_mix_drew() -> None:
    m = _manifest([0])
    assert shape_of("troops", m) == "one mid word"
    assert shape_of("troops contingent", m) == "two mid words"
    assert shape_of("any contingent", m) == "common + mid word"
    assert shape_of("grushko", m) == "rare word"


def test_the_report_lists_the_slowest_first_and_names_the_tail_by_shape() -> None:
    timed = [Timed(f"w{i}", SHAPES[0], 1.0 + i / 100, 0.5) for i in range(99)]
    timed.append(Timed("any troops", SHAPES[2], 30.0, 25.0, matches=1234))
    text = report(timed, top=2)
    assert "| all | 100 |" in text
    assert "the slowest 1 % (1): common + mid word 1" in text
    slow = text.splitlines().index("| store ms | ranking ms | rest ms | documents matched | words |") + 2
    assert text.splitlines()[slow] == "| 30.00 | 25.00 | 5.00 | 1234 | any troops (common + mid word) |"
    assert "w98" in text.splitlines()[slow + 1]


@pytest.mark.parametrize("db", ["sqlite", "postgres"])
async def test_a_run_times_the_ranking_inside_each_search_and_counts_matches(db: str, tmp_path: Path) -> None:
    """On a real store: the ranking's time is part of each search's, and the slowest are counted."""
    async with database_url(db, tmp_path) as url:
        engine = create_engine(url)
        await ensure_schema(engine)
        store = Store(engine)
        assert (await store.writes.import_dataset(small_dataset())).ok
        timed = await run(url, _manifest([0]), 30)
        # On so small a store every match is in the search's pool: its count is the store's own.
        found = {t.words: (await store.reads.search(None, t.words)).matches for t in timed}
        await engine.dispose()
    assert len(timed) == 30
    assert all(0 < t.ranking_ms < t.store_ms for t in timed)
    assert {t.words: t.matches for t in timed} == found  # at most 30 searches: every one is counted
    assert any(found.values())
