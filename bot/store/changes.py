"""What changed in a window, from the audit log: new and changed positions (old stance → new),
new events, corrections, removals — the items of a digest.

Every subscription due at the same time asks about the same window, and most changes are global.
So the global part of a window is computed once (narrow rows, one query per table, every
"previous stance" in one batch, and the servers' own statements that could be a new global
statement's previous one) and kept in a small LRU keyed by (since, until, catalog version).
Each digest takes the items of its topics from it and, only if its server wrote something after
`since`, re-reads that server's statements and adds the server's own changes. Items are data (stances,
dates, the fields an update changed): bot.render.digest words them.

When is a cached window still right? Its items depend on the window's global audit rows and on
the current state of the entries they name (a "new" entry removed since is dropped; an item
shows the current stance and status). Every write to a position or event adds an audit row of
its scope stamped with the time of that write, and audit rows are never deleted: so the number of
global audit rows stamped after `since` grows with every write that could change the window.
Each digest reads that number, and its server's, first (one statement over the (guild_id, at)
index), and a cached window is used only if it was computed at the same number. A reused window
is therefore what computing it now would give — for a past window, and equally for a recent one
or one whose `until` is still ahead (a write committed into it changes the count).

What the count does not see (and the uncached reading missed just the same): a write stamped
before `since` whose transaction commits only later. Likewise, as before, a row stamped at or
before `until` but committed after the digest was composed is in neither that window nor the next.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections import OrderedDict, defaultdict
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from bot.db.models import AuditRow, EventRow, EventTopicRow, PositionRow
from bot.digest_model.types import Change, ChangeKind, FieldChange
from bot.domain import GLOBAL_SCOPE, FuzzyDate
from bot.store.catalog import Catalog, CatalogSnapshot
from bot.store.reads import visible_scopes

MAX_CHANGES = 500
MAX_AUDIT_ROWS = MAX_CHANGES * 4  # a window reads at most its first this many audit rows (by id)
CACHED_WINDOWS = 16
_CHUNK = 400  # (actor, topic) pairs per "previous stance" query
_EARLIEST = datetime.min.replace(tzinfo=UTC)
_ENTRY_KINDS = ("position", "event")


class _Audit(NamedTuple):
    id: int
    entry_kind: str
    entry_id: str
    action: str
    at: datetime
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class _Stated(NamedTuple):
    """A statement as a candidate "previous stance": latest stated_on, then latest created."""

    stated_on: date
    created_at: datetime
    stance: str


_Statements = dict[tuple[int, int], list[_Stated]]  # (actor id, topic id) → statements


@dataclass(frozen=True, slots=True)
class _NewStatement:
    """What a new position's previous stance was looked up with, kept to redo it with a server's own
    statements."""

    actor_id: int
    topic_id: int
    stated_on: date
    previous: _Stated | None


@dataclass(frozen=True, slots=True)
class _Item:
    order: int  # id of the entry's first audit row in the window: the digest's order
    change: Change
    new: _NewStatement | None = None  # set for a new position


@dataclass(frozen=True, slots=True)
class _Window:
    """The global part of one window, as computed when `writes` global audit rows followed `since`."""

    writes: int
    audit_rows: int  # global audit rows read for it (≤ MAX_AUDIT_ROWS)
    items: tuple[_Item, ...]
    by_topic: dict[str, tuple[int, ...]]  # topic slug → indices into `items`, ascending
    entry_ids: frozenset[str]
    local: dict[int, _Statements]  # server → its live statements on the pairs of new global ones

    def _picked(self, wanted: frozenset[str]) -> list[int]:
        if len(wanted) == 1:
            return list(self.by_topic.get(next(iter(wanted)), ()))
        picked: set[int] = set()
        for slug in wanted:
            picked.update(self.by_topic.get(slug, ()))
        return sorted(picked)

    def select(self, wanted: frozenset[str]) -> list[_Item]:
        """The items about any of `wanted` topics (all when empty), in digest order."""
        if not wanted:
            return list(self.items)
        return [self.items[i] for i in self._picked(wanted)]

    def changes(self, wanted: frozenset[str]) -> list[Change]:
        """The first MAX_CHANGES changes about any of `wanted` topics (all when empty)."""
        if not wanted:
            return [it.change for it in self.items[:MAX_CHANGES]]
        return [self.items[i].change for i in self._picked(wanted)[:MAX_CHANGES]]


@dataclass(slots=True)
class CacheStats:
    """How often a window's global part was reused (hits) or computed (misses)."""

    hits: int = 0
    misses: int = 0


