"""Curator tools: /admin … — add, record, edit, remove, restore, history, import, export, curator role.

Every command is in the `/admin` CuratorGroup, so the curator gate (bot.discord_app.gate) decides who
may run it before the handler is called; forms and buttons ask the gate again when used. The store
enforces scope (global entries: owners only; another server's entries: invisible). Replies are ephemeral.
"""

from __future__ import annotations

import asyncio
import io
import logging
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot import render
from bot.dataset import Dataset, dump_dataset, limits, parse_document
from bot.discord_app.gate import Refused, answer_by, curator_group, gate, gate_rule, writer_of
from bot.discord_app.options import ActorOption, EntryIdOption, TopicOption
from bot.discord_app.pending_imports import LIFETIME, PendingImports
from bot.discord_app.replies import say
from bot.discord_app.saving import writing
from bot.discord_app.tree import handle_interaction_error, observed
from bot.domain import GLOBAL_SCOPE
from bot.render.admin import history_pages, import_report_embed
from bot.store.curation import Curation, Writer, target_scope
from bot.store.writes import ImportReport

if TYPE_CHECKING:
    from bot.discord_app.app import BriefingApp

log = logging.getLogger(__name__)

ActorArg = app_commands.Transform[str, ActorOption]
TopicArg = app_commands.Transform[str, TopicOption]
EntryArg = app_commands.Transform[str, EntryIdOption]
Scope = Literal["server", "global"]
CONFIRM_TIMEOUT = 600.0
FORM_READ_SECONDS = 2.5  # reading an entry for the edit form: the modal must be sent within 3 s
NONE = discord.AllowedMentions.none()


def pending_imports(bot: BriefingApp) -> PendingImports:
    """The bot's dry runs awaiting Apply."""
    return bot.pending_imports


