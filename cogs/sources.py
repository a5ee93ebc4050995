"""Watched sources and the review queue: /admin source-* , /admin review, review-channel, "Add to briefing".

The commands join the existing /admin group (cogs.admin must load first), so its curator gate
(bot.discord_app.gate) decides who may run them; every button press and modal submit asks the gate
again. The store enforces scope.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any, Literal

import discord
from discord import app_commands

from bot.discord_app.app import briefing_client
from bot.discord_app.gate import CuratorGroup, curator_only, gate, gate_rule, writer_of
from bot.discord_app.replies import say
from bot.discord_app.saving import writing
from bot.discord_app.tree import handle_interaction_error, observed
from bot.errors import InvalidInput
from bot.render.sources import draft_embed, source_list_embed
from bot.sources.fetch import FetchError, fetch
from bot.sources.guard import Refused as UrlRefused
from bot.sources.identity import canonical_link
from bot.sources.match import split_keywords, suggest_actors, suggest_topic
from bot.sources.page import page_info
from bot.sources.poller import suggestion_hints
from bot.sources.types import Draft
from bot.store.curation import Writer
from bot.store.sources import day_string

if TYPE_CHECKING:
    from bot.discord_app.app import BriefingApp

log = logging.getLogger(__name__)
NONE = discord.AllowedMentions.none()
Scope = Literal["server", "global"]
LINK = re.compile(r"https?://[^\s<>()\[\]]+", re.IGNORECASE)


def _split(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").split(",") if p.strip()]


LABELS = {"acc": "Accept", "edit": "Edit", "pos": "As position", "rej": "Reject", "skip": "Skip"}
STYLES = {
    "acc": discord.ButtonStyle.success,
    "edit": discord.ButtonStyle.primary,
    "pos": discord.ButtonStyle.secondary,
    "rej": discord.ButtonStyle.danger,
    "skip": discord.ButtonStyle.secondary,
}


# --- the review queue's buttons (restart-proof: everything is in the custom_id) ----------------


class ReviewButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"rv:(?P<act>acc|edit|pos|rej|skip):(?P<draft>\d{1,12}):(?P<source>\d{0,12})",
):
    """Accept, Edit, As position, Reject or Skip one draft; the next draft follows."""

    def __init__(self, act: str, draft_id: int, source_id: int | None) -> None:
        super().__init__(
            discord.ui.Button(
                label=LABELS[act],
                style=STYLES[act],
                custom_id=f"rv:{act}:{draft_id}:{source_id or ''}",
            )
        )
        self.act, self.draft_id, self.source_id = act, draft_id, source_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ReviewButton:
        return cls(match["act"], int(match["draft"]), int(match["source"]) if match["source"] else None)

    async def callback(self, interaction: discord.Interaction) -> None:
        with observed(interaction):
            try:
                await self._press(interaction)
            except Exception as exc:  # every failure gets a reply; see bot.discord_app.tree
                await handle_interaction_error(interaction, exc)

    async def _press(self, interaction: discord.Interaction) -> None:
        writer = await gate(interaction)
        sources = briefing_client(interaction).store.sources
        if self.act == "skip":
            await show_next(interaction, writer, self.source_id, after_id=self.draft_id, note="Skipped")
            return
        if self.act in ("edit", "pos"):
            draft = await sources.get_draft(writer, self.draft_id)
            await interaction.response.send_modal(
                DraftModal(draft, self.source_id, as_position=self.act == "pos")
            )
            return
        await interaction.response.defer()
        async with writing(interaction):
            if self.act == "acc":
                entry_id = await sources.accept_draft(writer, self.draft_id)
                briefing_client(interaction).sources_poller.stats.accepted += 1
                note = f"Accepted draft {self.draft_id} as {entry_id}"
            else:
                await sources.reject_draft(writer, self.draft_id)
                briefing_client(interaction).sources_poller.stats.rejected += 1
                note = f"Rejected draft {self.draft_id}"
            await show_next(interaction, writer, self.source_id, note=note)


def review_view(draft_id: int, source_id: int | None) -> discord.ui.View:
    """The five buttons of one draft."""
    view = discord.ui.View(timeout=None)
    for act in ("acc", "edit", "pos", "rej", "skip"):
        view.add_item(ReviewButton(act, draft_id, source_id))
    return view


async def show_next(
    interaction: discord.Interaction,
    writer: Writer,
    source_id: int | None,
    *,
    after_id: int = 0,
    note: str = "",
    new_message: bool = False,
) -> None:
    """Show the oldest waiting draft (after `after_id`) in place of the current one."""
    draft, waiting = await briefing_client(interaction).store.sources.next_draft(
        writer, source_id=source_id, after_id=after_id
    )
    if draft is None and after_id:  # skipped past the end: start again from the oldest
        draft, waiting = await briefing_client(interaction).store.sources.next_draft(
            writer, source_id=source_id
        )
        if draft is not None and draft.id == after_id:
            draft = None
    kwargs: dict[str, Any]
    if draft is None:
        text = (note + ". " if note else "") + "No drafts are waiting."
        kwargs = {"content": text, "embed": None, "view": None}
    else:
        kwargs = {
            "content": None,
            "embed": draft_embed(draft, waiting, note),
            "view": review_view(draft.id, source_id),
        }
    if new_message:
        if draft is None:
            await interaction.response.send_message(kwargs["content"], ephemeral=True, allowed_mentions=NONE)
        else:
            await interaction.response.send_message(
                embed=kwargs["embed"], view=kwargs["view"], ephemeral=True, allowed_mentions=NONE
            )
    elif interaction.response.is_done():
        await interaction.edit_original_response(**kwargs, allowed_mentions=NONE)
    else:
        await interaction.response.edit_message(**kwargs, allowed_mentions=NONE)


class DraftModal(discord.ui.Modal):
    """The draft's text, prefilled; saving accepts it (as an event, or a position statement)."""

    def __init__(self, draft: Draft, source_id: int | None, *, as_position: bool) -> None:
        title = f"{'Position from' if as_position else 'Edit'} draft {draft.id}"
        super().__init__(title=title[:45], timeout=900)
        self.draft_id, self.source_id, self.as_position = draft.id, source_id, as_position
        first = (
            (
                "stance",
                "Stance: supports, opposes, conditional…",
                "",
                12,
                discord.TextStyle.short,
            )
            if as_position
            else ("title", "Title", draft.title, 200, discord.TextStyle.short)
        )
        specs = [
            first,
            ("date", "Date: YYYY, YYYY-MM or YYYY-MM-DD", draft.date, 10, discord.TextStyle.short),
            ("summary", "Summary", draft.summary or draft.title, 1000, discord.TextStyle.paragraph),
            ("topic", "Topic (slug or title)", draft.topic, 100, discord.TextStyle.short),
            (
                "actors",
                "Actor (one)" if as_position else "Actors (comma-separated)",
                ", ".join(draft.actors[:1] if as_position else draft.actors),
                400,
                discord.TextStyle.short,
            ),
        ]
        self.inputs: dict[str, discord.ui.TextInput[DraftModal]] = {}
        for key, label, value, max_length, style in specs:
            field: discord.ui.TextInput[DraftModal] = discord.ui.TextInput(
                label=label[:45],
                style=style,
                default=(value or "")[:max_length] or None,
                required=key in ("title", "date", "summary", "topic", "stance"),
                max_length=max_length,
                custom_id=key,
            )
            self.inputs[key] = field
            self.add_item(field)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        with observed(interaction):
            writer = await gate(interaction)
            values = {k: f.value for k, f in self.inputs.items()}
            stance = values.pop("stance", "").strip().lower()
            await interaction.response.defer()
            async with writing(interaction):
                entry_id = await briefing_client(interaction).store.sources.accept_draft(
                    writer, self.draft_id, values, as_position=self.as_position, stance=stance
                )
                briefing_client(interaction).sources_poller.stats.accepted += 1
                await show_next(
                    interaction, writer, self.source_id, note=f"Accepted draft {self.draft_id} as {entry_id}"
                )

    # discord.py's Modal.on_error takes (interaction, error), unlike BaseView.on_error, which mypy
    # compares it with: this is Modal's own signature, the one Modal calls.
    async def on_error(self, interaction: discord.Interaction, error: Exception, /) -> None:  # type: ignore[override]
        await handle_interaction_error(interaction, error)