class ChangeLog:
    """Reads the audit log as digest items for one server; reuses each window's global part."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        catalog: Catalog,
        *,
        cached_windows: int = CACHED_WINDOWS,
    ) -> None:
        self._sessions = sessions
        self._catalog = catalog
        self._max_windows = cached_windows
        self._windows: OrderedDict[tuple[datetime, datetime, str], _Window] = OrderedDict()
        self._pending: dict[tuple[datetime, datetime, str], tuple[int, asyncio.Future[_Window]]] = {}
        self.stats = CacheStats()

    async def between(
        self, guild_id: int, topics: Sequence[str], since: datetime, until: datetime
    ) -> list[Change]:
        """Changes to entries the server sees, in `topics` (all if empty), after `since` up to `until`.

        Items come in the order of their first audit row, at most MAX_CHANGES of them, from the
        window's first MAX_AUDIT_ROWS audit rows (global and the server's own together).
        """
        snap = await self._catalog.get()
        wanted = frozenset(topics)
        scopes = visible_scopes(guild_id)
        async with self._sessions() as session:
            conn = await session.connection(execution_options=_read_options(session))
            writes, local_writes = await _counts(conn, guild_id, since)
            window = await self._global(conn, snap, since, until, writes)
            if not local_writes:
                # Nothing written by the server since `since`: its statements are still the
                # ones the window read with it, and it has no changes of its own.
                if (statements := window.local.get(guild_id)) is None:
                    return window.changes(wanted)
                items = _with_local_previous(window.select(wanted), statements)
                return [it.change for it in items[:MAX_CHANGES]]
            local = await _audits(conn, (guild_id,), since, until)
            if local and (
                window.audit_rows + len(local) > MAX_AUDIT_ROWS
                or not window.entry_ids.isdisjoint(a.entry_id for a in local)
            ):
                # The first rows of both scopes together are not the global ones plus these:
                # read the window for this server as one (rare: a very busy window).
                merged = await _audits(conn, scopes, since, until)
                items = _wanted(await _build(conn, snap, scopes, merged), wanted)
            else:
                items = window.select(wanted)
                pairs = {(it.new.actor_id, it.new.topic_id) for it in items if it.new is not None}
                by_guild = await _local_statements(conn, guild_id, pairs)
                items = _with_local_previous(items, by_guild.get(guild_id))
                if local:
                    items += _wanted(await _build(conn, snap, scopes, local), wanted)
                    items.sort(key=lambda it: it.order)
        return [it.change for it in items[:MAX_CHANGES]]

    async def _global(
        self, conn: AsyncConnection, snap: CatalogSnapshot, since: datetime, until: datetime, writes: int
    ) -> _Window:
        """The window's global part: cached if computed at the same `writes`, else computed (once)."""
        key = (since, until, snap.version)
        found = self._windows.get(key)
        if found is not None and found.writes == writes:
            self._windows.move_to_end(key)
            self.stats.hits += 1
            return found
        pending = self._pending.get(key)
        if pending is not None and pending[0] == writes:
            try:
                window = await asyncio.shield(pending[1])
            except asyncio.CancelledError:
                task = asyncio.current_task()
                if not pending[1].cancelled() or (task is not None and task.cancelling()):
                    raise
                # the call computing it was cancelled: compute it here instead
            else:
                self.stats.hits += 1
                return window
        self.stats.misses += 1
        future: asyncio.Future[_Window] = asyncio.get_running_loop().create_future()
        mine = (writes, future)
        self._pending[key] = mine
        try:
            audits = await _audits(conn, (GLOBAL_SCOPE,), since, until)
            items = await _build(conn, snap, (GLOBAL_SCOPE,), audits)
            pairs = {(it.new.actor_id, it.new.topic_id) for it in items if it.new is not None}
            window = _window(writes, audits, items, await _local_statements(conn, None, pairs))
        except asyncio.CancelledError:
            future.cancel()
            raise
        except Exception as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: waiters get it, nobody logs it as never retrieved
            raise
        finally:
            if self._pending.get(key) is mine:
                del self._pending[key]
        future.set_result(window)
        if (kept := self._windows.get(key)) is None or kept.writes <= writes:  # never an older reading
            self._windows[key] = window
            self._windows.move_to_end(key)
        while len(self._windows) > self._max_windows:
            self._windows.popitem(last=False)
        return window