def _split_list(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _report_embed(filename: str, report: ImportReport) -> discord.Embed:
    return import_report_embed(
        filename,
        added=report.added,
        changed=report.changed,
        unchanged=report.unchanged,
        problems=[str(p) for p in report.problems],
        applied=report.applied,
    )


STATUS_AND_NOTE = "status_and_note"
"""The position modal's one input for the status (first line) and its note (the lines after)."""


def _status_and_note(current: dict[str, str]) -> str:
    status, note = current.get("status", ""), current.get("status_note", "")
    return f"{status}\n{note}" if note else status


class EditModal(discord.ui.Modal):
    """The entry's current text, prefilled; saving records a revision."""

    def __init__(
        self,
        bot: BriefingApp,
        writer: Writer,
        entry_id: str,
        kind: str,
        current: dict[str, str],
        revision: int,
    ) -> None:
        super().__init__(title=f"Edit {kind} {entry_id}"[:45], timeout=900)
        self.bot, self.writer, self.entry_id, self.current = bot, writer, entry_id, current
        self.revision = revision  # what the editor saw: a save over a newer revision is refused
        if kind == "position":
            # A modal holds five inputs: a position's status and its note share one.
            current = {**current, STATUS_AND_NOTE: _status_and_note(current)}
            self.current = current
        specs = (
            [
                (
                    "gist",
                    "Gist (one sentence: the position itself)",
                    discord.TextStyle.short,
                    limits.MAX_GIST,
                ),
                ("summary", "Summary", discord.TextStyle.paragraph, limits.MAX_SUMMARY),
                ("key_points", "Key points (one per line)", discord.TextStyle.paragraph, 2000),
                ("quote", "Quote", discord.TextStyle.paragraph, limits.MAX_QUOTE),
                (
                    STATUS_AND_NOTE,
                    "Status (verified/reported/disputed), then note",
                    discord.TextStyle.paragraph,
                    11 + limits.MAX_STATUS_NOTE,
                ),
            ]
            if kind == "position"
            else [
                ("title", "Title", discord.TextStyle.short, limits.MAX_EVENT_TITLE),
                ("summary", "Summary", discord.TextStyle.paragraph, limits.MAX_SUMMARY),
                ("date", "Date: YYYY, YYYY-MM or YYYY-MM-DD", discord.TextStyle.short, 10),
                ("status", "Status: verified, reported or disputed", discord.TextStyle.short, 10),
                (
                    "status_note",
                    "Status note (the correction if disputed)",
                    discord.TextStyle.paragraph,
                    limits.MAX_STATUS_NOTE,
                ),
            ]
        )
        self.inputs: dict[str, discord.ui.TextInput[EditModal]] = {}
        for key, label, style, max_length in specs:
            value = current.get(key, "")[:max_length]
            required = key in ("summary", "title", "date", "status", STATUS_AND_NOTE)
            field: discord.ui.TextInput[EditModal] = discord.ui.TextInput(
                label=label[:45],
                style=style,
                default=value or None,
                required=required,
                max_length=max_length,
                custom_id=key,
            )
            self.inputs[key] = field
            self.add_item(field)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        with observed(interaction):
            await self._save(interaction)

    async def _save(self, interaction: discord.Interaction) -> None:
        async with writing(interaction):
            # The role may have been taken away while the form was open: ask again.
            self.writer = await gate(interaction)
            changes = {k: f.value for k, f in self.inputs.items() if f.value != self.current.get(k, "")}
            if STATUS_AND_NOTE in changes:
                status, _, note = changes.pop(STATUS_AND_NOTE).strip().partition("\n")
                for key, value in (("status", status.strip()), ("status_note", note.strip())):
                    if value != self.current.get(key, ""):
                        changes[key] = value
            if not changes:
                await say(interaction, f"Nothing changed in `{self.entry_id}`.")
                return
            changed = await self.bot.store.curation.edit_entry(
                self.writer, self.entry_id, changes, based_on=self.revision
            )
            names = ", ".join(sorted(changes))
            text = (
                f"Saved `{self.entry_id}` ({names}); the revision is in `/admin history`."
                if changed
                else "Nothing changed."
            )
            await say(interaction, text)

    # discord.py's Modal.on_error takes (interaction, error), unlike BaseView.on_error, which mypy
    # compares it with: this is Modal's own signature, the one Modal calls.
    async def on_error(self, interaction: discord.Interaction, error: Exception, /) -> None:  # type: ignore[override]
        await handle_interaction_error(interaction, error)


class ConfirmImport(discord.ui.View):
    """Apply or cancel a dry-run import; only the member who uploaded may answer, while still a curator.

    Held in the bot's PendingImports: it expires after LIFETIME (by the bot's clock) and may be
    pushed out by newer dry runs; after a restart its buttons are answered by bot.discord_app.stale_components.
    """

    def __init__(
        self, bot: BriefingApp, writer: Writer, scope: int, filename: str, dataset: Dataset, size: int
    ) -> None:
        super().__init__(timeout=CONFIRM_TIMEOUT)
        self.bot, self.writer, self.scope, self.filename = bot, writer, scope, filename
        self.dataset: Dataset | None = dataset
        guild = writer.guild_id or 0
        self.pending = pending_imports(bot).add(guild, size, bot.digest_scheduler.clock.now(), self._release)

    def _release(self) -> None:
        self.dataset = None  # the parsed file is the memory a pending import holds
        self.stop()

    async def on_timeout(self) -> None:
        pending_imports(self.bot).drop(self.pending)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.writer.user_id:
            raise Refused("only the member who uploaded this file can confirm it")
        return True

    @discord.ui.button(label="Apply import", style=discord.ButtonStyle.success)
    async def apply(
        self, interaction: discord.Interaction, _button: discord.ui.Button[ConfirmImport]
    ) -> None:
        with observed(interaction):
            if self.pending.expired(self.bot.digest_scheduler.clock.now()) or self.dataset is None:
                pending_imports(self.bot).drop(self.pending)
                await interaction.response.edit_message(
                    content=f"This dry run expired (they last {int(LIFETIME.total_seconds() // 60)} minutes); "
                    "nothing was written. Run `/admin import` again.",
                    embed=None,
                    view=None,
                )
                return
            dataset = self.dataset
            pending_imports(self.bot).drop(self.pending)  # stops the view: a second press writes nothing
            await interaction.response.defer(ephemeral=True, thinking=False)
            await self._apply(interaction, dataset)

    async def _apply(self, interaction: discord.Interaction, dataset: Dataset) -> None:
        async with writing(interaction):
            # The role may be gone since the dry run; asked after the defer, so a slow database
            # still gets its "not saved" reply in time.
            writer = await gate(interaction)
            target_scope(writer, self.scope == GLOBAL_SCOPE)
            report = await self.bot.store.writes.import_dataset(
                dataset,
                guild_id=self.scope,
                user_id=self.writer.user_id,
                reason=f"/admin import {self.filename}",
            )
            self.stop()
            await interaction.edit_original_response(embed=_report_embed(self.filename, report), view=None)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(
        self, interaction: discord.Interaction, _button: discord.ui.Button[ConfirmImport]
    ) -> None:
        with observed(interaction):
            pending_imports(self.bot).drop(self.pending)
            await interaction.response.edit_message(
                content="Import cancelled; nothing was written.", embed=None, view=None
            )

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[ConfirmImport], /
    ) -> None:
        await handle_interaction_error(interaction, error)


