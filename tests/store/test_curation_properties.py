"""Property tests: random and hostile text into the write commands is stored and renders within
Discord's limits, or is refused with a named field — never a crash."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import render
from bot.db.engine import create_engine
from bot.db.schema import ensure_schema
from bot.errors import InvalidInput, NotFound
from bot.store import Store
from bot.store.curation import Writer
from tests.store.conftest import GUILD_A, small_dataset
from tests.support.reads import current_positions
from tests.support.render import position_pages

CURATOR = Writer(user_id=2, guild_id=GUILD_A, can_curate=True)

HOSTILE = st.sampled_from(
    [
        "@everyone",
        "@here <@123> <@&456> <#789>",
        "**bold** __u__ ~~s~~ ||spoiler|| `code` ```block```",
        "[click](javascript:alert(1))",
        "](https://evil.example)",
        "\u202e\u2066reversed",
        "\x00\x07\x1b[31m",
        "x" * 5000,
        "🇺🇦" * 300,
        "line\n" * 200,
        "",
        " ",
    ]
)
TEXT = st.one_of(
    HOSTILE, st.text(max_size=1500), st.text(alphabet=st.characters(codec="utf-8"), max_size=200)
)
DATES = st.one_of(
    st.sampled_from(["2025", "2025-03", "2025-03-17", "2025-13", "2025-02-30", "March", "0000"]),
    st.text(max_size=12),
)
URLS = st.one_of(
    st.sampled_from(
        [
            "https://example.org/a",
            "http://x.y",
            "javascript:alert(1)",
            "ftp://a.b",
            "https://",
            "https://a b.c",
        ]
    ),
    st.text(max_size=60).map(lambda t: "https://example.org/" + t),
)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def shared_store(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Store]:
    """One seeded SQLite store for all examples (each write uses a fresh id)."""
    path: Path = tmp_path_factory.mktemp("props") / "store.db"
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    await ensure_schema(engine)
    store = Store(engine, cache_ttl=0)
    assert (await store.writes.import_dataset(small_dataset())).ok
    yield store
    await engine.dispose()


PROFILE = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.mark.asyncio(loop_scope="module")
@PROFILE
@given(summary=TEXT, quote=TEXT, speaker=TEXT, date=DATES, url=URLS)
async def test_position_set_stores_or_refuses(
    shared_store: Store, summary: str, quote: str, speaker: str, date: str, url: str
) -> None:
    """position-set with any text: stored and renderable, or InvalidInput naming a field."""
    try:
        new_id = await shared_store.curation.set_position(
            CURATOR,
            actor="russia",
            topic="peacekeepers",
            stance="opposes",
            summary=summary,
            source_url=url,
            date=date,
            quote=quote,
            speaker=speaker,
        )
    except InvalidInput as exc:
        refused = exc
        assert refused.field, refused
        assert refused.reason, refused
        return
    detail = await shared_store.reads.entry(GUILD_A, new_id)
    assert render.pages_problems(render.entry_pages(detail)) == []
    actor, topic, positions = await current_positions(shared_store.reads, GUILD_A, "russia")
    assert render.pages_problems(position_pages(actor, positions, topic)) == []


@pytest.mark.asyncio(loop_scope="module")
@PROFILE
@given(title=TEXT, summary=TEXT, date=DATES, url=URLS, actors=st.lists(TEXT, max_size=3))
async def test_event_add_stores_or_refuses(
    shared_store: Store, title: str, summary: str, date: str, url: str, actors: list[str]
) -> None:
    """event-add with any text: stored and renderable in the timeline, or refused with a reason."""
    try:
        new_id = await shared_store.curation.add_event(
            CURATOR,
            topic="peacekeepers",
            date=date,
            title=title,
            summary=summary,
            source_url=url,
            actors=actors,
        )
    except (InvalidInput, NotFound) as exc:
        refused = exc
        assert str(refused)
        return
    detail = await shared_store.reads.entry(GUILD_A, new_id)
    assert render.pages_problems(render.entry_pages(detail)) == []
    if any(c.isalnum() for c in title):
        assert (
            render.embed_problems(render.search_embed(title, await shared_store.reads.search(GUILD_A, title)))
            == []
        )