def _read_options(session: AsyncSession) -> dict[str, Any]:
    """On PostgreSQL, read outside a transaction: each statement is consistent on its own, as in
    a READ COMMITTED transaction, and a digest saves the BEGIN and ROLLBACK round trips."""
    bind = session.bind
    if bind is not None and bind.dialect.name == "postgresql":
        return {"isolation_level": "AUTOCOMMIT"}
    return {}


def _written(scope: Any) -> Any:
    return (
        select(func.count())
        .select_from(AuditRow)
        .where(AuditRow.guild_id == scope, AuditRow.at > bindparam("since"))
        .scalar_subquery()
    )


# Built once: this runs for every digest, so it should cost one round trip and little else.
_GLOBAL_WRITES = select(_written(GLOBAL_SCOPE))
_WRITES = select(_written(GLOBAL_SCOPE), _written(bindparam("guild")))


async def _counts(conn: AsyncConnection, guild_id: int, since: datetime) -> tuple[int, int]:
    """How many global, and how many of the server's, audit rows are stamped after `since`."""
    if not guild_id:
        return int(await conn.scalar(_GLOBAL_WRITES, {"since": since}) or 0), 0
    row = (await conn.execute(_WRITES, {"since": since, "guild": guild_id})).one()
    return int(row[0]), int(row[1])


async def _audits(
    conn: AsyncConnection, scopes: tuple[int, ...], since: datetime, until: datetime
) -> list[_Audit]:
    """The window's first MAX_AUDIT_ROWS audit rows about positions and events in `scopes`."""
    rows = await conn.execute(
        select(
            AuditRow.id,
            AuditRow.entry_kind,
            AuditRow.entry_id,
            AuditRow.action,
            AuditRow.at,
            AuditRow.before,
            AuditRow.after,
        )
        .where(
            AuditRow.guild_id.in_(scopes) if len(scopes) > 1 else AuditRow.guild_id == scopes[0],
            AuditRow.entry_kind.in_(_ENTRY_KINDS),
            AuditRow.at > since,
            AuditRow.at <= until,
        )
        .order_by(AuditRow.id)
        .limit(MAX_AUDIT_ROWS)
    )
    return [_Audit(*r) for r in rows]


def _window(
    writes: int, audits: Sequence[_Audit], items: list[_Item], local: dict[int, _Statements]
) -> _Window:
    by_topic: dict[str, list[int]] = defaultdict(list)
    for i, item in enumerate(items):
        for slug in set(item.change.topics):
            by_topic[slug].append(i)
    return _Window(
        writes=writes,
        audit_rows=len(audits),
        items=tuple(items),
        by_topic={slug: tuple(ids) for slug, ids in by_topic.items()},
        entry_ids=frozenset(a.entry_id for a in audits),
        local=local,
    )


def _wanted(items: Iterable[_Item], wanted: frozenset[str]) -> list[_Item]:
    return [it for it in items if not wanted or not wanted.isdisjoint(it.change.topics)]


