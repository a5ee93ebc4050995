"""A minimal discord.py client (not the project's bot) works end to end against the simulator."""

from __future__ import annotations

import asyncio
import importlib.util
import time
from collections.abc import AsyncIterator, Iterator

import discord
import pytest
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket

from tests.discord_sim import DiscordSimulator

ACTORS = ["russia", "rwanda", "romania", "ukraine"]


class Pager(discord.ui.View):
    """One button that turns the page by editing the message (UPDATE_MESSAGE)."""

    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Next", custom_id="pager:2")
    async def next_page(self, interaction: discord.Interaction, _: discord.ui.Button[Pager]) -> None:
        """Show page 2 and drop the button."""
        await interaction.response.edit_message(content="page 2", view=None)


class NoteModal(discord.ui.Modal, title="Add a note"):
    """One text input; the submit answers ephemerally."""

    def __init__(self) -> None:
        super().__init__(custom_id="note-modal")

    text: discord.ui.TextInput[NoteModal] = discord.ui.TextInput(label="Note", custom_id="note-text")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        """Echo the note."""
        await interaction.response.send_message(f"noted: {self.text.value}", ephemeral=True)


class MiniClient(discord.Client):
    """Just enough of a bot: a few commands, a button, a modal."""

    def __init__(self, *, guild_ids: list[int], shard_count: int | None = None) -> None:
        super().__init__(
            intents=discord.Intents.default(),
            allowed_mentions=discord.AllowedMentions.none(),
            guild_ready_timeout=0.05,
            shard_count=shard_count,
        )
        self.tree = app_commands.CommandTree(self)
        self.guild_ids = guild_ids
        self._register()

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Skip discord.py's 5 s pause before re-identifying (keeps the suite fast)."""

    def _register(self) -> None:
        @self.tree.command(name="position", description="Where an actor stands")
        @app_commands.describe(actor="Actor id")
        async def position(interaction: discord.Interaction, actor: str) -> None:
            embed = discord.Embed(title=actor.title(), description=f"Position of {actor}")
            await interaction.response.send_message(embed=embed, ephemeral=True)

        @position.autocomplete("actor")
        async def actor_autocomplete(
            interaction: discord.Interaction, current: str
        ) -> list[app_commands.Choice[str]]:
            return [app_commands.Choice(name=a.title(), value=a) for a in ACTORS if a.startswith(current)][
                :25
            ]

        @self.tree.command(name="slow", description="Defers, then answers")
        async def slow(interaction: discord.Interaction) -> None:
            await interaction.response.defer(thinking=True)
            await asyncio.sleep(0.05)
            await interaction.followup.send("finally")

        @self.tree.command(name="pager", description="A message with a button")
        async def pager(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("page 1", view=Pager())

        @self.tree.command(name="note", description="Opens a modal")
        async def note(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(NoteModal())

    async def setup_hook(self) -> None:
        """Sync the tree to each test guild (guild sync is instant)."""
        for guild_id in self.guild_ids:
            guild = discord.Object(guild_id)
            self.tree.copy_global_to(guild=guild)
            await self.tree.sync(guild=guild)


class MiniShardedClient(discord.AutoShardedClient):
    """Sharded variant: no commands, it only holds the shards."""

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """No re-identify pause in tests."""


@pytest.fixture(scope="module")
def sim_server() -> Iterator[DiscordSimulator]:
    """This module's own simulator."""
    with DiscordSimulator() as simulator:
        yield simulator


@pytest.fixture
def pointed_at_sim(sim: DiscordSimulator, monkeypatch: pytest.MonkeyPatch) -> DiscordSimulator:
    """Point discord.py's REST base and default gateway at the simulator (what the bot does from env)."""
    monkeypatch.setattr(discord.http.Route, "BASE", sim.api_base)
    monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(sim.gateway_url))
    return sim


async def run_client(
    client: discord.Client, sim: DiscordSimulator, *, shard_count: int = 1
) -> asyncio.Task[None]:
    """Log in, connect in the background, and wait until every shard got READY + GUILD_CREATE."""
    since = await sim.call(sim.state.now)
    await client.login(sim.token)
    task = asyncio.get_running_loop().create_task(client.connect())
    await sim.wait_until_bot_ready(since=since, shard_count=shard_count, timeout=10)
    await asyncio.wait_for(client.wait_until_ready(), 5)
    return task


@pytest.fixture
async def client(pointed_at_sim: DiscordSimulator) -> AsyncIterator[MiniClient]:
    """A connected MiniClient with commands synced to guild alpha."""
    sim = pointed_at_sim
    mini = MiniClient(guild_ids=[sim.guild("alpha").id])
    task = await run_client(mini, sim)
    yield mini
    await mini.close()
    await asyncio.wait_for(task, 5)


async def test_login_connect_with_zlib_stream_and_sync(sim: DiscordSimulator, client: MiniClient) -> None:
    """Login calls /users/@me and /oauth2/applications/@me; the gateway uses zlib-stream; commands sync."""
    routes = [r.route for r in sim.requests]
    assert "GET /users/@me" in routes and "GET /oauth2/applications/@me" in routes
    assert "PUT /applications/{application_id}/guilds/{guild_id}/commands" in routes
    opened = [e for e in sim.gateway_events if e.direction == "open"]
    # discord.py uses zstd-stream when zstandard is installed, zlib-stream otherwise
    transport = "zstd-stream" if importlib.util.find_spec("zstandard") else "zlib-stream"
    assert f"compress={transport}" in opened[0].detail and "v=10" in opened[0].detail
    names = [c["name"] for c in await sim.commands("alpha")]
    assert names == ["position", "slow", "pager", "note"]
    assert client.user is not None and client.user.id == sim.bot_user.id
    assert client.get_guild(sim.guild("alpha").id) is not None


async def test_slash_command_autocomplete_defer_button_modal(
    sim: DiscordSimulator, client: MiniClient
) -> None:
    """The client answers a command, autocomplete, a deferred command, a button and a modal."""
    handle = await sim.invoke_command("alpha", "member", "position", {"actor": "russia"})
    response = await handle.response()
    assert response.type_name == "CHANNEL_MESSAGE_WITH_SOURCE" and response.ephemeral
    assert response.message is not None and response.message.embed()["title"] == "Russia"
    choices = await sim.autocomplete("alpha", "member", "position", {"actor": "r"}, focused="actor")
    assert [c["value"] for c in choices] == ["russia", "rwanda", "romania"]

    slow = await sim.invoke_command("alpha", "member", "slow")
    assert (await slow.response()).deferred
    assert (await slow.original()).content == "finally"

    pager = await sim.invoke_command("alpha", "member", "pager")
    page = (await pager.response()).message
    assert page is not None and not page.would_ping
    click = await sim.click(page, "pager:2", "admin")
    assert (await click.response()).type_name == "UPDATE_MESSAGE"
    updated = await click.original()
    assert updated.id == page.id and updated.content == "page 2" and updated.components == ()

    note = await sim.invoke_command("alpha", "curator", "note")
    modal = await note.modal()
    assert modal["title"] == "Add a note"
    submitted = await sim.submit_modal(note, "note-modal", {"note-text": "watch the border"})
    answer = (await submitted.response()).message
    assert answer is not None and answer.content == "noted: watch the border"


async def test_drop_reconnect_and_invalid_session_recovery(sim: DiscordSimulator, client: MiniClient) -> None:
    """Dropped socket → RESUME; op 7 → RESUME; op 9 true → RESUME; op 9 false → new IDENTIFY. Commands keep working."""

    async def still_works() -> None:
        handle = await sim.invoke_command("alpha", "member", "position", {"actor": "ukraine"})
        assert (await handle.response()).message is not None

    first = (await sim.sessions())[-1].session_id
    for fault in ("drop", "reconnect", "invalid-resumable"):
        mark = sim.gateway_mark()
        if fault == "drop":
            await sim.drop_connection()
        elif fault == "reconnect":
            await sim.send_reconnect()
        else:
            await sim.send_invalid_session(True)
        await sim.wait_for_dispatch("RESUMED", since=mark)
        await still_works()
    sessions = {s.session_id: s for s in await sim.sessions()}
    assert sessions[first].resumes == 3
    mark = sim.gateway_mark()
    await sim.send_invalid_session(False)
    ready = await sim.wait_for_dispatch("READY", since=mark)
    assert ready.session_id != first
    await still_works()


async def test_client_waits_and_retries_on_429(sim: DiscordSimulator, client: MiniClient) -> None:
    """discord.py honours retry_after: the send succeeds after the injected 429."""
    channel = client.get_partial_messageable(sim.guild("alpha").briefings.id)
    sim.rate_limit("POST /channels/{channel_id}/messages", count=1, retry_after=0.3)
    started = time.monotonic()
    await channel.send("@everyone the digest", nonce="d-1")
    assert time.monotonic() - started >= 0.3
    sends = sim.requests_to("POST /channels/{channel_id}/messages")
    assert [r.status for r in sends] == [429, 200]
    assert sends[-1].json["enforce_nonce"] is True
    posted = await sim.wait_for_channel_message(sim.guild("alpha").briefings)
    assert posted.content == "@everyone the digest" and posted.pings == ()


async def test_bad_token_login_fails(sim: DiscordSimulator, pointed_at_sim: DiscordSimulator) -> None:
    """A wrong token gets 401 from /users/@me and discord.py raises LoginFailure."""
    sim.expect_violation(0, status=401)
    bad = discord.Client(intents=discord.Intents.default())
    with pytest.raises(discord.LoginFailure):
        await bad.login(sim.token + "nope")
    await bad.close()


async def test_sharded_client_gets_each_guild_on_its_shard(
    sim: DiscordSimulator, pointed_at_sim: DiscordSimulator
) -> None:
    """With two shards, alpha arrives on shard 0 and beta on shard 1; interactions follow the guild's shard."""
    sharded = MiniShardedClient(intents=discord.Intents.default(), shard_count=2, guild_ready_timeout=0.05)
    task = await run_client(sharded, sim, shard_count=2)
    try:
        live = [s for s in await sim.sessions() if s.connected]
        by_shard = {s.shard: s.guilds_sent for s in live}
        assert by_shard[(0, 2)] == {sim.guild("alpha").id}
        assert by_shard[(1, 2)] == {sim.guild("beta").id}
        assert {g.shard_id for g in sharded.guilds} == {0, 1}
    finally:
        await sharded.close()
        await asyncio.wait_for(task, 5)
