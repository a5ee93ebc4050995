"""Stateless page buttons and "Open an entry…" menus: the query and the target page live in the
custom_id (bot.discord_app.page_ids; a menu's chosen entry in the click's values), so both keep
working after a restart. The asking server comes from the click itself, never from the custom_id or the values,
so a crafted click cannot reach another server's entries."""

from __future__ import annotations

import dataclasses
import logging
import re
from typing import Any

import discord

from bot import render
from bot.discord_app import answers, internals, page_ids
from bot.discord_app.answers import Answer
from bot.discord_app.app import briefing_client
from bot.discord_app.replies import send_answer
from bot.discord_app.tree import answered
from bot.domain import (
    ENTRY_ID_RE,
    BriefQuery,
    CompareQuery,
    EntryQuery,
    MapQuery,
    PagedQuery,
    PositionQuery,
    Query,
    TimelineQuery,
)
from bot.errors import Ambiguous
from bot.render.choices import LABEL_LIMIT

log = logging.getLogger(__name__)

NO_SUCH_PAGE = "No such page."


class PageButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=page_ids.TEMPLATE,
):
    """A previous/next button that shows another page of its query's answer (bot.discord_app.page_ids
    encodes both in the custom_id)."""

    def __init__(self, custom_id: str, *, label: str = "", disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.secondary,
                custom_id=custom_id,
                disabled=disabled,
            )
        )
        self.target = page_ids.decode(custom_id)

    @classmethod
    def to(cls, query: PagedQuery, page: int, *, label: str, disabled: bool) -> PageButton:
        """The button that shows `page` of `query`'s answer."""
        return cls(page_ids.encode(query, page), label=label, disabled=disabled)

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> PageButton:
        return cls(match[0])

    async def callback(self, interaction: discord.Interaction) -> None:
        async with answered(interaction):
            if self.target is None:
                await interaction.response.send_message(NO_SUCH_PAGE, ephemeral=True)
                return
            query, number = self.target
            bot = briefing_client(interaction)
            # The server is the click's own: never one named by the custom_id.
            answer = await answers.answer_for(bot.store, interaction.guild_id, query, number)
            await internals.update_message(
                interaction, embeds=answer.embeds(), view=pager(answer), attachments=answer.discord_files()
            )


ENTRY_MENU_ID = "open:entry"
"""The custom_id of every "Open an entry…" menu: the chosen entry id arrives in the click's values."""


class EntryMenu(
    discord.ui.DynamicItem[discord.ui.Select[Any]],
    template=r"open:entry",
):
    """A list's "Open an entry…" menu: shows /entry for the chosen item, privately."""

    def __init__(self, choices: tuple[render.Choice, ...] = ()) -> None:
        options = [discord.SelectOption(label=label, value=entry_id) for entry_id, label in choices]
        super().__init__(_pick_one(ENTRY_MENU_ID, render.MENU_PLACEHOLDER, options, row=1))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> EntryMenu:
        return cls()

    async def callback(self, interaction: discord.Interaction) -> None:
        async with answered(interaction):
            values = self.item.values  # the click's choice (discord.py refreshes the item from it)
            chosen = str(values[0]).strip().lower() if values else ""
            if not ENTRY_ID_RE.match(chosen):
                await interaction.response.send_message("This menu is no longer valid.", ephemeral=True)
                return
            bot = briefing_client(interaction)
            answer = await answers.entry(bot.store, interaction.guild_id, EntryQuery(chosen))
            await internals.send_initial_message(
                interaction,
                embeds=answer.embeds(),
                view=pager(answer),
                ephemeral=True,
                allowed_mentions=discord.AllowedMentions.none(),
            )


CHOICE_MENU_ID = "open:choice"
"""The custom_id of every "Which one?" menu: each option's value is the page id of an answer."""
CHOICE_PLACEHOLDER = "Open one…"


class ChoiceMenu(
    discord.ui.DynamicItem[discord.ui.Select[Any]],
    template=r"open:choice",
):
    """Under the reply to a name that is a word of several actors' or topics' names: picking one
    answers the command as if it had been given that item (the option's value is that answer's page
    id), in the channel, as the command would have."""

    def __init__(self, options: tuple[tuple[str, str], ...] = ()) -> None:
        choices = [discord.SelectOption(label=label, value=value) for label, value in options]
        super().__init__(_pick_one(CHOICE_MENU_ID, CHOICE_PLACEHOLDER, choices))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ChoiceMenu:
        return cls()

    async def callback(self, interaction: discord.Interaction) -> None:
        async with answered(interaction):
            values = self.item.values
            target = page_ids.decode(str(values[0])) if values else None
            if target is None:
                await interaction.response.send_message("This menu is no longer valid.", ephemeral=True)
                return
            query, page = target
            bot = briefing_client(interaction)
            # The server is the click's own: never one named by the option's value.
            await send_answer(
                interaction, answers.answer_for(bot.store, interaction.guild_id, query, page), query=query
            )


