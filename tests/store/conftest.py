"""Store fixtures: a real SQLite file and a real PostgreSQL database per test, with a small dataset."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.dataset.records import Dataset, EventRecord, PositionRecord
from bot.db.engine import create_engine
from bot.db.schema import ensure_schema
from bot.domain import Actor, ActorKind, FuzzyDate, Source, Stance, Status, Topic
from bot.store import Store
from tests.support.databases import database_url

GUILD_A = 111_111_111_111_111_111
GUILD_B = 222_222_222_222_222_222


def src(n: int = 1) -> tuple[Source, ...]:
    return tuple(Source(url=f"https://example.org/{i}", publisher=f"Pub {i}") for i in range(n))


def small_dataset() -> Dataset:
    """Three actors, two topics, a position with history, a disputed one, five events."""
    d = FuzzyDate.parse
    return Dataset(
        actors=(
            Actor("russia", "Russia", ActorKind.STATE, ("ru", "russian-federation")),
            Actor("united-states", "United States", ActorKind.STATE, ("us", "usa")),
            Actor("nato", "NATO", ActorKind.ALLIANCE, ("alliance",)),
        ),
        topics=(
            Topic("peacekeepers", "Peacekeepers in Ukraine", "Foreign troops after a ceasefire."),
            Topic("nato-ukraine", "Ukraine's NATO membership", "Whether and when Ukraine joins NATO."),
        ),
        positions=(
            PositionRecord(
                "pos-ru-pk-1",
                "russia",
                "peacekeepers",
                Stance.OPPOSES,
                "Cannot consider European peacekeepers.",
                d("2025-02-26"),
                src(),
                Status.REPORTED,
            ),
            PositionRecord(
                "pos-ru-pk-2",
                "russia",
                "peacekeepers",
                Stance.OPPOSES,
                "Contingents under any flag would be parties to the conflict; unarmed observers could be discussed.",
                d("2025-03-17"),
                src(2),
                Status.VERIFIED,
            ),
            PositionRecord(
                "pos-us-nato",
                "united-states",
                "nato-ukraine",
                Stance.OPPOSES,
                "Membership is not a realistic outcome of a settlement.",
                d("2025-02"),
                src(),
                Status.DISPUTED,
                status_note="The month is right; the seed article's March date is wrong.",
            ),
            PositionRecord(
                "pos-nato-nato",
                "nato",
                "nato-ukraine",
                Stance.SUPPORTS,
                "Ukraine's future is in NATO.",
                d("2023-07-11"),
                src(),
                Status.VERIFIED,
            ),
        ),
        events=(
            EventRecord(
                "ev-2008",
                d("2008-04-03"),
                "Bucharest summit",
                "Ukraine will become a member.",
                src(),
                ("nato",),
                ("nato-ukraine",),
                Status.VERIFIED,
            ),
            EventRecord(
                "ev-2023",
                d("2023-07"),
                "Vilnius summit",
                "Future is in NATO; MAP dropped.",
                src(),
                ("nato",),
                ("nato-ukraine",),
                Status.VERIFIED,
            ),
            EventRecord(
                "ev-2024",
                d("2024"),
                "Washington summit",
                "Irreversible path to membership.",
                src(),
                ("nato", "united-states"),
                ("nato-ukraine",),
                Status.VERIFIED,
            ),
            EventRecord(
                "ev-2025-02",
                d("2025-02-12"),
                "Hegseth in Brussels",
                "No US troops; peacekeepers non-NATO.",
                src(),
                ("united-states",),
                ("peacekeepers", "nato-ukraine"),
                Status.REPORTED,
            ),
            EventRecord(
                "ev-2025-03",
                d("2025-03-17"),
                "Grushko interview",
                "Any contingent a party to the conflict.",
                src(),
                ("russia",),
                ("peacekeepers",),
                Status.REPORTED,
            ),
        ),
    )


@pytest.fixture(params=["sqlite", "postgres"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    """An empty store on a real SQLite file, and on a fresh PostgreSQL database."""
    async with database_url(request.param, tmp_path) as url:
        engine = create_engine(url)
        await ensure_schema(engine)
        s = Store(engine, cache_ttl=0)
        yield s
        await engine.dispose()


@pytest.fixture
async def seeded(store: Store) -> Store:
    """The store with small_dataset() imported globally."""
    report = await store.writes.import_dataset(small_dataset())
    assert report.ok, report.problems
    return store