# --- /admin source-* , review, review-channel -------------------------------------------------


@app_commands.command(
    name="source-add", description="Watch an RSS, Atom or JSON feed; new items become drafts"
)
@app_commands.describe(
    url="The feed's URL (http or https)",
    topic="Default topic for its drafts",
    actors="Default actors, comma-separated",
    label="A short name for the source (default: its host)",
    include="Only items with one of these keywords (comma-separated, whole words)",
    exclude="Never items with one of these keywords (comma-separated, whole words)",
    scope="server (default) or global (bot owners only)",
)
async def source_add(
    interaction: discord.Interaction,
    url: app_commands.Range[str, 1, 500],
    topic: app_commands.Range[str, 0, 100] | None = None,
    actors: app_commands.Range[str, 0, 400] | None = None,
    label: app_commands.Range[str, 0, 100] | None = None,
    include: app_commands.Range[str, 0, 400] | None = None,
    exclude: app_commands.Range[str, 0, 400] | None = None,
    scope: Scope = "server",
) -> None:
    writer = writer_of(interaction)
    bot = briefing_client(interaction)
    info = await bot.store.sources.add_source(
        writer,
        url=url,
        allow=bot.sources_poller.settings.allow,
        label=label or "",
        topic=topic or "",
        actors=_split(actors),
        include=split_keywords(include),
        exclude=split_keywords(exclude),
        global_scope=scope == "global",
        hold=True,  # the background poller leaves it to the fetch below
    )
    await interaction.response.defer(ephemeral=True, thinking=True)
    results = await bot.sources_poller.poll_once(only=info.id)
    first = results[0] if results else None
    if first is None or first.error:
        await bot.store.sources.remove_source(writer, info.id)
        why = first.error if first else "another process is fetching it; try again"
        await interaction.followup.send(
            f"Refused {discord.utils.escape_markdown(url)}: {discord.utils.escape_markdown(why)}",
            ephemeral=True,
            allowed_mentions=NONE,
        )
        return
    title = discord.utils.escape_markdown(first.feed_title or "(untitled feed)")
    await interaction.followup.send(
        f"Watching source {info.id} **{discord.utils.escape_markdown(info.label)}**: «{title}», "
        f"{first.items} item(s), {first.new_drafts} new draft(s). `/admin review` shows them.",
        ephemeral=True,
        allowed_mentions=NONE,
    )


