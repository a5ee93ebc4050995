"""Read queries: what the briefing commands ask of the store.

Every query takes the asking server's id (None in DMs) and sees the global entries plus that
server's own, never another server's. Each call returns domain objects. An answer's statements
run together in one call on the database's side (`OneHop`: one thread hop on SQLite) and read
plain Core rows, mapped to the domain's frozen dataclasses here, never ORM entities.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Sequence
from functools import cache
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import (
    BindParameter,
    Connection,
    Row,
    Select,
    TextClause,
    and_,
    bindparam,
    func,
    literal,
    select,
    text,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.dataset.records import Dataset, EventRecord, PositionRecord
from bot.db.models import Base, EventActorRow, EventRow, EventTopicRow, PositionRow, table_of
from bot.db.onehop import OneHop
from bot.db.search import RankedId, SearchBackend, query_terms
from bot.domain import (
    GLOBAL_SCOPE,
    Actor,
    Briefing,
    CacheScope,
    EntryDetail,
    Event,
    FuzzyDate,
    MapCell,
    PageOf,
    Position,
    ScopeKind,
    SearchHit,
    SearchResults,
    Stance,
    StanceMap,
    Status,
    TimelineQuery,
    Topic,
)
from bot.errors import InvalidInput, NotFound
from bot.store import pg_search
from bot.store.cache import ResultCache
from bot.store.catalog import Catalog, CatalogSnapshot
from bot.store.convert import event_from_row, position_from_row
from bot.store.dated import DatedWindow, Links, links_of, with_links
from bot.store.scoping import LocalKeys

SEARCH_LIMIT = 10
# Matches a search weighs: the best this many by relevance, of which it shows `SEARCH_LIMIT` with
# current statements first. A topic's name matches every statement on it, and a long current
# statement can rank below short superseded ones (bm25 favours short texts): in the curated store
# "security guarantees" ranks its first current statement 12th and its last 29th. Each ten more
# cost ~0.15 ms of a search on the large benchmark store.
SEARCH_POOL = 30
MAP_ACTORS = 8  # the stance map's default size: the most-covered actors × topics
MAP_TOPICS = 7
R = TypeVar("R")
Rows = Sequence[Row[Any]]
_PositionIds = tuple[int, list[str], Rows]  # page number, every id in order, the page's rows


def visible_scopes(guild_id: int | None) -> tuple[int, ...]:
    """The scopes a server sees: global, plus its own."""
    return (GLOBAL_SCOPE, guild_id) if guild_id else (GLOBAL_SCOPE,)


def answer_weight(answer: Any) -> int:
    """A rendered answer's weight in the result cache: one, plus one per 256 characters of embed
    (and per 256 bytes of attached pictures), plus one per item of its "Open an entry…" menu (an
    option of the menu built once and kept with the answer: ~200 bytes).

    Weights stand for rows held (a position or event is one); an embed of a page of positions
    holds about as much text as that page's rows. Weighing every answer 1 would let tens of
    thousands of distinct searches, each a few kilobytes, sit within the cache's bound.
    """
    embed = getattr(answer, "embed", None)
    files = sum(len(data) for _, data in getattr(answer, "files", ()))
    entries = len(getattr(answer, "entries", ()))
    return 1 + (len(embed) // 256 if embed is not None else 0) + files // 256 + entries


class Reads:
    """The read side of the store."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        catalog: Catalog,
        search_backend: SearchBackend,
        read_sessions: async_sessionmaker[AsyncSession] | None = None,
        onehop: OneHop | None = None,
    ) -> None:
        self._sessions = sessions  # transactions: exports read one consistent state
        self._read = read_sessions or sessions  # answers: no BEGIN/ROLLBACK (make_read_sessionmaker)
        bind: AsyncEngine = sessions.kw["bind"]
        self._hop = onehop or OneHop(bind)  # answers' statements, all in one call (bot.db.onehop)
        self.catalog = catalog
        self._search = search_backend
        self.cache = ResultCache()
        self._dialect = bind.dialect.name

    async def memo(
        self, key: Hashable, compute: Callable[[], Awaitable[R]], weight: Callable[[R], int] = lambda _: 1
    ) -> R:
        """`compute()`'s result, cached until the store changes (see bot.store.cache)."""
        snap = await self.catalog.get()
        return await self.cache.get_or_compute(snap.store_version, key, compute, weight)

    async def memo_answer(
        self,
        guild_id: int | None,
        scope: CacheScope,
        extra: tuple[Hashable, ...],
        compute: Callable[[], Awaitable[R]],
    ) -> R:
        """`compute()`'s answer for this server, cached under what it depends on, until the store changes.

        The key is the answer's scope — the server when its own entries change the answer, else
        global, so servers without their own entries share answers — with the ids `scope.actors`
        and `scope.topic` resolve to and `extra`. `scope.kind` says which of the server's entries
        matter: "positions" (one actor's), "compare" (actors on a topic), "events" (a topic's
        timeline), "briefing" (a topic), "any" (anything it has) or "own" (always per server).
        Unknown names raise NotFound, as the answer itself would.
        """
        snap = await self.catalog.get()  # one snapshot for the key and the cache version
        actor_ids = tuple(snap.actors.resolve(guild_id, a)[0] for a in scope.actors if a)
        topic_id = snap.topics.resolve(guild_id, scope.topic)[0] if scope.topic else None
        first = actor_ids[0] if actor_ids else None
        kind = scope.kind
        where = guild_id if kind == "own" else await self._scope(snap, guild_id, kind, first, topic_id)
        key = ("answer", kind, where, topic_id, actor_ids, *extra)
        return await self.cache.get_or_compute(snap.store_version, key, compute, answer_weight)

    async def _scope(
        self,
        snap: CatalogSnapshot,
        guild_id: int | None,
        kind: ScopeKind,
        actor_id: int | None,
        topic_id: int | None,
    ) -> int | None:
        if not guild_id:
            return None

        async def load() -> LocalKeys:
            return await self._hop.run(lambda conn: LocalKeys.load(conn, guild_id))

        local = await self.cache.get_or_compute(snap.store_version, ("local", guild_id), load)
        if kind == "positions":
            mine = actor_id in local.position_actors
        elif kind == "compare":
            mine = topic_id in local.position_topics
        elif kind == "events":
            mine = topic_id in local.event_topics
        elif kind == "briefing":
            mine = topic_id in local.position_topics or topic_id in local.event_topics
        else:
            mine = local.any
        return guild_id if mine else None

    # -- actors and topics ---------------------------------------------------------------

    async def actors(self, guild_id: int | None) -> list[Actor]:
        """Every actor the server sees, by name."""
        return (await self.catalog.get()).actors.all(guild_id)

    async def actors_in_order_added(self, guild_id: int | None) -> list[Actor]:
        """Every actor the server sees, oldest first (the order of a chart's colours)."""
        return (await self.catalog.get()).actors.in_order_added(guild_id)

    async def topics(self, guild_id: int | None) -> list[Topic]:
        """Every topic the server sees, by title."""
        return (await self.catalog.get()).topics.all(guild_id)

    async def named(self, guild_id: int | None, text: str) -> tuple[list[Actor], list[Topic]]:
        """The actors and topics (up to two of each) that `text` names or begins the name of."""
        snap = await self.catalog.get()
        return snap.actors.named(guild_id, text), snap.topics.named(guild_id, text)

    async def resolve_actor(self, guild_id: int | None, given: str) -> Actor:
        """The actor named by slug, name or alias; NotFound with suggestions otherwise."""
        return (await self.catalog.get()).actors.resolve(guild_id, given)[1]

    async def resolve_topic(self, guild_id: int | None, given: str) -> Topic:
        """The topic named by slug or title; NotFound with suggestions otherwise."""
        return (await self.catalog.get()).topics.resolve(guild_id, given)[1]

    async def complete_actors(self, guild_id: int | None, current: str) -> list[tuple[str, str]]:
        """Autocomplete choices (label, slug) for an actor option."""
        return (await self.catalog.get()).actors.complete(guild_id, current)

    async def complete_topics(self, guild_id: int | None, current: str) -> list[tuple[str, str]]:
        """Autocomplete choices (label, slug) for a topic option."""
        return (await self.catalog.get()).topics.complete(guild_id, current)

    # -- positions -----------------------------------------------------------------------

    async def position_page(
        self, guild_id: int | None, actor: str, topic: str | None, page: int, size: int | None
    ) -> tuple[Actor, Topic | None, PageOf[Position]]:
        """Page `page` (clamped; `size` None: all on one page) of the actor's current position on
        each topic (or on `topic`), ordered by topic title.

        Only the page's statements are read in full: the ranking reads ids and topics alone.
        """
        snap = await self.catalog.get()
        actor_id, actor_obj = snap.actors.resolve(guild_id, actor)
        topic_id, topic_obj = snap.topics.resolve(guild_id, topic) if topic else (None, None)
        scope = await self._scope(snap, guild_id, "positions", actor_id, topic_id)

        ranking = _ranking_stmt(self._dialect, topic_id is not None)
        params = {"actor": actor_id, "topic": topic_id, "scopes": list(visible_scopes(scope))}

        def read(conn: Connection, snap: CatalogSnapshot, last_try: bool) -> _PositionIds | None:
            """The ranking by topic title, then the page's rows in full (None: a topic `snap` lacks)."""
            titled = []
            for r in conn.execute(ranking, params):
                topic = snap.topics.get(r.topic_id)
                if topic is not None:
                    titled.append((topic.title.lower(), r.id))
                elif not last_try:
                    return None
            ids = [i for _, i in sorted(titled)]
            per_page = size or max(1, len(ids))
            number = min(max(page, 0), max(1, -(-len(ids) // per_page)) - 1)
            wanted = ids[number * per_page : (number + 1) * per_page]
            rows = conn.execute(_positions_by_id_stmt(), {**params, "ids": wanted}).all() if wanted else []
            return number, ids, rows

        async def compute() -> PageOf[Position]:
            found = await self._hop.run(lambda conn: read(conn, snap, False))
            if found is None:  # a topic written since the snapshot: read it again, and the ranking
                self.catalog.invalidate()
                fresh = await self.catalog.get()
                found = await self._hop.run(lambda conn: read(conn, fresh, True))
            number, ids, rows = found or (0, [], [])
            per_page = size or max(1, len(ids))
            by_id = {p.id: p for p in await self._positions_of(snap, rows)}
            items = tuple(by_id[i] for i in ids[number * per_page : (number + 1) * per_page] if i in by_id)
            return PageOf(items=items, number=number, size=per_page, total=len(ids))

        key = ("po", scope, actor_id, topic_id, page, size)
        found = await self.cache.get_or_compute(snap.store_version, key, compute, lambda p: len(p.items))
        return actor_obj, topic_obj, found

    async def compare(
        self, guild_id: int | None, topic: str, actor_a: str, actor_b: str
    ) -> tuple[Topic, tuple[Actor, Position | None], tuple[Actor, Position | None]]:
        """Two actors' current positions on one topic."""
        snap = await self.catalog.get()
        topic_id, topic_obj = snap.topics.resolve(guild_id, topic)
        a_id, a = snap.actors.resolve(guild_id, actor_a)
        b_id, b = snap.actors.resolve(guild_id, actor_b)
        if a_id == b_id:  # also when one is named by an alias: `uk` and `united-kingdom`
            raise InvalidInput("actor_b", f"{b.name} is actor_a too: pick two different actors to compare")
        scope = await self._scope(snap, guild_id, "compare", None, topic_id)

        async def compute() -> dict[str, Position]:
            stmt = _current_on_topic_stmt(self._dialect, True)
            params = {"topic": topic_id, "actors": [a_id, b_id], "scopes": list(visible_scopes(scope))}
            rows = await self._hop.run(lambda conn: conn.execute(stmt, params).all())
            return {p.actor.slug: p for p in await self._positions_of(snap, rows)}

        by_actor = await self.cache.get_or_compute(
            snap.store_version, ("cmp", scope, topic_id, a_id, b_id), compute
        )
        return topic_obj, (a, by_actor.get(a.slug)), (b, by_actor.get(b.slug))

    async def stance_map(
        self,
        guild_id: int | None,
        actors: Sequence[str] = (),
        topics: Sequence[str] = (),
        *,
        max_actors: int = MAP_ACTORS,
        max_topics: int = MAP_TOPICS,
    ) -> StanceMap:
        """Current stances of actors × topics: the named ones (in the order given), or by default
        the `max_actors` actors with a current position on the most topics and the `max_topics`
        topics with the most actors' positions (ties by name)."""
        snap = await self.catalog.get()
        actor_ids = list(dict.fromkeys(snap.actors.resolve(guild_id, a)[0] for a in actors))
        topic_ids = list(dict.fromkeys(snap.topics.resolve(guild_id, t)[0] for t in topics))
        scope = await self._scope(snap, guild_id, "any", None, None)

        async def compute() -> StanceMap:
            stmt = _map_stmt(self._dialect, bool(actor_ids), bool(topic_ids))
            params = {"actors": actor_ids, "topics": topic_ids, "scopes": list(visible_scopes(scope))}
            rows = await self._hop.run(lambda conn: conn.execute(stmt, params).all())
            found = await self._snapshot_with(snap, rows)
            rows = [r for r in rows if found.actors.get(r.actor_id) and found.topics.get(r.topic_id)]
            a_ids = actor_ids or _most_covered(
                rows, "actor_id", lambda i: getattr(found.actors.get(i), "name", ""), max_actors
            )
            t_ids = topic_ids or _most_covered(
                rows, "topic_id", lambda i: getattr(found.topics.get(i), "title", ""), max_topics
            )
            by_pair = {
                (r.actor_id, r.topic_id): MapCell(Stance(r.stance), Status(r.status), r.id) for r in rows
            }
            return StanceMap(
                actors=tuple(a for i in a_ids if (a := found.actors.get(i)) is not None),
                topics=tuple(t for i in t_ids if (t := found.topics.get(i)) is not None),
                cells=tuple(tuple(by_pair.get((a, t)) for t in t_ids) for a in a_ids),
            )

        key = ("map", scope, tuple(actor_ids), tuple(topic_ids), max_actors, max_topics)
        return await self.cache.get_or_compute(snap.store_version, key, compute, lambda m: len(m.cells) + 1)

    # -- events --------------------------------------------------------------------------

    async def timeline(
        self, guild_id: int | None, query: TimelineQuery, page: int, size: int
    ) -> PageOf[Event]:
        """One page of the topic's events in date order (the last page if `page` is past the end)."""
        if query.since and query.until and query.since.value > query.until.end:
            raise InvalidInput("since", f"{query.since.iso()} is after until {query.until.iso()}")
        snap = await self.catalog.get()
        topic_id, _ = snap.topics.resolve(guild_id, query.topic)
        actor_id = snap.actors.resolve(guild_id, query.actor)[0] if query.actor else None
        scope = await self._scope(snap, guild_id, "events", actor_id, topic_id)
        window = DatedWindow(topic_id, visible_scopes(scope), query.since, query.until, actor_id)

        def read(conn: Connection) -> tuple[int, int, Rows, tuple[Links, Links]]:
            """The page with the count and its events' actors and topics, in one statement. A page
            past the end (or of no events) comes back empty: then the count, and the last page."""
            number = max(page, 0)
            stmt = with_links(window.page_stmt(with_total=True), self._dialect)
            rows = conn.execute(stmt, window.params(number * size, size)).all()
            if rows:
                total = int(rows[0].total)
            else:
                total = int(conn.scalar(window.count_stmt(), window.params()) or 0)
                number = min(number, max(1, -(-total // size)) - 1)
                rows = conn.execute(stmt, window.params(number * size, size)).all() if total else []
            return total, number, rows, links_of(rows)

        async def compute() -> PageOf[Event]:
            total, number, rows, links = await self._hop.run(read)
            events = await self._events_of(snap, rows, links)
            return PageOf(items=tuple(events), number=number, size=size, total=total)

        key = ("tl", scope, topic_id, actor_id, query.since, query.until, page, size)
        return await self.cache.get_or_compute(snap.store_version, key, compute, lambda p: len(p.items))

    async def briefing(self, guild_id: int | None, topic: str, latest: int = 5) -> Briefing:
        """The topic, each actor's current stance on it, and its latest events."""
        snap = await self.catalog.get()
        topic_id, topic_obj = snap.topics.resolve(guild_id, topic)
        scope = await self._scope(snap, guild_id, "briefing", None, topic_id)

        window = DatedWindow(topic_id, visible_scopes(scope))
        current = _current_on_topic_stmt(self._dialect, False)

        def read(conn: Connection) -> tuple[int, Rows, tuple[Links, Links], Rows]:
            """The topic's newest events with their count and links (one statement), and its
            current positions."""
            if latest > 0:
                newest_stmt = with_links(window.page_stmt(newest_first=True, with_total=True), self._dialect)
                newest = conn.execute(newest_stmt, window.params(0, latest)).all()
                event_count = int(newest[0].total) if newest else 0
            else:
                newest, event_count = [], int(conn.scalar(window.count_stmt(), window.params()) or 0)
            positions = conn.execute(current, {"topic": topic_id, "scopes": list(visible_scopes(scope))})
            return event_count, newest, links_of(newest), positions.all()

        async def compute() -> Briefing:
            event_count, newest, links, rows = await self._hop.run(read)
            events = await self._events_of(snap, newest, links)
            positions = await self._positions_of(snap, rows)
            positions.sort(key=lambda p: p.actor.name.lower())
            return Briefing(
                topic=topic_obj,
                positions=tuple(positions),
                latest_events=tuple(events),
                event_count=event_count,
            )

        key = ("br", scope, topic_id, latest)
        return await self.cache.get_or_compute(snap.store_version, key, compute, lambda b: len(b.positions))

    # -- entries and search ----------------------------------------------------------------

    async def entry(self, guild_id: int | None, entry_id: str) -> EntryDetail:
        """One visible entry in full; for a position, every statement of that actor on that topic."""
        key = entry_id.strip().lower()
        return await self.memo(("en", guild_id, key), lambda: self._entry(guild_id, entry_id, key))

    async def _entry(self, guild_id: int | None, entry_id: str, key: str) -> EntryDetail:
        snap = await self.catalog.get()
        scopes = visible_scopes(guild_id)

        def read(conn: Connection) -> tuple[Rows, Rows, tuple[Links, Links]]:
            """The position's whole chain (newest first), or else the event and its links."""
            prow = _visible(conn, PositionRow, key, scopes)
            if prow is not None:
                params = {"actor": prow.actor_id, "topic": prow.topic_id, "scopes": list(scopes)}
                return conn.execute(_chain_stmt(), params).all(), [], ({}, {})
            erow = _visible(conn, EventRow, key, scopes)
            erows = [erow] if erow is not None else []
            return [], erows, _event_links(conn, erows)

        prows, erows, links = await self._hop.run(read)
        if prows:
            snap = await self._snapshot_with(snap, prows)
            chain = self._to_positions(snap, prows)
            this = next(p for p in chain if p.id == key)
            return EntryDetail(entry=this, history=tuple(p for p in chain if p.id != key))
        if erows:
            (event,) = await self._events_of(snap, erows, links)
            return EntryDetail(entry=event)
        async with self._read() as session:
            suggestions = await self._similar_ids(session, key, scopes)
        raise NotFound("entry", entry_id, suggestions)

    async def search(self, guild_id: int | None, query: str, limit: int = SEARCH_LIMIT) -> SearchResults:
        """Positions and events matching the words of `query`: of the best SEARCH_POOL by relevance,
        the first `limit` with current statements and events before earlier statements."""
        terms = query_terms(query)
        if not terms:
            raise InvalidInput("query", "type at least one word to search for")
        snap = await self.catalog.get()
        scope = await self._scope(snap, guild_id, "any", None, None)
        return await self.cache.get_or_compute(
            snap.store_version,
            ("se", scope, tuple(terms), limit),
            lambda: self._search_hits(scope, terms, limit, snap.store_version),
            lambda found: len(found.hits),
        )

    async def _search_hits(
        self, guild_id: int | None, terms: list[str], limit: int, version: Hashable
    ) -> SearchResults:
        scope = guild_id or GLOBAL_SCOPE
        pool = max(limit, SEARCH_POOL)

        postgres = self._dialect == "postgresql"

        def pool_of(conn: Connection, match_all: bool) -> tuple[list[RankedId], _ByKey, set[str]]:
            """The best pool + 1 matches, the live rows of the statements among the first `pool`,
            and which of those are current (on PostgreSQL in one round trip: bot.store.pg_search)."""
            if postgres:
                ranked, prows, current = pg_search.ranked_pool(
                    conn, terms, scope, pool + 1, match_all=match_all
                )
                kept = {(r.entry_id, r.guild_id) for r in ranked[:pool]}
                return ranked, {key: row for key, row in prows.items() if key in kept}, current
            ranked = self._search.ranked(
                conn, terms, scope, pool + 1, match_all=match_all, exact=limit, generation=version
            )
            prows = _live_rows(conn, "position", ranked[:pool])
            return ranked, prows, _current_among(conn, scope, list(prows.values()), self._dialect)

        def read(conn: Connection) -> _Matches:
            """The pool of best matches, their live rows, which positions are current, and the
            `limit` chosen to show (current statements and events first) with their snippets."""
            match_all = True
            ranked, prows, current = pool_of(conn, match_all)
            if not ranked and len(terms) > 1:
                match_all = False
                ranked, prows, current = pool_of(conn, match_all)
            more, ranked = len(ranked) > pool, ranked[:pool]  # one more read to know whether more match
            # An event's document goes with the event (removing it deletes the document), so only
            # the events shown are read; a position's row says whether it is current.
            live = [r for r in ranked if r.kind == "event" or (r.entry_id, r.guild_id) in prows]
            earlier = [r for r in live if r.kind == "position" and r.entry_id not in current]
            chosen = ([r for r in live if r.kind != "position" or r.entry_id in current] + earlier)[:limit]
            if postgres:
                shown, erows = pg_search.shown_with_events(conn, terms, chosen, match_all=match_all)
            else:
                shown = chosen  # FTS5 made their snippets in the ranking statement
                erows = _live_rows(conn, "event", chosen)
            keys = [(r.entry_id, r.guild_id) for r in chosen]
            return _Matches(
                shown,
                {key: prows[key] for key in keys if key in prows},
                erows,
                current,
                matches=len(live),
                more=more,
            )

        found = await self._hop.run(read)
        prows, erows, current = found.positions, found.events, found.current
        snap = await self._snapshot_with(snap=await self.catalog.get(), rows=list(prows.values()))
        hits: list[SearchHit] = []
        for r in found.chosen:
            key = (r.entry_id, r.guild_id)
            if (prow := prows.get(key)) is not None:
                actor, topic = snap.actors.get(prow.actor_id), snap.topics.get(prow.topic_id)
                if actor is None or topic is None:
                    continue
                hits.append(
                    SearchHit(
                        entry_id=prow.id,
                        kind="position",
                        title=f"{actor.name} on {topic.title}",
                        snippet=r.snippet,
                        date=FuzzyDate(prow.stated_on, prow.precision),
                        status=Status(prow.status),
                        actor=actor.name,
                        topic=topic.title,
                        stance=Stance(prow.stance),
                        current=prow.id in current,
                        correction=_correction(prow),
                    )
                )
            elif (erow := erows.get(key)) is not None:
                hits.append(
                    SearchHit(
                        entry_id=erow.id,
                        kind="event",
                        title=erow.title,
                        snippet=r.snippet,
                        date=FuzzyDate(erow.occurred_on, erow.precision),
                        status=Status(erow.status),
                        correction=_correction(erow),
                    )
                )
        return SearchResults(tuple(hits), matches=found.matches, more=found.more)

    async def complete_entry_ids(self, guild_id: int | None, prefix: str, limit: int = 25) -> list[str]:
        """Visible, non-removed entry ids starting with `prefix` (for autocomplete)."""
        start, scopes = prefix.strip().lower()[:64], visible_scopes(guild_id)
        found = await self._hop.run(lambda conn: _ids_with_prefix(conn, start, scopes, limit))
        return sorted(found)[:limit]

    async def export(
        self,
        guild_id: int,
        *,
        include_global: bool = False,
        only_ids: set[str] | None = None,
        with_removed: bool = False,
    ) -> Dataset:
        """The scope's own entries (and optionally the global ones) as a dataset `import` accepts unchanged.

        `only_ids` narrows it to some positions/events (no actors or topics then); `with_removed`
        includes soft-deleted entries (for curators' edits).
        """
        scopes = {guild_id, GLOBAL_SCOPE} if include_global else {guild_id}
        snap = await self.catalog.get()
        async with self._sessions() as session:
            prows = (
                await session.scalars(
                    _export_filter(select(PositionRow), PositionRow, scopes, only_ids, with_removed).order_by(
                        PositionRow.id
                    )
                )
            ).all()
            erows = (
                await session.scalars(
                    _export_filter(select(EventRow), EventRow, scopes, only_ids, with_removed).order_by(
                        EventRow.occurred_on, EventRow.id
                    )
                )
            ).all()
            snap = await self._snapshot_with(snap, prows)
            events = await self._to_events(session, snap, erows)
        actors = (
            [] if only_ids else [a for g in sorted(scopes) for a in snap.actors.all(g) if a.guild_id == g]
        )
        topics = (
            [] if only_ids else [t for g in sorted(scopes) for t in snap.topics.all(g) if t.guild_id == g]
        )
        positions = [
            PositionRecord(
                id=p.id,
                actor=p.actor.slug,
                topic=p.topic.slug,
                stance=p.stance,
                summary=p.summary,
                stated=p.stated,
                sources=p.sources,
                status=p.status,
                status_note=p.status_note,
                key_points=p.key_points,
                quote=p.quote,
                speaker=p.speaker,
                verification=p.verification,
                gist=p.gist,
            )
            for p in self._to_positions(snap, prows)
        ]
        event_records = [
            EventRecord(
                id=e.id,
                date=e.date,
                title=e.title,
                summary=e.summary,
                sources=e.sources,
                actors=tuple(a.slug for a in e.actors),
                topics=tuple(t.slug for t in e.topics),
                status=e.status,
                status_note=e.status_note,
                verification=e.verification,
            )
            for e in events
        ]
        return Dataset(
            actors=tuple(actors),
            topics=tuple(topics),
            positions=tuple(positions),
            events=tuple(event_records),
        )

    # -- helpers ---------------------------------------------------------------------------

    async def _positions_of(self, snap: CatalogSnapshot, rows: Sequence[Any]) -> list[Position]:
        """Current positions from `_current_stmt` rows (one per actor × topic)."""
        snap = await self._snapshot_with(snap, rows)
        out = []
        for row in rows:
            actor, topic = snap.actors.get(row.actor_id), snap.topics.get(row.topic_id)
            if actor is not None and topic is not None:
                out.append(position_from_row(row, actor, topic, current=True))
        return out

    async def _snapshot_with(self, snap: CatalogSnapshot, rows: Sequence[Any]) -> CatalogSnapshot:
        """The snapshot, re-read once if these rows name actors or topics it does not know yet."""
        if all(snap.actors.get(r.actor_id) and snap.topics.get(r.topic_id) for r in rows):
            return snap
        self.catalog.invalidate()
        return await self.catalog.get()

    @staticmethod
    def _to_positions(
        snap: CatalogSnapshot, rows: Sequence[PositionRow | Row[Any]], *, current_only: bool = False
    ) -> list[Position]:
        out: list[Position] = []
        seen: set[tuple[int, int]] = set()
        for row in rows:  # ordered newest first per actor × topic
            actor, topic = snap.actors.get(row.actor_id), snap.topics.get(row.topic_id)
            if actor is None or topic is None:
                continue
            key = (row.actor_id, row.topic_id)
            if current_only and key in seen:
                continue  # superseded: callers that want current positions would drop it anyway
            out.append(position_from_row(row, actor, topic, current=key not in seen))
            seen.add(key)
        return out

    async def _to_events(
        self, session: AsyncSession, snap: CatalogSnapshot, rows: Sequence[EventRow]
    ) -> list[Event]:
        links = await session.run_sync(lambda s: _event_links(s.connection(), rows))
        return await self._events_of(snap, rows, links)

    async def _events_of(
        self, snap: CatalogSnapshot, rows: Sequence[EventRow | Row[Any]], links: tuple[Links, Links]
    ) -> list[Event]:
        """Events from their rows and `_event_links` (the catalog re-read if it lacks a name)."""
        actor_ids, topic_ids = links
        wanted_a = {a for v in actor_ids.values() for a in v}
        wanted_t = {t for v in topic_ids.values() for t in v}
        if any(snap.actors.get(a) is None for a in wanted_a) or any(
            snap.topics.get(t) is None for t in wanted_t
        ):
            self.catalog.invalidate()
            snap = await self.catalog.get()
        events = []
        for row in rows:
            actors = sorted(
                (a for a in (snap.actors.get(i) for i in actor_ids[(row.id, row.guild_id)]) if a),
                key=lambda a: a.name.lower(),
            )
            topics = sorted(
                (t for t in (snap.topics.get(i) for i in topic_ids[(row.id, row.guild_id)]) if t),
                key=lambda t: t.title.lower(),
            )
            events.append(event_from_row(row, actors, topics))
        return events

    @staticmethod
    async def _similar_ids(session: AsyncSession, key: str, scopes: tuple[int, ...]) -> list[str]:
        """Visible ids sharing the longest prefix with `key` (for "did you mean")."""
        start = key[: max(3, len(key) // 2)]
        found = await session.run_sync(lambda s: _ids_with_prefix(s.connection(), start, scopes, 5))
        return sorted(found, key=lambda i: (-_common_prefix(i, key), i))[:5]


def _visible(conn: Connection, model: type[Base], key: str, scopes: tuple[int, ...]) -> Row[Any] | None:
    """The live entry `key` of `model` (positions or events) in `scopes`, the server's own before a
    global one."""
    return conn.execute(_visible_stmt(model), {"key": key, "scopes": list(scopes)}).first()


def _event_links(conn: Connection, rows: Sequence[EventRow | Row[Any]]) -> tuple[Links, Links]:
    """The actors and topics of these events (by (event id, scope)), in one statement."""
    actor_ids: Links = defaultdict(list)
    topic_ids: Links = defaultdict(list)
    if not rows:
        return actor_ids, topic_ids
    params = {"ids": [r.id for r in rows], "link_scopes": sorted({r.guild_id for r in rows})}
    for ev_id, guild, ref, is_topic in conn.execute(_links_stmt(), params):
        (topic_ids if is_topic else actor_ids)[(ev_id, guild)].append(ref)
    return actor_ids, topic_ids


_ByKey = dict[tuple[str, int], Row[Any]]  # (id, scope) → row


class _Matches(NamedTuple):
    """What a search reads in its one hop (see Reads.search)."""

    chosen: list[RankedId]  # the hits to show, in order, with snippets
    positions: _ByKey  # live rows of the chosen positions
    events: _ByKey  # and of the chosen events
    current: set[str]  # the ids of the pool's positions that are current
    matches: int  # live documents in the pool
    more: bool  # the pool was full: more documents match


_HIT_POSITION_COLUMNS = tuple(
    PositionRow.__table__.c[name]
    for name in (
        "id",
        "guild_id",
        "actor_id",
        "topic_id",
        "stance",
        "stated_on",
        "precision",
        "status",
        "status_note",
        "removed_at",
    )
)
_HIT_EVENT_COLUMNS = tuple(
    EventRow.__table__.c[name]
    for name in ("id", "guild_id", "occurred_on", "precision", "title", "status", "status_note", "removed_at")
)


def _live_rows(conn: Connection, kind: str, ranked: Sequence[RankedId]) -> _ByKey:
    """The rows (the columns a search hit shows) of the ranked documents of `kind` ("position" or
    "event") that are not removed, by (id, scope).

    Fetched by id alone and the scope checked here: with the scope in the WHERE clause, SQLite
    picks the guild index and scans every global row (~60 ms at 100k).
    """
    keys = {(r.entry_id, r.guild_id) for r in ranked if r.kind == kind}
    if not keys:
        return {}
    return {
        (r.id, r.guild_id): r
        for r in conn.execute(_hit_rows_stmt(kind), {"ids": sorted({i for i, _ in keys})})
        if (r.id, r.guild_id) in keys and r.removed_at is None
    }


@cache
def _hit_rows_stmt(kind: str) -> Select[Any]:
    """`_live_rows`' statement for one kind, built once (building it cost more than running it)."""
    columns = _HIT_POSITION_COLUMNS if kind == "position" else _HIT_EVENT_COLUMNS
    return select(*columns).where(columns[0].in_(bindparam("ids", expanding=True)))


def _current_among(conn: Connection, scope: int | None, rows: Sequence[Any], dialect: str) -> set[str]:
    """Which of these statements are still their actor's current one on their topic."""
    if not rows:
        return set()
    params = {
        "actors": sorted({r.actor_id for r in rows}),
        "topics": sorted({r.topic_id for r in rows}),
        "scopes": list(visible_scopes(scope)),
    }
    return set(conn.execute(_current_among_stmt(dialect), params).scalars())


@cache
def _current_among_stmt(dialect: str) -> Select[Any]:
    """`_current_among`'s statement: the current statements of any of `actors` on any of `topics`."""
    where = and_(
        _P.actor_id.in_(bindparam("actors", expanding=True)),
        _P.topic_id.in_(bindparam("topics", expanding=True)),
    )
    return _current_stmt(None, where, dialect, (_P.id,), scopes=SCOPES)


def _ids_with_prefix(conn: Connection, prefix: str, scopes: tuple[int, ...], limit: int) -> list[str]:
    """Ids of visible, non-removed positions and events starting with `prefix`: the first `limit`
    of each kind and scope, each a walk of the (guild_id, id) index from the prefix on."""
    params: dict[str, Any] = {"prefix": prefix, "end": prefix + "\U0010ffff", "limit": limit}
    params.update((f"scope{i}", scope) for i, scope in enumerate(scopes))
    stmt = _prefix_stmt(conn.dialect.name == "postgresql", len(scopes))
    return list(conn.execute(stmt, params).scalars())


@cache
def _prefix_stmt(postgres: bool, scopes: int) -> TextClause:
    """`_ids_with_prefix`'s statement, written once: autocomplete runs it on every keystroke, and
    building it from SQLAlchemy constructs cost more than the index walks (~0.5 ms)."""
    # PostgreSQL: the index's order (see scoped_id_index); `end` is above any character an id can hold.
    key = 'id COLLATE "C"' if postgres else "id"
    walk = (
        "SELECT id FROM (SELECT id FROM {table} WHERE guild_id = :scope{i} AND {key} >= :prefix "
        "AND {key} < :end AND removed_at IS NULL ORDER BY {key} LIMIT :limit) AS {table}{i}"
    )
    parts = [
        walk.format(table=table, i=i, key=key)  # names and placeholders only: every value is bound
        for table in ("positions", "events")
        for i in range(scopes)
    ]
    return text(" UNION ALL ".join(parts))


def _in_scopes(column: Any, scopes: tuple[int, ...] | BindParameter[Any], dialect: str) -> Any:
    """`column IN scopes`, kept off the guild index on SQLite.

    Nearly every row is global, so walking the guild index reads them all (~60 ms at 100k events)
    where the topic's or actor's own index reads a few; SQLite has no statistics to know that, so
    `+ 0` hides the index. PostgreSQL has statistics, and `+ 0` would only hide them: it then
    guesses the filter keeps 0.5 % of rows and scans every event (measured 107 ms against 58 ms).
    """
    return (column + 0).in_(scopes) if dialect == "sqlite" else column.in_(scopes)


def _current_stmt(
    guild_id: int | None,
    where: Any,
    dialect: str,
    wanted: Sequence[Any] | None = None,
    *,
    scopes: BindParameter[Any] | None = None,
) -> Select[Any]:
    """Visible current statements (the newest per actor × topic) matching `where`, as plain rows
    of every column, or of the `wanted` ones; `scopes` (a bound parameter) in place of the server's.

    Ranking in SQL means an actor with hundreds of superseded statements costs one row per topic.
    """
    columns = PositionRow.__table__.c
    ranked = (
        select(
            *(wanted if wanted is not None else columns),
            func.row_number()
            .over(
                partition_by=(columns.actor_id, columns.topic_id),
                order_by=(columns.stated_on.desc(), columns.created_at.desc(), columns.id.desc()),
            )
            .label("rank"),
        )
        .where(
            where,
            _in_scopes(columns.guild_id, visible_scopes(guild_id) if scopes is None else scopes, dialect),
            columns.removed_at.is_(None),
        )
        .subquery()
    )
    return select(ranked).where(ranked.c.rank == 1)


# -- the answers' statements, built once (per dialect and shape) with bound parameters ---------
# Building a statement and its cache key costs ~0.4 ms, several times what SQLite takes to run
# one of these; a prepared one costs only its execution. `scopes` is always the visible scopes.

SCOPES: BindParameter[Any] = bindparam("scopes", expanding=True)
_P = table_of(PositionRow).c


@cache
def _ranking_stmt(dialect: str, with_topic: bool) -> Select[Any]:
    """Ids and topics of the actor's current statements (`actor`, and `topic` if `with_topic`)."""
    where = _P.actor_id == bindparam("actor")
    if with_topic:
        where = and_(where, _P.topic_id == bindparam("topic"))
    return _current_stmt(None, where, dialect, (_P.id, _P.topic_id), scopes=SCOPES)


@cache
def _positions_by_id_stmt() -> Select[Any]:
    """Visible statements by id (`ids`), every column."""
    return select(*_P).where(_P.id.in_(bindparam("ids", expanding=True)), _P.guild_id.in_(SCOPES))


@cache
def _current_on_topic_stmt(dialect: str, of_actors: bool) -> Select[Any]:
    """Current statements on `topic` (of the `actors` only, if `of_actors`), every column."""
    where = _P.topic_id == bindparam("topic")
    if of_actors:
        where = and_(where, _P.actor_id.in_(bindparam("actors", expanding=True)))
    return _current_stmt(None, where, dialect, scopes=SCOPES)


@cache
def _map_stmt(dialect: str, by_actors: bool, by_topics: bool) -> Select[Any]:
    """Current stances (of the `actors`, on the `topics`, if given)."""
    where = and_(
        _P.actor_id.in_(bindparam("actors", expanding=True)) if by_actors else literal(True),
        _P.topic_id.in_(bindparam("topics", expanding=True)) if by_topics else literal(True),
    )
    wanted = (_P.id, _P.actor_id, _P.topic_id, _P.stance, _P.status)
    return _current_stmt(None, where, dialect, wanted, scopes=SCOPES)


@cache
def _chain_stmt() -> Select[Any]:
    """Every visible statement of `actor` on `topic`, newest first (the first one is current)."""
    return (
        select(*_P)
        .where(
            _P.actor_id == bindparam("actor"),
            _P.topic_id == bindparam("topic"),
            _P.guild_id.in_(SCOPES),
            _P.removed_at.is_(None),
        )
        .order_by(_P.stated_on.desc(), _P.created_at.desc(), _P.id.desc())
    )


@cache
def _visible_stmt(model: type[Base]) -> Select[Any]:
    """The live entry `key` of `model` in `scopes`, the server's own before a global one."""
    c = table_of(model).c
    stmt = select(*c).where(c.id == bindparam("key"), c.guild_id.in_(SCOPES), c.removed_at.is_(None))
    return stmt.order_by(c.guild_id.desc()).limit(1)


@cache
def _links_stmt() -> Any:
    """The actors (0) and topics (1) of the events `ids` in `scopes`."""
    ids: BindParameter[Any] = bindparam("ids", expanding=True)
    link_scopes: BindParameter[Any] = bindparam("link_scopes", expanding=True)
    return union_all(
        select(EventActorRow.event_id, EventActorRow.guild_id, EventActorRow.actor_id, literal(0)).where(
            EventActorRow.event_id.in_(ids), EventActorRow.guild_id.in_(link_scopes)
        ),
        select(EventTopicRow.event_id, EventTopicRow.guild_id, EventTopicRow.topic_id, literal(1)).where(
            EventTopicRow.event_id.in_(ids), EventTopicRow.guild_id.in_(link_scopes)
        ),
    )


def _correction(row: Any) -> str:
    """A disputed row's correction, for its search hit (others: empty)."""
    return (row.status_note or "") if row.status == Status.DISPUTED else ""


def _export_filter(
    stmt: Any, model: Any, scopes: set[int], only_ids: set[str] | None, with_removed: bool
) -> Any:
    stmt = stmt.where(model.guild_id.in_(scopes))
    if only_ids is not None:
        stmt = stmt.where(model.id.in_(only_ids))
    if not with_removed:
        stmt = stmt.where(model.removed_at.is_(None))
    return stmt


def _most_covered(rows: Sequence[Any], column: str, name: Callable[[int], str], limit: int) -> list[int]:
    """The `limit` ids of `column` found in the most rows (ties by name), most first."""
    counts: dict[int, int] = defaultdict(int)
    for row in rows:
        counts[getattr(row, column)] += 1
    return sorted(counts, key=lambda i: (-counts[i], name(i).lower()))[:limit]


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n