class Admin(commands.Cog):
    """Curator commands: the /admin group's gate checks permissions at run time for each of them."""

    admin = curator_group(name="admin", description="Curate this server's briefing store")

    def __init__(self, bot: BriefingApp) -> None:
        self.bot = bot
        super().__init__()

    @property
    def curation(self) -> Curation:
        """The store's curator writes."""
        return self.bot.store.curation

    @gate_rule(defer="write")
    @admin.command(name="actor-add", description="Add an actor (state, organisation, alliance or person)")
    @app_commands.describe(
        slug="Short id: lowercase letters, digits, hyphens (e.g. hungary)",
        name="Display name",
        kind="What sort of actor",
        aliases="Other names, comma-separated (e.g. hu, magyarorszag)",
        scope="server (default) or global (bot owners only)",
    )
    async def actor_add(
        self,
        interaction: discord.Interaction,
        slug: app_commands.Range[str, 1, 32],
        name: app_commands.Range[str, 1, 100],
        kind: Literal["state", "organisation", "alliance", "person"] = "state",
        aliases: app_commands.Range[str, 0, 400] | None = None,
        scope: Scope = "server",
    ) -> None:
        async with writing(interaction):
            writer = writer_of(interaction)
            added = await self.curation.add_actor(
                writer,
                slug=slug,
                name=name,
                kind=kind,
                aliases=_split_list(aliases),
                global_scope=scope == "global",
            )
            await say(interaction, f"Added actor `{added}`.")

    @gate_rule(defer="write")
    @admin.command(name="topic-add", description="Add a topic")
    @app_commands.describe(
        slug="Short id (e.g. sanctions)", title="Display title", summary="One-paragraph summary"
    )
    async def topic_add(
        self,
        interaction: discord.Interaction,
        slug: app_commands.Range[str, 1, 32],
        title: app_commands.Range[str, 1, 100],
        summary: app_commands.Range[str, 0, 1000] | None = None,
        scope: Scope = "server",
    ) -> None:
        async with writing(interaction):
            writer = writer_of(interaction)
            added = await self.curation.add_topic(
                writer, slug=slug, title=title, summary=summary or "", global_scope=scope == "global"
            )
            await say(interaction, f"Added topic `{added}`.")

    @gate_rule(defer="write")
    @admin.command(name="position-set", description="Record an actor's new statement on a topic")
    @app_commands.describe(
        actor="Who",
        topic="On what",
        stance="Where they stand",
        summary="What they said, in your words",
        source_url="Where it is reported (http or https)",
        date="When stated: YYYY, YYYY-MM or YYYY-MM-DD (default: today)",
        quote="A short verbatim quote",
        speaker="Who said it",
        gist="The position itself in one plain sentence (≤120 characters), shown in /brief",
        scope="server (default) or global (bot owners only)",
    )
    async def position_set(
        self,
        interaction: discord.Interaction,
        actor: ActorArg,
        topic: TopicArg,
        stance: Literal["supports", "opposes", "conditional", "ambiguous"],
        summary: app_commands.Range[str, 1, 1000],
        source_url: app_commands.Range[str, 1, 500],
        date: app_commands.Range[str, 4, 10] | None = None,
        quote: app_commands.Range[str, 0, 500] | None = None,
        speaker: app_commands.Range[str, 0, 100] | None = None,
        gist: app_commands.Range[str, 0, 120] | None = None,
        scope: Scope = "server",
    ) -> None:
        async with writing(interaction):
            writer = writer_of(interaction)
            new_id = await self.curation.set_position(
                writer,
                actor=actor,
                topic=topic,
                stance=stance,
                summary=summary,
                source_url=source_url,
                date=date,
                quote=quote or "",
                speaker=speaker or "",
                gist=gist or "",
                global_scope=scope == "global",
            )
            await say(
                interaction,
                f"Recorded `{new_id}`; the previous statement stays in its history (`/entry id:{new_id}`).",
            )

    @gate_rule(defer="write")
    @admin.command(name="event-add", description="Record an event, dated at the precision you know")
    @app_commands.describe(
        topic="Which topic it belongs to",
        date="YYYY, YYYY-MM or YYYY-MM-DD",
        title="What happened, in a line",
        summary="What happened, in a paragraph",
        source_url="Where it is reported (http or https)",
        actors="Actors involved, comma-separated slugs or names",
        scope="server (default) or global (bot owners only)",
    )
    async def event_add(
        self,
        interaction: discord.Interaction,
        topic: TopicArg,
        date: app_commands.Range[str, 4, 10],
        title: app_commands.Range[str, 1, 200],
        summary: app_commands.Range[str, 1, 1000],
        source_url: app_commands.Range[str, 1, 500],
        actors: app_commands.Range[str, 0, 400] | None = None,
        scope: Scope = "server",
    ) -> None:
        async with writing(interaction):
            writer = writer_of(interaction)
            new_id = await self.curation.add_event(
                writer,
                topic=topic,
                date=date,
                title=title,
                summary=summary,
                source_url=source_url,
                actors=_split_list(actors),
                global_scope=scope == "global",
            )
            await say(interaction, f"Recorded event `{new_id}`.")

    @gate_rule(within=FORM_READ_SECONDS)
    @admin.command(name="entry-edit", description="Edit an entry's text in a form; saving records a revision")
    @app_commands.describe(id="The entry id")
    async def entry_edit(self, interaction: discord.Interaction, id: EntryArg) -> None:
        # A modal must be the first response, so this read cannot defer: bound it instead,
        # so an outage is named in time rather than missing Discord's 3 s.
        writer = writer_of(interaction)
        async with asyncio.timeout_at(answer_by(interaction)):  # the gate's read counts too
            kind, current, revision = await self.curation.editable(writer, id)
        await interaction.response.send_modal(
            EditModal(self.bot, writer, id.strip().lower(), kind, current, revision)
        )

    @gate_rule(defer="write")
    @admin.command(name="entry-remove", description="Hide an entry from users (kept in history; restorable)")
    @app_commands.describe(id="The entry id", reason="Why (kept in the audit log)")
    async def entry_remove(
        self,
        interaction: discord.Interaction,
        id: EntryArg,
        reason: app_commands.Range[str, 0, 500] | None = None,
    ) -> None:
        async with writing(interaction):
            writer = writer_of(interaction)
            await self.curation.set_removed(writer, id, removed=True, reason=reason or "")
            await say(interaction, f"Removed `{id.strip().lower()}`; `/admin entry-restore` brings it back.")

    @gate_rule(defer="write")
    @admin.command(name="entry-restore", description="Show a removed entry again")
    @app_commands.describe(id="The entry id")
    async def entry_restore(
        self, interaction: discord.Interaction, id: app_commands.Range[str, 1, 64]
    ) -> None:
        async with writing(interaction):
            writer = writer_of(interaction)
            await self.curation.set_removed(writer, id, removed=False)
            await say(interaction, f"Restored `{id.strip().lower()}`.")

    @admin.command(name="history", description="Every revision of an entry: who, when, what changed, why")
    @app_commands.describe(id="The entry id", page="Which page, when there are many revisions (default 1)")
    async def history(
        self,
        interaction: discord.Interaction,
        id: app_commands.Range[str, 1, 64],
        page: app_commands.Range[int, 1, 1000] = 1,
    ) -> None:
        writer = writer_of(interaction)
        revisions = await self.curation.history(writer, id)
        pages = history_pages(id.strip().lower(), revisions)
        shown = pages[min(page, len(pages)) - 1]
        await interaction.response.send_message(embed=shown, ephemeral=True, allowed_mentions=NONE)

    @gate_rule(defer="read")  # the dry run reads the whole file first
    @admin.command(name="import", description="Import a YAML or JSON file: a dry run first, then confirm")
    @app_commands.describe(
        file="A data file in the data/ schema", scope="server (default) or global (bot owners only)"
    )
    async def import_(
        self, interaction: discord.Interaction, file: discord.Attachment, scope: Scope = "server"
    ) -> None:
        writer = writer_of(interaction)  # the gate deferred before any database read
        target = target_scope(writer, scope == "global")
        if file.size > limits.MAX_DOCUMENT_BYTES:
            await say(
                interaction,
                f"`{render.escape(file.filename)[:100]}` is too large: the limit is {limits.MAX_DOCUMENT_BYTES // 1024} KiB.",
            )
            return
        data = await file.read()
        dataset, problems = await asyncio.to_thread(parse_document, data, file.filename)  # big YAML is slow
        if problems:
            report = ImportReport(problems=problems)
        else:
            report = await self.bot.store.writes.import_dataset(
                dataset, guild_id=target, user_id=writer.user_id, dry_run=True
            )
        embed = _report_embed(file.filename, report)
        if report.problems or not (report.added or report.changed):
            await interaction.edit_original_response(embed=embed, allowed_mentions=NONE)
            return
        view = ConfirmImport(self.bot, writer, target, file.filename, dataset, len(data))
        await interaction.edit_original_response(embed=embed, view=view, allowed_mentions=NONE)

    @admin.command(name="export", description="This server's entries as a file that /admin import accepts")
    @app_commands.describe(include_global="Also include the global dataset")
    async def export(self, interaction: discord.Interaction, include_global: bool = False) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        guild_id = interaction.guild_id or 0
        dataset = await self.bot.store.reads.export(guild_id, include_global=include_global)
        text = dump_dataset(dataset)
        name = f"briefing-export-{guild_id}{'-with-global' if include_global else ''}.yaml"
        counts = f"{len(dataset.actors)} actors, {len(dataset.topics)} topics, {len(dataset.positions)} positions, {len(dataset.events)} events"
        await interaction.edit_original_response(
            content=f"Export: {counts}.",
            attachments=[discord.File(io.BytesIO(text.encode("utf-8")), filename=name)],
            allowed_mentions=NONE,
        )

    @gate_rule(manager=True, defer="write")
    @admin.command(
        name="curator-role", description="Let members with this role curate (besides Manage Server)"
    )
    @app_commands.describe(role="The role whose members may curate")
    async def curator_role(self, interaction: discord.Interaction, role: discord.Role) -> None:
        async with writing(interaction):
            assert interaction.guild_id is not None
            await self.curation.set_curator_role(interaction.guild_id, role.id, interaction.user.id)
            await say(
                interaction,
                f"Members with {role.mention} can now curate. To let them see /admin, also allow the role under "
                "Server Settings → Integrations → this bot.",
            )


async def setup(bot: BriefingApp) -> None:
    """Load the curator commands."""
    await bot.add_cog(Admin(bot))
