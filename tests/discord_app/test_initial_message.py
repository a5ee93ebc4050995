"""The responses of bot.discord_app.internals sent without `?with_response`: a real discord.py
client answers through the local simulator without asking for the message back, the interaction
then counts as answered, and what cannot be sent that way is refused before anything is sent."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator

import discord
import pytest
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket

from bot.discord_app import internals
from bot.discord_app.replies import NO_PINGS, say
from tests.discord_sim import DiscordSimulator
from tests.e2e.helpers import callbacks

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


class _Menu(discord.ui.DynamicItem[discord.ui.Select[discord.ui.View]], template=r"menu:(?P<n>\d+)"):
    """A stateless menu, as the bot's answers carry."""

    def __init__(self, n: int) -> None:
        super().__init__(
            discord.ui.Select(custom_id=f"menu:{n}", options=[discord.SelectOption(label="one")])
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[discord.ui.View], match: object, /
    ) -> _Menu:
        return cls(0)


class _Client(discord.Client):
    """Three commands answered through send_initial_message."""

    def __init__(self, guild_id: int) -> None:
        super().__init__(
            intents=discord.Intents(guilds=True), allowed_mentions=discord.AllowedMentions.none()
        )
        self.tree = app_commands.CommandTree(self)
        self.guild_id = guild_id
        self.errors: list[BaseException] = []

        @self.tree.command(name="answer", description="An embed and a menu, then a private note")
        async def answer(interaction: discord.Interaction) -> None:
            view = discord.ui.View(timeout=None)
            view.add_item(_Menu(1))
            view.stop()
            embed = discord.Embed(title="Russia", description="@everyone stands here")
            await internals.send_initial_message(
                interaction, embeds=[embed], view=view, allowed_mentions=NO_PINGS
            )
            await say(interaction, "and a note")  # answered already: a follow-up, not a second response

        @self.tree.command(name="picture", description="An embed with an attachment")
        async def picture(interaction: discord.Interaction) -> None:
            embed = discord.Embed(title="Chart").set_image(url="attachment://chart.png")
            chart = discord.File(io.BytesIO(PNG), filename="chart.png")
            await internals.send_initial_message(
                interaction, embeds=[embed], files=[chart], ephemeral=True, allowed_mentions=NO_PINGS
            )

        @self.tree.command(name="live", description="A view that is still running")
        async def live(interaction: discord.Interaction) -> None:
            try:  # a command is not a click: it has no message to update
                await internals.update_message(interaction, embeds=[], view=None, attachments=[])
            except ValueError as exc:
                self.errors.append(exc)
            try:
                await internals.send_initial_message(
                    interaction, embeds=[], view=discord.ui.View(), allowed_mentions=NO_PINGS
                )
            except ValueError as exc:
                self.errors.append(exc)
                await interaction.response.send_message("refused", ephemeral=True)

    async def setup_hook(self) -> None:
        """Sync the commands to the test guild."""
        guild = discord.Object(self.guild_id)
        self.tree.copy_global_to(guild=guild)
        await self.tree.sync(guild=guild)

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """No pause before identifying."""


@pytest.fixture
async def client(sim: DiscordSimulator, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[_Client]:
    """A connected _Client, pointed at the simulator."""
    monkeypatch.setattr(discord.http.Route, "BASE", sim.api_base)
    monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(sim.gateway_url))
    mini = _Client(sim.guild("alpha").id)
    since = await sim.call(sim.state.now)
    await mini.login(sim.token)
    task = asyncio.get_running_loop().create_task(mini.connect())
    await sim.wait_until_bot_ready(since=since, shard_count=1, timeout=10)
    await asyncio.wait_for(mini.wait_until_ready(), 5)
    yield mini
    await mini.close()
    await asyncio.wait_for(task, 5)


async def test_the_answer_is_one_callback_without_the_message_sent_back(
    sim: DiscordSimulator, client: _Client
) -> None:
    """Members see the embed and its menu, pinging nobody; the callback asks for no copy of the
    message (204), and a private note after it arrives as a follow-up."""
    handle = await sim.invoke_command("alpha", "member", "answer")
    response = await handle.response()
    assert response.type_name == "CHANNEL_MESSAGE_WITH_SOURCE" and not response.ephemeral
    message = response.message
    assert message is not None and message.embed()["title"] == "Russia"
    assert [c["custom_id"] for row in message.components for c in row["components"]] == ["menu:1"]
    assert not message.would_ping
    note = await handle.followup(0)
    assert note.content == "and a note" and note.ephemeral
    assert callbacks(sim, handle) == [({}, 204)]


async def test_an_attachment_goes_with_the_answer(sim: DiscordSimulator, client: _Client) -> None:
    """Files are sent as a multipart callback; the embed refers to the attachment."""
    handle = await sim.invoke_command("alpha", "member", "picture")
    message = (await handle.response()).message
    assert message is not None and message.ephemeral
    (attachment,) = message.attachments
    assert attachment.filename == "chart.png" and attachment.data == PNG
    assert message.embed()["image"]["url"] == "attachment://chart.png"
    assert callbacks(sim, handle) == [({}, 204)]


async def test_a_running_view_is_refused_before_anything_is_sent(
    sim: DiscordSimulator, client: _Client
) -> None:
    """No message id comes back to store a running view under, so one is refused, unsent; so is
    updating the message of an interaction that is not a click."""
    handle = await sim.invoke_command("alpha", "member", "live")
    message = (await handle.response()).message
    assert message is not None and message.content == "refused"
    assert [str(e) for e in client.errors] == [
        "update_message answers component clicks only",
        "responses without the message sent back carry stopped views only",
    ]
    assert callbacks(sim, handle) == [({"with_response": "1"}, 200)]  # only discord.py's "refused"