async def _build(
    conn: AsyncConnection, snap: CatalogSnapshot, scopes: tuple[int, ...], audits: Sequence[_Audit]
) -> list[_Item]:
    """Every digest item of these audit rows (entries of `scopes`), in order of first audit row."""
    by_entry: dict[str, list[_Audit]] = {}
    for a in audits:
        by_entry.setdefault(a.entry_id, []).append(a)
    position_ids = [e for e, rows in by_entry.items() if rows[0].entry_kind == "position"]
    event_ids = [e for e, rows in by_entry.items() if rows[0].entry_kind == "event"]
    positions = {
        r.id: r
        for r in await _rows_in(
            conn,
            select(
                PositionRow.id,
                PositionRow.actor_id,
                PositionRow.topic_id,
                PositionRow.stance,
                PositionRow.stated_on,
                PositionRow.precision,
                PositionRow.status,
                PositionRow.status_note,
                PositionRow.gist,
                PositionRow.summary,
                PositionRow.sources,
                PositionRow.removed_at,
            ).where(PositionRow.guild_id.in_(scopes)),
            PositionRow.id,
            position_ids,
        )
    }
    events = {
        r.id: r
        for r in await _rows_in(
            conn,
            select(
                EventRow.id,
                EventRow.title,
                EventRow.occurred_on,
                EventRow.precision,
                EventRow.status,
                EventRow.status_note,
                EventRow.sources,
                EventRow.removed_at,
            ).where(EventRow.guild_id.in_(scopes)),
            EventRow.id,
            event_ids,
        )
    }
    event_topics: dict[str, list[int]] = defaultdict(list)
    for ev_id, t_id in await _rows_in(
        conn,
        select(EventTopicRow.event_id, EventTopicRow.topic_id).where(EventTopicRow.guild_id.in_(scopes)),
        EventTopicRow.event_id,
        list(events),
    ):
        event_topics[ev_id].append(t_id)
    kinds = {
        entry_id: _kind(row.removed_at is not None, by_entry[entry_id])
        for entry_id, row in (*positions.items(), *events.items())
    }
    previous = await _previous(
        conn, scopes, [row for entry_id, row in positions.items() if kinds[entry_id] == "new"]
    )
    items: list[_Item] = []
    for entry_id, rows in by_entry.items():
        kind = kinds.get(entry_id)
        if kind is None:
            continue
        if (prow := positions.get(entry_id)) is not None:
            item = _position_item(snap, prow, rows, kind, previous.get(entry_id))
        else:
            erow = events[entry_id]
            slugs = tuple(t.slug for t in (snap.topics.get(i) for i in event_topics[entry_id]) if t)
            item = _Item(rows[0].id, _event_change(erow, rows, kind, slugs))
        if item is not None:
            items.append(item)
    return items


async def _rows_in(conn: AsyncConnection, stmt: Any, column: Any, values: Sequence[Any]) -> list[Any]:
    """Rows of `stmt` whose `column` is one of `values`, read in chunks."""
    out: list[Any] = []
    for start in range(0, len(values), MAX_AUDIT_ROWS):
        out += (await conn.execute(stmt.where(column.in_(values[start : start + MAX_AUDIT_ROWS])))).all()
    return out


async def _previous(
    conn: AsyncConnection, scopes: tuple[int, ...], rows: Sequence[Any]
) -> dict[str, _Stated]:
    """For each new position: the latest other live statement of its actor on its topic in `scopes`
    stated on or before it (one query per _CHUNK actor–topic pairs)."""
    if not rows:
        return {}
    pairs = sorted({(r.actor_id, r.topic_id) for r in rows})
    by_pair: dict[tuple[int, int], list[tuple[str, _Stated]]] = defaultdict(list)
    async for r in _live_statements(conn, pairs, PositionRow.guild_id.in_(scopes), PositionRow.id):
        by_pair[(r.actor_id, r.topic_id)].append(
            (r.id, _Stated(r.stated_on, r.created_at or _EARLIEST, r.stance))
        )
    out: dict[str, _Stated] = {}
    for row in rows:
        best = _latest(
            stated
            for other_id, stated in by_pair[(row.actor_id, row.topic_id)]
            if other_id != row.id and stated.stated_on <= row.stated_on
        )
        if best is not None:
            out[row.id] = best
    return out


async def _live_statements(
    conn: AsyncConnection, pairs: Sequence[tuple[int, int]], scope: Any, first: Any
) -> AsyncIterator[Any]:
    """Live statements matching `scope` on these (actor, topic) pairs: rows of `first`, actor,
    topic, date, creation time and stance, one query per _CHUNK pairs."""
    for start in range(0, len(pairs), _CHUNK):
        for r in await conn.execute(
            select(
                first,
                PositionRow.actor_id,
                PositionRow.topic_id,
                PositionRow.stated_on,
                PositionRow.created_at,
                PositionRow.stance,
            ).where(
                tuple_(PositionRow.actor_id, PositionRow.topic_id).in_(pairs[start : start + _CHUNK]),
                scope,
                PositionRow.removed_at.is_(None),
            )
        ):
            yield r


def _latest(candidates: Iterable[_Stated]) -> _Stated | None:
    best: _Stated | None = None
    for c in candidates:
        if best is None or (c.stated_on, c.created_at) > (best.stated_on, best.created_at):
            best = c
    return best


