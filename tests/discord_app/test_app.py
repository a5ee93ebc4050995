"""Both bot classes are a `BriefingApp`, and handlers reach the bot through `briefing_client`.

mypy checks the static side (`briefing_client` returns either class as a `BriefingApp`); these tests
check the running objects: every member the protocol promises is there, with the bot's own services.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import discord
import pytest
from discord import app_commands

from bot.config import load_settings
from bot.db.engine import create_engine
from bot.discord_app.app import BriefingApp, briefing_client
from bot.discord_app.client import BriefingBot, ShardedBriefingBot, create_bot
from bot.discord_app.pending_imports import PendingImports
from bot.store import Store

TOKEN = "x" * 20


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    """A store on a SQLite file (never connected: the bots are only constructed)."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'app.sqlite3'}")
    yield Store(engine, cache_ttl=0)
    await engine.dispose()


def _members() -> list[str]:
    return [name for name in vars(BriefingApp) if not name.startswith("_")]


def _interaction(client: discord.Client) -> discord.Interaction[Any]:
    """A slash-command interaction as discord.py builds it from the gateway payload."""
    payload: Any = {
        "id": "1",
        "application_id": "2",
        "type": 2,
        "token": "t",
        "version": 1,
        "attachment_size_limit": 8 * 1024 * 1024,
        "user": {"id": "3", "username": "u", "discriminator": "0", "avatar": None},
    }
    return discord.Interaction(data=payload, state=client._connection)


@pytest.mark.parametrize(
    ("env", "cls"),
    [({}, BriefingBot), ({"SHARD_COUNT": "2"}, ShardedBriefingBot)],
    ids=["single", "sharded"],
)
async def test_each_bot_class_has_every_member_of_the_protocol(
    store: Store, env: dict[str, str], cls: type
) -> None:
    """Whichever class runs, the cogs find the store, settings, services and discord.py calls they use."""
    settings = load_settings({"DISCORD_TOKEN": TOKEN, **env})
    bot = create_bot(settings, store)  # not started: nothing to close
    assert type(bot) is cls
    assert _members(), "the protocol names the members the cogs use"
    missing = [name for name in _members() if not hasattr(bot, name)]
    assert missing == []
    assert bot.store is store
    assert bot.settings is settings
    assert isinstance(bot.pending_imports, PendingImports)
    assert isinstance(bot.tree, app_commands.CommandTree)
    assert briefing_client(_interaction(bot)) is bot


async def test_a_client_that_is_not_a_briefing_bot_is_refused() -> None:
    """An interaction from any other client is a TypeError naming it, not a bot without a store."""
    client = discord.Client(intents=discord.Intents.none())
    with pytest.raises(TypeError, match="Client"):
        briefing_client(_interaction(client))


@pytest.mark.parametrize(
    ("env", "expected"),
    [({"SHARD_COUNT": "2"}, None), ({"SHARD_COUNT": "3", "SHARD_IDS": "1,2"}, [1, 2])],
    ids=["all-shards", "some-shards"],
)
async def test_sharded_bot_runs_the_shards_named(
    store: Store, env: dict[str, str], expected: list[int] | None
) -> None:
    """SHARD_IDS picks this process's shards; without it discord.py runs all SHARD_COUNT of them."""
    bot = create_bot(load_settings({"DISCORD_TOKEN": TOKEN, **env}), store)
    assert isinstance(bot, ShardedBriefingBot)
    assert bot.shard_count == int(env["SHARD_COUNT"])
    assert bot.shard_ids == expected