def _pick_one(
    custom_id: str, placeholder: str, options: list[discord.SelectOption], *, row: int | None = None
) -> discord.ui.Select[Any]:
    """A select of exactly one of `options` (a placeholder option when rebuilt from a click, which
    brings its own values)."""
    return discord.ui.Select(
        custom_id=custom_id,
        placeholder=placeholder,
        options=options or [discord.SelectOption(label="-", value="-")],
        min_values=1,
        max_values=1,
        row=row,
    )


def choice_view(asked: Query, error: Ambiguous) -> discord.ui.View | None:
    """A "Which one?" menu of `choice_options`; None when there are none."""
    options = choice_options(asked, error)
    if not options:
        return None
    view = discord.ui.View(timeout=None)
    view.add_item(ChoiceMenu(tuple((label, page_ids.encode(query, 0)) for label, query in options)))
    return _stateless(view)


def choice_options(asked: Query, error: Ambiguous) -> list[tuple[str, page_ids.AskedQuery]]:
    """The options of a "Which one?" menu: each of `error`'s candidates (label, then `asked` with it
    in place of the typed name). Empty when a click cannot ask `asked` again (the digest commands'
    cannot: picking would change a subscription), the name is not one `asked` was given, or no
    candidate's answer fits a custom_id (a /map whose other names are not slugs, say)."""
    options = []
    for slug, name in error.candidates[: render.MAX_OPTIONS]:
        query = _with(asked, error.kind, error.given, slug)
        if query is None:
            return []
        if page_ids.fits(query):
            options.append((render.truncate(f"{name} ({slug})", LABEL_LIMIT), query))
    return options


# The options of each query a menu can ask again that name an actor or a topic. Of /compare's two
# actors, the first given that name is replaced: were both the same word, the answer asks again;
# in /map's lists, the word's first place (it resolves its names in order).
_NAME_OPTIONS: dict[tuple[type[Any], str], tuple[str, ...]] = {
    (PositionQuery, "actor"): ("actor",),
    (PositionQuery, "topic"): ("topic",),
    (TimelineQuery, "actor"): ("actor",),
    (TimelineQuery, "topic"): ("topic",),
    (BriefQuery, "topic"): ("topic",),
    (CompareQuery, "topic"): ("topic",),
    (CompareQuery, "actor"): ("actor_a", "actor_b"),
    (MapQuery, "topic"): ("topics",),
    (MapQuery, "actor"): ("actors",),
}


def _with(asked: Query, kind: str, given: str, slug: str) -> page_ids.AskedQuery | None:
    """`asked` with its option that was `given` (an actor's for `kind` "actor", else its topic)
    replaced by `slug`; None when no such option of a query a menu can ask again was given it."""
    if not isinstance(asked, page_ids.AskedQuery):
        return None
    for option in _NAME_OPTIONS.get((type(asked), kind), ()):
        value = getattr(asked, option)
        if isinstance(value, tuple) and given in value:  # a list of names
            at = value.index(given)
            change: dict[str, Any] = {option: (*value[:at], slug, *value[at + 1 :])}
        elif value == given:
            change = {option: slug}
        else:
            continue
        return dataclasses.replace(asked, **change)
    return None


def pager(answer: Answer) -> discord.ui.View | None:
    """Previous/next buttons for a multi-page answer and an "Open an entry…" menu for a list's
    items; None when there is neither. Built once per answer: a cached answer sent again reuses it."""
    if not answer.view_memo:
        answer.view_memo.append(_build_pager(answer))
    return answer.view_memo[0]


def entry_menu_view(choices: tuple[render.Choice, ...]) -> discord.ui.View:
    """A view holding only an "Open an entry…" menu (under a digest)."""
    view = discord.ui.View(timeout=None)
    view.add_item(EntryMenu(choices[: render.MAX_OPTIONS]))
    return _stateless(view)


def _stateless(view: discord.ui.View) -> discord.ui.View:
    """`view`, stopped before it is sent. Its items are all DynamicItems, which the client
    dispatches by custom_id (`add_dynamic_items` in the cog's setup), so discord.py need not store
    the view per message nor — for an ephemeral reply — start a 15-minute timeout task for it; a
    stopped view is sent as components only, so one instance can be sent any number of times."""
    view.stop()
    return view


def _build_pager(answer: Answer) -> discord.ui.View | None:
    query = answer.query if answer.page_count > 1 else None
    if query is not None and not page_ids.fits(query):
        log.warning("answer %s too long to page with buttons", type(query).__name__)
        query = None
    if query is None and not answer.entries:
        return None
    view = discord.ui.View(timeout=None)
    if query is not None:
        last = answer.page_count - 1
        view.add_item(
            PageButton.to(query, max(answer.page - 1, 0), label="◀ Previous", disabled=answer.page == 0)
        )
        view.add_item(
            PageButton.to(query, min(answer.page + 1, last), label="Next ▶", disabled=answer.page >= last)
        )
    if answer.entries:
        view.add_item(EntryMenu(answer.entries))
    return _stateless(view)