async def _local_statements(
    conn: AsyncConnection, guild_id: int | None, pairs: Iterable[tuple[int, int]]
) -> dict[int, _Statements]:
    """Live statements of one server (of every server when None) on these (actor, topic) pairs."""
    pairs = sorted(pairs)
    out: dict[int, _Statements] = defaultdict(lambda: defaultdict(list))
    scope = PositionRow.guild_id != GLOBAL_SCOPE if guild_id is None else PositionRow.guild_id == guild_id
    async for r in _live_statements(conn, pairs, scope, PositionRow.guild_id):
        out[r.guild_id][(r.actor_id, r.topic_id)].append(
            _Stated(r.stated_on, r.created_at or _EARLIEST, r.stance)
        )
    return {g: dict(statements) for g, statements in out.items()}


def _with_local_previous(items: list[_Item], local: _Statements | None) -> list[_Item]:
    """Redo the previous stance of new global statements for which the server's own statements
    (`local`) hold a later previous one: "previous" is looked for among the global and the server's own."""
    if not local:
        return items
    out = []
    for it in items:
        new = it.new
        if new is not None and (mine := local.get((new.actor_id, new.topic_id))):
            best = _latest(s for s in mine if s.stated_on <= new.stated_on)
            old = new.previous
            if best is not None and (
                old is None or (best.stated_on, best.created_at) > (old.stated_on, old.created_at)
            ):
                change = dataclasses.replace(it.change, previous_stance=best.stance)
                it = dataclasses.replace(it, change=change)
        out.append(it)
    return out


def _position_item(
    snap: CatalogSnapshot, row: Any, audits: Sequence[_Audit], kind: ChangeKind, previous: _Stated | None
) -> _Item | None:
    topic = snap.topics.get(row.topic_id)
    actor = snap.actors.get(row.actor_id)
    if topic is None or actor is None:
        return None
    new: _NewStatement | None = None
    if kind == "new":
        new = _NewStatement(row.actor_id, row.topic_id, row.stated_on, previous)
    change = Change(
        entry_id=row.id,
        entry_kind="position",
        kind=kind,
        title=f"{actor.name} on {topic.title}",
        topics=(topic.slug,),
        at=audits[-1].at,
        source_url=_first_url(row.sources),
        disputed=row.status == "disputed",
        gist=row.gist or row.summary or "",
        correction=(row.status_note or "") if row.status == "disputed" else "",
        date=FuzzyDate(row.stated_on, row.precision),
        stance=row.stance,
        previous_stance=previous.stance if new is not None and previous is not None else "",
        fields=_field_changes(audits) if kind in ("updated", "corrected") else (),
    )
    return _Item(audits[0].id, change, new)


def _event_change(row: Any, audits: Sequence[_Audit], kind: ChangeKind, topics: tuple[str, ...]) -> Change:
    return Change(
        entry_id=row.id,
        entry_kind="event",
        kind=kind,
        title=row.title,
        topics=topics,
        at=audits[-1].at,
        source_url=_first_url(row.sources),
        disputed=row.status == "disputed",
        correction=(row.status_note or "") if row.status == "disputed" else "",
        date=FuzzyDate(row.occurred_on, row.precision),
        fields=() if kind == "new" else _field_changes(audits),
    )


def _kind(removed_now: bool, audits: Sequence[_Audit]) -> ChangeKind | None:
    actions = [a.action for a in audits]
    if "create" in actions:
        return None if removed_now else "new"
    if actions[-1] == "remove":
        return "removed"
    if actions[-1] == "restore":
        return "restored"
    for a in audits:
        if (a.after or {}).get("status") == "disputed" and (a.before or {}).get("status") != "disputed":
            return "corrected"
    return "updated"


def _field_changes(audits: Sequence[_Audit]) -> tuple[FieldChange, ...]:
    """The fields the window's updates changed, by name; stance and status with their first and last value."""
    first: dict[str, Any] = {}
    last: dict[str, Any] = {}
    for a in audits:
        if a.action != "update":
            continue
        for key, value in (a.before or {}).items():
            first.setdefault(key, value)
        last.update(a.after or {})
    out: list[FieldChange] = []
    for key in sorted(last):
        if first.get(key) == last.get(key):
            continue
        if key in ("stance", "status"):
            out.append(FieldChange(key, _text(first.get(key)), _text(last.get(key))))
        else:
            out.append(FieldChange(key))
    return tuple(out)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _first_url(sources: Any) -> str:
    for s in sources or ():
        url = str((s or {}).get("url", ""))
        if url.startswith(("https://", "http://")):
            return url
    return ""
