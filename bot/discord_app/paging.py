"""Stateless page buttons and "Open an entry…" menus: the view, its arguments and the target page
live in the custom_id (a menu's chosen entry in the click's values), so both keep working after a
restart. The asking server comes from the click itself, never from the custom_id or the values,
so a crafted click cannot reach another server's entries."""

from __future__ import annotations

import logging
import re
import time
from typing import Any

import discord

from bot import render
from bot.discord_app.answers import REQUIRED_ARGS, VIEWS, Answer
from bot.discord_app.app import briefing_client
from bot.discord_app.tree import handle_interaction_error, observe
from bot.domain import ENTRY_ID_RE

log = logging.getLogger(__name__)

CUSTOM_ID_MAX = 100
NO_SUCH_PAGE = "No such page."
PAGE_PREFIX = "pg:"
_ARG_RE = re.compile(r"^[a-z0-9-]*$")


def encode(view: str, page: int, args: tuple[str, ...]) -> str:
    """The custom_id of a button that shows `page` of `view` with `args`."""
    return f"{PAGE_PREFIX}{view}:{page}:{'|'.join(args)}"


def well_formed(view: str, args: tuple[str, ...]) -> bool:
    """A known view with its required args present and every arg of the allowed characters."""
    required = REQUIRED_ARGS.get(view)
    if required is None or len(args) < required or not all(args[:required]):
        return False
    return all(_ARG_RE.match(a) for a in args)


class PageButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"pg:(?P<view>[a-z]{2}):(?P<page>\d{1,4}):(?P<args>[a-z0-9|-]*)",
):
    """A previous/next button that re-runs its view at another page."""

    def __init__(self, view: str, page: int, args: tuple[str, ...], *, label: str, disabled: bool) -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.secondary,
                custom_id=encode(view, page, args),
                disabled=disabled,
            )
        )
        self.view_name = view
        self.page = page
        self.args = args

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> PageButton:
        args = tuple(match["args"].split("|")) if match["args"] else ()
        return cls(match["view"], int(match["page"]), args, label="", disabled=False)

    async def callback(self, interaction: discord.Interaction) -> None:
        builder = VIEWS.get(self.view_name)
        started, error = time.perf_counter(), None
        try:
            if not well_formed(self.view_name, self.args) or builder is None:
                await interaction.response.send_message(NO_SUCH_PAGE, ephemeral=True)
                return
            bot = briefing_client(interaction)
            answer = await builder(bot.store, interaction.guild_id, self.args, self.page)
            await interaction.response.edit_message(
                embeds=answer.embeds(), view=pager(answer), attachments=answer.discord_files()
            )
        except Exception as exc:  # every failure gets a reply; see bot.discord_app.tree
            error = exc
            await handle_interaction_error(interaction, exc)
        finally:
            observe(interaction, started, error)


ENTRY_MENU_ID = "open:entry"
"""The custom_id of every "Open an entry…" menu: the chosen entry id arrives in the click's values."""


class EntryMenu(
    discord.ui.DynamicItem[discord.ui.Select[Any]],
    template=r"open:entry",
):
    """A list's "Open an entry…" menu: shows /entry for the chosen item, privately."""

    def __init__(self, choices: tuple[render.Choice, ...] = ()) -> None:
        options = [discord.SelectOption(label=label, value=entry_id) for entry_id, label in choices]
        super().__init__(
            discord.ui.Select(
                custom_id=ENTRY_MENU_ID,
                placeholder=render.MENU_PLACEHOLDER,
                options=options or [discord.SelectOption(label="-", value="-")],
                min_values=1,
                max_values=1,
                row=1,
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> EntryMenu:
        return cls()

    async def callback(self, interaction: discord.Interaction) -> None:
        started, error = time.perf_counter(), None
        try:
            data: dict[str, Any] = interaction.data or {}  # type: ignore[assignment]
            values = data.get("values") or []
            chosen = str(values[0]).strip().lower() if values else ""
            if not ENTRY_ID_RE.match(chosen):
                await interaction.response.send_message("This menu is no longer valid.", ephemeral=True)
                return
            bot = briefing_client(interaction)
            answer = await VIEWS["en"](bot.store, interaction.guild_id, (chosen,), 0)
            kwargs: dict[str, Any] = {}
            if (view := pager(answer)) is not None:
                kwargs["view"] = view
            await interaction.response.send_message(
                embeds=answer.embeds(),
                ephemeral=True,
                allowed_mentions=discord.AllowedMentions.none(),
                **kwargs,
            )
        except Exception as exc:  # every failure gets a reply; see bot.discord_app.tree
            error = exc
            await handle_interaction_error(interaction, exc)
        finally:
            observe(interaction, started, error)


def entry_menu_view(choices: tuple[render.Choice, ...]) -> discord.ui.View:
    """A view holding only an "Open an entry…" menu (under a digest)."""
    view = discord.ui.View(timeout=None)
    view.add_item(EntryMenu(choices[: render.MAX_OPTIONS]))
    return view


def pager(answer: Answer) -> discord.ui.View | None:
    """Previous/next buttons for a multi-page answer and an "Open an entry…" menu for a list's
    items; None when there is neither."""
    buttons = answer.page_count > 1 and bool(answer.view)
    if buttons and len(encode(answer.view, 9999, answer.args)) > CUSTOM_ID_MAX:
        log.warning("answer %s too long to page with buttons", answer.view)
        buttons = False
    if not buttons and not answer.entries:
        return None
    view = discord.ui.View(timeout=None)
    if buttons:
        last = answer.page_count - 1
        view.add_item(
            PageButton(
                answer.view,
                max(answer.page - 1, 0),
                answer.args,
                label="◀ Previous",
                disabled=answer.page == 0,
            )
        )
        view.add_item(
            PageButton(
                answer.view,
                min(answer.page + 1, last),
                answer.args,
                label="Next ▶",
                disabled=answer.page >= last,
            )
        )
    if answer.entries:
        view.add_item(EntryMenu(answer.entries))
    return view