@app_commands.command(
    name="source-list", description="Every watched source: last fetch, drafts waiting, errors"
)
async def source_list(interaction: discord.Interaction) -> None:
    writer = writer_of(interaction)
    sources = await briefing_client(interaction).store.sources.list_sources(writer)
    await interaction.response.send_message(
        embed=source_list_embed(sources), ephemeral=True, allowed_mentions=NONE
    )


@gate_rule(defer="write")
@app_commands.command(name="source-remove", description="Stop watching a source (its drafts stay)")
@app_commands.describe(id="The source number from /admin source-list")
async def source_remove(interaction: discord.Interaction, id: app_commands.Range[int, 1, 2**31 - 1]) -> None:
    async with writing(interaction):
        writer = writer_of(interaction)
        info = await briefing_client(interaction).store.sources.remove_source(writer, id)
        await say(
            interaction, f"Stopped watching source {info.id} ({discord.utils.escape_markdown(info.label)})."
        )


@gate_rule(defer="write")
@app_commands.command(name="source-pause", description="Pause a source: no fetches until resumed")
@app_commands.describe(id="The source number from /admin source-list")
async def source_pause(interaction: discord.Interaction, id: app_commands.Range[int, 1, 2**31 - 1]) -> None:
    await _set_active(interaction, id, False, "Paused source {id}.")


@gate_rule(defer="write")
@app_commands.command(name="source-resume", description="Resume a paused source (fetched at once)")
@app_commands.describe(id="The source number from /admin source-list")
async def source_resume(interaction: discord.Interaction, id: app_commands.Range[int, 1, 2**31 - 1]) -> None:
    await _set_active(interaction, id, True, "Resumed source {id}; it is fetched within a minute.")


async def _set_active(interaction: discord.Interaction, source_id: int, active: bool, done: str) -> None:
    """Pause or resume a source; `done` (with `{id}`) says so."""
    async with writing(interaction):
        writer = writer_of(interaction)
        info = await briefing_client(interaction).store.sources.set_active(writer, source_id, active=active)
        await say(interaction, done.format(id=info.id))


