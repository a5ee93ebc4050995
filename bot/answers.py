"""What each read command answers: store query → rendered page.

Shared by the slash commands, the page buttons (which re-run a view at another page) and the
offline `preview` CLI, so all three show exactly the same thing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import discord

from bot import render
from bot.domain import FuzzyDate, TimelineQuery
from bot.errors import InvalidInput
from bot.store import Store


@dataclass(frozen=True, slots=True)
class Answer:
    """One page of an answer, and how to fetch its other pages (`view` + `args`)."""

    embed: discord.Embed
    page: int = 0
    page_count: int = 1
    view: str = ""
    args: tuple[str, ...] = ()


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
        embed, found.number, found.count, "po", (actor_obj.slug, topic_obj.slug if topic_obj else "")
    )


@view("tl", lambda a: ("events", (_arg(a, 1),), _arg(a, 0) or None), required=1)
async def timeline(store: Store, guild_id: int | None, args: Sequence[str], page: int = 0) -> Answer:
    """`/timeline topic [actor] [since] [until]`: args = (topic, actor, since, until), "" when unset."""
    topic, actor, since, until = (*args, "", "", "", "")[:4]
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
    return Answer(embed, result.number, result.count, "tl", norm_args)


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
        return Answer(render.brief_embed(await store.reads.briefing(guild_id, topic)))

    return await store.reads.memo_answer(guild_id, "briefing", ("brief",), build, topic=topic)


async def compare(store: Store, guild_id: int | None, topic: str, actor_a: str, actor_b: str) -> Answer:
    """`/compare topic actor_a actor_b`."""

    async def build() -> Answer:
        topic_obj, (a, pa), (b, pb) = await store.reads.compare(guild_id, topic, actor_a, actor_b)
        return Answer(render.compare_embed(topic_obj, a, pa, b, pb))

    return await store.reads.memo_answer(
        guild_id, "compare", ("compare",), build, actors=(actor_a, actor_b), topic=topic
    )


async def search(store: Store, guild_id: int | None, query: str) -> Answer:
    """`/search query`."""

    async def build() -> Answer:
        return Answer(render.search_embed(query, await store.reads.search(guild_id, query)))

    return await store.reads.memo_answer(guild_id, "any", ("search", query), build)
