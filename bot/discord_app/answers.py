"""What each read command answers: store query → rendered page.

Shared by the slash commands, the page buttons (which re-run a view at another page) and the
offline `preview` CLI, so all three show exactly the same thing.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import discord

from bot import render
from bot.domain import FuzzyDate, TimelineQuery
from bot.errors import InvalidInput
from bot.store import Store


@dataclass(frozen=True, slots=True)
class Answer:
    """One page of an answer, and how to fetch its other pages (`view` + `args`).

    `files` are attachments as (filename, bytes) — an embed refers to them as
    `attachment://filename`; bytes, not discord.File, so a cached answer can be sent again.
    `lead` is an embed shown above `embed` (the timeline's chart, above its list).
    `entries` are the (id, label) of the items a list shows, offered in its "Open an entry…" menu
    (the ids are not in the list's text).
    """

    embed: discord.Embed
    page: int = 0
    page_count: int = 1
    view: str = ""
    args: tuple[str, ...] = ()
    files: tuple[tuple[str, bytes], ...] = ()
    lead: discord.Embed | None = None
    entries: tuple[render.Choice, ...] = ()

    def embeds(self) -> list[discord.Embed]:
        """The message's embeds, in display order."""
        return [self.lead, self.embed] if self.lead is not None else [self.embed]

    def discord_files(self) -> list[discord.File]:
        """Fresh discord.File objects for the attachments (each can be sent once)."""
        return [discord.File(io.BytesIO(data), filename=name) for name, data in self.files]


Builder = Callable[[Store, int | None, Sequence[str], int], Awaitable[Answer]]
VIEWS: dict[str, Builder] = {}
#: How many leading args each view needs non-empty (a crafted custom_id may leave them out).
REQUIRED_ARGS: dict[str, int] = {}


Scoping = Callable[[Sequence[str]], tuple[str, tuple[str, ...], str | None]]


def view(name: str, scoping: Scoping, *, required: int = 0) -> Callable[[Builder], Builder]:
    """Register a paged view under a short name (it is part of button custom_ids: keep it stable).

    Its answers are cached until the store changes (`Reads.memo_answer`); `scoping` maps the
    view's args to (kind, actors, topic): what the answer depends on. A page asked for again,
    from any server that sees the same entries, is neither queried nor rendered twice.
    """

    def register(fn: Builder) -> Builder:
        async def cached(
            store: Store, guild_id: int | None, args: Sequence[str] = (), page: int = 0
        ) -> Answer:
            kind, actors, topic = scoping(args)
            return await store.reads.memo_answer(
                guild_id,
                kind,
                (name, tuple(args), page),
                lambda: fn(store, guild_id, args, page),
                actors=actors,
                topic=topic,
            )

        cached.__doc__ = fn.__doc__
        VIEWS[name] = cached
        REQUIRED_ARGS[name] = required
        return cached

    return register


def _arg(args: Sequence[str], i: int) -> str:
    return args[i] if len(args) > i else ""


def _pick(pages: list[discord.Embed], page: int, name: str, args: Sequence[str]) -> Answer:
    page = min(max(page, 0), len(pages) - 1)
    return Answer(pages[page], page, len(pages), name, tuple(args))


def parse_date_option(option: str, text: str | None) -> FuzzyDate | None:
    """A `since`/`until` option as a FuzzyDate; InvalidInput naming the option if malformed."""
    if not text or not text.strip():
        return None
    try:
        return FuzzyDate.parse(text)
    except ValueError as exc:
        raise InvalidInput(option, str(exc)) from None


@view("po", lambda a: ("positions", (_arg(a, 0),), _arg(a, 1) or None), required=1)
async def position(store: Store, guild_id: int | None, args: Sequence[str], page: int = 0) -> Answer:
    """`/position actor [topic]`: args = (actor, topic or "")."""
    actor, topic = args[0], (args[1] if len(args) > 1 else "")
    actor_obj, topic_obj, found = await store.reads.position_page(
        guild_id, actor, topic or None, page, render.POSITIONS_PER_PAGE
    )
    embed = render.positions_embed(actor_obj, found.items, found.total, found.number, topic_obj)
    return Answer(
        embed,
        found.number,
        found.count,
        "po",
        (actor_obj.slug, topic_obj.slug if topic_obj else ""),
        entries=render.entry_choices(found.items),
    )


CHART_ARG = "c"
"""The fifth `/timeline` arg when `chart:true` (short: it is part of the page buttons' custom_id)."""


@view("tl", lambda a: ("events", (_arg(a, 1),), _arg(a, 0) or None), required=1)
async def timeline(store: Store, guild_id: int | None, args: Sequence[str], page: int = 0) -> Answer:
    """`/timeline topic [actor] [since] [until] [chart]`: args = (topic, actor, since, until[, "c"]),
    "" when unset; with the chart, the page's events are drawn above the list."""
    topic, actor, since, until, chart = (*args, "", "", "", "", "")[:5]
    query = TimelineQuery(
        topic=topic,
        actor=actor or None,
        since=parse_date_option("since", since),
        until=parse_date_option("until", until),
    )
    reads = store.reads
    topic_obj = await reads.resolve_topic(guild_id, topic)
    actor_obj = await reads.resolve_actor(guild_id, actor) if actor else None
    result = await reads.timeline(guild_id, query, page, render.TIMELINE_PAGE_SIZE)
    embed = render.timeline_embed(topic_obj, result, actor_obj, query.since, query.until)
    norm_args = (
        topic_obj.slug,
        actor_obj.slug if actor_obj else "",
        query.since.iso() if query.since else "",
        query.until.iso() if query.until else "",
    )
    entries = render.entry_choices(result.items)
    if chart != CHART_ARG:
        return Answer(embed, result.number, result.count, "tl", norm_args, entries=entries)
    norm_args = (*norm_args, CHART_ARG)
    if not result.items:
        return Answer(embed, result.number, result.count, "tl", norm_args, entries=entries)
    png = await asyncio.to_thread(render.timeline_chart_png, result.items)
    return Answer(
        embed,
        result.number,
        result.count,
        "tl",
        norm_args,
        files=((render.CHART_FILENAME, png),),
        lead=render.chart_embed(render.CHART_FILENAME),
        entries=entries,
    )


@view("en", lambda a: ("own", (), None), required=1)
async def entry(store: Store, guild_id: int | None, args: Sequence[str], page: int = 0) -> Answer:
    """`/entry id`: args = (id,)."""
    detail = await store.reads.entry(guild_id, args[0])
    return _pick(render.entry_pages(detail), page, "en", (detail.entry.id,))


@view("ac", lambda a: ("any", (), None))
async def actors(store: Store, guild_id: int | None, args: Sequence[str] = (), page: int = 0) -> Answer:
    """`/actors`."""
    return _pick(render.actors_pages(await store.reads.actors(guild_id)), page, "ac", ())


@view("to", lambda a: ("any", (), None))
async def topics(store: Store, guild_id: int | None, args: Sequence[str] = (), page: int = 0) -> Answer:
    """`/topics`."""
    return _pick(render.topics_pages(await store.reads.topics(guild_id)), page, "to", ())


async def brief(store: Store, guild_id: int | None, topic: str) -> Answer:
    """`/brief topic`."""

    async def build() -> Answer:
        briefing = await store.reads.briefing(guild_id, topic)
        entries = render.entry_choices([*briefing.positions, *briefing.latest_events])
        return Answer(render.brief_embed(briefing), entries=entries)

    return await store.reads.memo_answer(guild_id, "briefing", ("brief",), build, topic=topic)


async def compare(store: Store, guild_id: int | None, topic: str, actor_a: str, actor_b: str) -> Answer:
    """`/compare topic actor_a actor_b`."""

    async def build() -> Answer:
        topic_obj, (a, pa), (b, pb) = await store.reads.compare(guild_id, topic, actor_a, actor_b)
        shown = [p for p in (pa, pb) if p is not None]
        return Answer(render.compare_embed(topic_obj, a, pa, b, pb), entries=render.entry_choices(shown))

    return await store.reads.memo_answer(
        guild_id, "compare", ("compare",), build, actors=(actor_a, actor_b), topic=topic
    )


async def search(store: Store, guild_id: int | None, query: str) -> Answer:
    """`/search query`."""

    async def build() -> Answer:
        hits = await store.reads.search(guild_id, query)
        shown = hits[: render.MAX_HITS_SHOWN]
        return Answer(render.search_embed(query, hits), entries=render.entry_choices(shown))

    return await store.reads.memo_answer(guild_id, "any", ("search", query), build)


def split_names(text: str | None) -> tuple[str, ...]:
    """A comma-separated option (`russia, nato`) as its non-empty names, in order."""
    return tuple(n.strip() for n in (text or "").split(",") if n.strip())


async def stance_map(store: Store, guild_id: int | None, actors: str = "", topics: str = "") -> Answer:
    """`/map [topics] [actors]`: the stance map picture with the grid as text.

    Both options name several actors/topics, comma-separated; unset, the server's most-covered
    ones. The picture is drawn in a worker thread, once per store version and options.
    """
    actor_names, topic_names = split_names(actors), split_names(topics)
    if len(actor_names) > render.MAP_MAX_ACTORS:
        raise InvalidInput("actors", f"name at most {render.MAP_MAX_ACTORS} actors, not {len(actor_names)}")
    if len(topic_names) > render.MAP_MAX_TOPICS:
        raise InvalidInput("topics", f"name at most {render.MAP_MAX_TOPICS} topics, not {len(topic_names)}")
    reads = store.reads
    slugs_a = tuple(dict.fromkeys([(await reads.resolve_actor(guild_id, a)).slug for a in actor_names]))
    slugs_t = tuple(dict.fromkeys([(await reads.resolve_topic(guild_id, t)).slug for t in topic_names]))

    async def build() -> Answer:
        smap = await reads.stance_map(guild_id, slugs_a, slugs_t)
        if not smap.actors or not smap.topics:
            return Answer(render.stance_map_embed(smap, image=None))
        png = await asyncio.to_thread(render.stance_map_png, smap)
        return Answer(render.stance_map_embed(smap), files=((render.MAP_FILENAME, png),))

    return await reads.memo_answer(guild_id, "any", ("map", slugs_a, slugs_t), build)
