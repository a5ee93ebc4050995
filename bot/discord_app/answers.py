"""What each read command answers: store query → rendered page.

Shared by the slash commands, the page buttons (which ask the same query at another page) and
the offline `preview` CLI, so all three show exactly the same thing. Each command's options arrive
as one frozen query from bot.domain; its `cache_scope()` says what the cached answer depends on.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import discord

from bot import render
from bot.domain import (
    ActorsQuery,
    BriefQuery,
    CompareQuery,
    EntryQuery,
    FuzzyDate,
    MapQuery,
    PagedQuery,
    PositionQuery,
    Query,
    SearchQuery,
    TimelineQuery,
    TopicsQuery,
)
from bot.errors import InvalidInput
from bot.store import Store


@dataclass(frozen=True, slots=True)
class Answer:
    """One page of an answer, and how to fetch its other pages (`query`, as the store normalised it).

    `files` are attachments as (filename, bytes) — an embed refers to them as
    `attachment://filename`; bytes, not discord.File, so a cached answer can be sent again.
    `lead` is an embed shown above `embed` (the timeline's chart, above its list).
    `entries` are the (id, label) of the items a list shows, offered in its "Open an entry…" menu
    (the ids are not in the list's text).
    """

    embed: discord.Embed
    page: int = 0
    page_count: int = 1
    query: PagedQuery | None = None
    files: tuple[tuple[str, bytes], ...] = ()
    lead: discord.Embed | None = None
    entries: tuple[render.Choice, ...] = ()
    view_memo: list[discord.ui.View | None] = field(
        default_factory=list, init=False, repr=False, compare=False
    )
    """Its buttons and menu once built (bot.discord_app.paging.pager): a cached answer sent again
    reuses them."""

    def embeds(self) -> list[discord.Embed]:
        """The message's embeds, in display order."""
        return [self.lead, self.embed] if self.lead is not None else [self.embed]

    def discord_files(self) -> list[discord.File]:
        """Fresh discord.File objects for the attachments (each can be sent once)."""
        return [discord.File(io.BytesIO(data), filename=name) for name, data in self.files]


async def _memo(
    store: Store, guild_id: int | None, query: Query, page: int, build: Callable[[], Awaitable[Answer]]
) -> Answer:
    """`build()`'s answer, cached until the store changes under what `query` depends on: a page
    asked for again, from any server that sees the same entries, is neither queried nor rendered
    twice (`Reads.memo_answer`)."""
    return await store.reads.memo_answer(guild_id, query.cache_scope(), (query, page), build)


def _pick(pages: list[discord.Embed], page: int, query: PagedQuery) -> Answer:
    page = min(max(page, 0), len(pages) - 1)
    return Answer(pages[page], page, len(pages), query)


def parse_date_option(option: str, text: str | None) -> FuzzyDate | None:
    """A `since`/`until` option as a FuzzyDate; InvalidInput naming the option if malformed."""
    if not text or not text.strip():
        return None
    try:
        return FuzzyDate.parse(text)
    except ValueError as exc:
        raise InvalidInput(option, str(exc)) from None


def timeline_query(
    topic: str,
    actor: str | None = None,
    since: str | None = None,
    until: str | None = None,
    chart: bool = False,
) -> TimelineQuery:
    """`/timeline`'s options as its query; InvalidInput naming `since`/`until` if malformed."""
    return TimelineQuery(
        topic, actor or None, parse_date_option("since", since), parse_date_option("until", until), chart
    )


async def position(store: Store, guild_id: int | None, query: PositionQuery, page: int = 0) -> Answer:
    """`/position actor [topic]`."""

    async def build() -> Answer:
        actor_obj, topic_obj, found = await store.reads.position_page(
            guild_id, query.actor, query.topic, page, render.POSITIONS_PER_PAGE
        )
        embed = render.positions_embed(actor_obj, found.items, found.total, found.number, topic_obj)
        return Answer(
            embed,
            found.number,
            found.count,
            PositionQuery(actor_obj.slug, topic_obj.slug if topic_obj else None),
            entries=render.entry_choices(found.items),
        )

    return await _memo(store, guild_id, query, page, build)


async def timeline(store: Store, guild_id: int | None, query: TimelineQuery, page: int = 0) -> Answer:
    """`/timeline topic [actor] [since] [until] [chart]`; with the chart, the page's events are
    drawn above the list."""

    async def build() -> Answer:
        reads = store.reads
        topic_obj = await reads.resolve_topic(guild_id, query.topic)
        actor_obj = await reads.resolve_actor(guild_id, query.actor) if query.actor else None
        result = await reads.timeline(guild_id, query, page, render.TIMELINE_PAGE_SIZE)
        embed = render.timeline_embed(topic_obj, result, actor_obj, query.since, query.until)
        normal = TimelineQuery(
            topic_obj.slug, actor_obj.slug if actor_obj else None, query.since, query.until, query.chart
        )
        entries = render.entry_choices(result.items)
        if not query.chart or not result.items:
            return Answer(embed, result.number, result.count, normal, entries=entries)
        # Each actor's colour, page after page; oldest first, so a new actor takes a new colour.
        everyone = [a.slug for a in await reads.actors_in_order_added(guild_id)]
        png = await asyncio.to_thread(render.timeline_chart_png, result.items, everyone)
        return Answer(
            embed,
            result.number,
            result.count,
            normal,
            files=((render.CHART_FILENAME, png),),
            lead=render.chart_embed(render.CHART_FILENAME),
            entries=entries,
        )

    return await _memo(store, guild_id, query, page, build)


async def entry(store: Store, guild_id: int | None, query: EntryQuery, page: int = 0) -> Answer:
    """`/entry id`."""

    async def build() -> Answer:
        detail = await store.reads.entry(guild_id, query.id)
        return _pick(render.entry_pages(detail), page, EntryQuery(detail.entry.id))

    return await _memo(store, guild_id, query, page, build)


async def actors(store: Store, guild_id: int | None, query: ActorsQuery, page: int = 0) -> Answer:
    """`/actors`."""

    async def build() -> Answer:
        return _pick(render.actors_pages(await store.reads.actors(guild_id)), page, query)

    return await _memo(store, guild_id, query, page, build)


async def topics(store: Store, guild_id: int | None, query: TopicsQuery, page: int = 0) -> Answer:
    """`/topics`."""

    async def build() -> Answer:
        return _pick(render.topics_pages(await store.reads.topics(guild_id)), page, query)

    return await _memo(store, guild_id, query, page, build)


async def answer_for(store: Store, guild_id: int | None, query: Query, page: int = 0) -> Answer:
    """The answer to any read command's query (at `page`, for one that has pages)."""
    match query:
        case PositionQuery():
            return await position(store, guild_id, query, page)
        case TimelineQuery():
            return await timeline(store, guild_id, query, page)
        case EntryQuery():
            return await entry(store, guild_id, query, page)
        case ActorsQuery():
            return await actors(store, guild_id, query, page)
        case TopicsQuery():
            return await topics(store, guild_id, query, page)
        case BriefQuery():
            return await brief(store, guild_id, query)
        case CompareQuery():
            return await compare(store, guild_id, query)
        case SearchQuery():
            return await search(store, guild_id, query)
        case MapQuery():
            return await stance_map(store, guild_id, query)


async def later_pages(store: Store, guild_id: int | None, first: Answer) -> list[Answer]:
    """The pages after `first` of its answer (the CLI preview shows them all)."""
    if first.query is None:
        return []
    return [
        await answer_for(store, guild_id, first.query, n) for n in range(first.page + 1, first.page_count)
    ]


async def brief(store: Store, guild_id: int | None, query: BriefQuery) -> Answer:
    """`/brief topic`."""

    async def build() -> Answer:
        briefing = await store.reads.briefing(guild_id, query.topic)
        entries = render.entry_choices([*briefing.positions, *briefing.latest_events])
        return Answer(render.brief_embed(briefing), entries=entries)

    return await _memo(store, guild_id, query, 0, build)


async def compare(store: Store, guild_id: int | None, query: CompareQuery) -> Answer:
    """`/compare topic actor_a actor_b`."""

    async def build() -> Answer:
        topic_obj, (a, pa), (b, pb) = await store.reads.compare(
            guild_id, query.topic, query.actor_a, query.actor_b
        )
        shown = [p for p in (pa, pb) if p is not None]
        return Answer(render.compare_embed(topic_obj, a, pa, b, pb), entries=render.entry_choices(shown))

    return await _memo(store, guild_id, query, 0, build)


async def search(store: Store, guild_id: int | None, query: SearchQuery) -> Answer:
    """`/search query`."""

    async def build() -> Answer:
        found = await store.reads.search(guild_id, query.text)
        actors, topics = await store.reads.named(guild_id, query.text)
        shown = found.hits[: render.MAX_HITS_SHOWN]
        embed = render.search_embed(query.text, found, topics=topics, actors=actors)
        return Answer(embed, entries=render.entry_choices(shown))

    return await _memo(store, guild_id, query, 0, build)


async def stance_map(store: Store, guild_id: int | None, query: MapQuery) -> Answer:
    """`/map [topics] [actors]`: the stance map picture with the grid as text.

    Unset, the server's most-covered actors/topics. The picture is drawn in a worker thread,
    once per store version and resolved names.
    """
    if len(query.actors) > render.MAP_MAX_ACTORS:
        raise InvalidInput("actors", f"name at most {render.MAP_MAX_ACTORS} actors, not {len(query.actors)}")
    if len(query.topics) > render.MAP_MAX_TOPICS:
        raise InvalidInput("topics", f"name at most {render.MAP_MAX_TOPICS} topics, not {len(query.topics)}")
    reads = store.reads
    slugs_a = tuple(dict.fromkeys([(await reads.resolve_actor(guild_id, a)).slug for a in query.actors]))
    slugs_t = tuple(dict.fromkeys([(await reads.resolve_topic(guild_id, t)).slug for t in query.topics]))

    async def build() -> Answer:
        smap = await reads.stance_map(guild_id, slugs_a, slugs_t)
        if not smap.actors or not smap.topics:
            return Answer(render.stance_map_embed(smap, image=None))
        png = await asyncio.to_thread(render.stance_map_png, smap)
        return Answer(render.stance_map_embed(smap), files=((render.MAP_FILENAME, png),))

    return await _memo(store, guild_id, MapQuery(slugs_a, slugs_t), 0, build)
