"""The stance map's store query and its cached answer."""

from __future__ import annotations

from bot.dataset.records import Dataset, PositionRecord
from bot.discord_app import answers
from bot.domain import FuzzyDate, MapQuery, Stance, Status
from bot.store import Store
from tests.store.conftest import GUILD_A, GUILD_B, src


def _letters(smap: object) -> list[list[str]]:
    return [[c.stance.value[0] if c else "?" for c in row] for row in smap.cells]  # type: ignore[attr-defined]


async def test_default_map_is_most_covered_actors_by_topics(seeded: Store) -> None:
    """Unnamed, the map shows actors and topics by coverage (ties by name), current stances in cells."""
    smap = await seeded.reads.stance_map(None)
    assert [a.slug for a in smap.actors] == ["nato", "russia", "united-states"]
    assert [t.slug for t in smap.topics] == ["nato-ukraine", "peacekeepers"]
    assert _letters(smap) == [["s", "?"], ["?", "o"], ["o", "?"]]
    assert smap.cells[1][1] is not None and smap.cells[1][1].entry_id == "pos-ru-pk-2"  # the current one
    assert smap.cells[2][0] is not None and smap.cells[2][0].status is Status.DISPUTED


async def test_named_actors_and_topics_in_the_order_given(seeded: Store) -> None:
    """Named ones (by alias too) are the rows and columns, in order; the size limits bound the default."""
    smap = await seeded.reads.stance_map(None, ["usa", "ru"], ["peacekeepers"])
    assert [a.slug for a in smap.actors] == ["united-states", "russia"]
    assert _letters(smap) == [["?"], ["o"]]
    small = await seeded.reads.stance_map(None, max_actors=1, max_topics=1)
    assert (len(small.actors), len(small.topics)) == (1, 1)


async def test_a_servers_own_position_shows_only_in_its_map(seeded: Store) -> None:
    """A server's own newer statement changes its map, never another server's."""
    mine = PositionRecord(
        "pos-local-us-pk",
        "united-states",
        "peacekeepers",
        Stance.SUPPORTS,
        "Local note.",
        FuzzyDate.parse("2025-04-01"),
        src(),
        Status.REPORTED,
    )
    assert (await seeded.writes.import_dataset(Dataset(positions=(mine,)), guild_id=GUILD_A)).ok
    a = await seeded.reads.stance_map(GUILD_A, ["united-states"], ["peacekeepers"])
    b = await seeded.reads.stance_map(GUILD_B, ["united-states"], ["peacekeepers"])
    assert _letters(a) == [["s"]]
    assert _letters(b) == [["?"]]


async def test_repeated_map_is_the_cached_answer_until_the_store_changes(seeded: Store) -> None:
    """The same /map again is the cached answer (picture included); a write makes a fresh one."""
    first = await answers.stance_map(seeded, None, MapQuery())
    again = await answers.stance_map(seeded, None, MapQuery.from_options("", ""))
    assert again is first
    assert first.files and first.files[0][0] == "stance-map.png"
    other = await answers.stance_map(seeded, None, MapQuery(actors=("russia",)))
    assert other is not first
    mine = PositionRecord(
        "pos-ru-nato-new",
        "russia",
        "nato-ukraine",
        Stance.OPPOSES,
        "New.",
        FuzzyDate.parse("2025-05-01"),
        src(),
        Status.REPORTED,
    )
    assert (await seeded.writes.import_dataset(Dataset(positions=(mine,)))).ok
    fresh = await answers.stance_map(seeded, None, MapQuery())
    assert fresh is not first
    assert fresh.files[0][1] != first.files[0][1]