@app_commands.command(name="review", description="The oldest waiting draft, with Accept, Edit, Reject, Skip")
@app_commands.describe(source="Only drafts from this source number")
async def review(
    interaction: discord.Interaction, source: app_commands.Range[int, 1, 2**31 - 1] | None = None
) -> None:
    writer = writer_of(interaction)
    await show_next(interaction, writer, source, new_message=True)


@gate_rule(defer="write")
@app_commands.command(
    name="review-channel", description="Post 'N new drafts' notices in this channel (no pings)"
)
@app_commands.describe(channel="Where notices go")
async def review_channel(interaction: discord.Interaction, channel: app_commands.AppCommandChannel) -> None:
    async with writing(interaction):
        writer = writer_of(interaction)
        assert writer.guild_id is not None
        if channel.type not in (discord.ChannelType.text, discord.ChannelType.news):
            raise InvalidInput("channel", "pick a text or announcement channel")
        await briefing_client(interaction).store.sources.set_review_channel(
            writer.guild_id, channel.id, writer.user_id
        )
        await say(
            interaction, f"New drafts will be announced in {channel.mention}, at most once per fetch cycle."
        )


# --- "Add to briefing" (message context menu) -------------------------------------------------


def first_link(message: discord.Message) -> str | None:
    """The first http(s) link in a message's text, else in its embeds."""
    found = LINK.search(message.content or "")
    if found:
        return found.group(0).rstrip(".,;:!?'\"")
    for embed in message.embeds:
        if embed.url:
            return embed.url
    return None


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
@curator_only()
@app_commands.context_menu(name="Add to briefing")
async def add_to_briefing(interaction: discord.Interaction, message: discord.Message) -> None:
    writer = writer_of(interaction)
    link = first_link(message)
    if link is None:
        await say(interaction, "That message has no link to add.")
        return
    bot = briefing_client(interaction)
    await interaction.response.defer(ephemeral=True, thinking=True)
    try:
        page = await fetch(
            bot.sources_poller.session,
            link,
            bot.sources_poller.settings.allow,
            accept="text/html, application/xhtml+xml;q=0.9, */*;q=0.5",
            want_feed=False,
        )
    except (UrlRefused, FetchError) as exc:
        await interaction.followup.send(
            f"Could not read that page: {discord.utils.escape_markdown(str(exc))}",
            ephemeral=True,
            allowed_mentions=NONE,
        )
        return
    info = page_info(page.body)
    title = info.title or link[:200]
    assert writer.guild_id is not None
    actors, topics = await suggestion_hints(bot.store, writer.guild_id)
    text = f"{title}\n{info.description}"
    draft = await bot.store.sources.add_page_draft(
        writer,
        link=link,
        canonical=canonical_link(link),
        title=title,
        summary=info.description,
        date=day_string(info.published),
        topic=suggest_topic(text, topics) or "",
        actors=suggest_actors(text, actors),
    )
    await interaction.followup.send(
        f"Draft {draft.id} is in the review queue: **{discord.utils.escape_markdown(draft.title)}** ({draft.date}).",
        ephemeral=True,
        allowed_mentions=NONE,
    )


COMMANDS: tuple[app_commands.Command[Any, ..., Any], ...] = (
    source_add,
    source_list,
    source_remove,
    source_pause,
    source_resume,
    review,
    review_channel,
)


async def setup(bot: BriefingApp) -> None:
    """Add the source and review commands to /admin, the buttons, and the context menu."""
    admin = bot.tree.get_command("admin")
    if not isinstance(admin, CuratorGroup):  # its gate is what keeps these commands to curators
        raise RuntimeError("cogs.sources needs cogs.admin loaded first (it adds to /admin)")
    for command in COMMANDS:
        admin.add_command(command)
    bot.tree.add_command(add_to_briefing)
    bot.add_dynamic_items(ReviewButton)


async def teardown(bot: BriefingApp) -> None:
    """Remove what setup added (extension reload)."""
    admin = bot.tree.get_command("admin")
    if isinstance(admin, app_commands.Group):
        for command in COMMANDS:
            admin.remove_command(command.name)
    bot.tree.remove_command(add_to_briefing.name, type=discord.AppCommandType.message)
    bot.remove_dynamic_items(ReviewButton)
