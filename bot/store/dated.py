"""A topic's visible events by date, read from one index of `event_topics` (see EventTopicRow).

The index is ordered (topic, removed, date, id) and carries each event's scope and precision, so
counting the events in a date window and reading page N are both range scans of that index:
their cost grows with the topic's size only as an index walk, never as event-row lookups.

The statements are built once per shape (which of since, until and actor are given) with bound
parameters: building a statement and its cache key costs more than SQLite takes to run it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

import orjson
from sqlalchemy import ColumnElement, Row, Select, and_, bindparam, exists, false, func, or_, select

from bot.db.models import EventActorRow, EventRow, EventTopicRow, table_of
from bot.domain import FuzzyDate

ET = EventTopicRow


@dataclass(frozen=True, slots=True)
class DatedWindow:
    """The topic's visible events in `scopes` whose period overlaps since..until (and naming the actor).

    Events dated to a month or a year are stored on the period's first day: such an event is in
    the window if its month (year) reaches `since`, so only the year before `since` needs the
    precision to decide.
    """

    topic_id: int
    scopes: tuple[int, ...]
    since: FuzzyDate | None = None
    until: FuzzyDate | None = None
    actor_id: int | None = None

    def params(self, offset: int = 0, limit: int = 0) -> dict[str, Any]:
        """The bound values of `count_stmt` and `page_stmt` (`offset` and `limit`: the page's)."""
        out: dict[str, Any] = {"topic": self.topic_id, "offset": offset, "limit": limit}
        if len(self.scopes) == 1:
            out["scope"] = self.scopes[0]
        else:
            out["scopes"] = list(self.scopes)
        if self.until is not None:
            out["until"] = self.until.end
        if self.since is not None:
            v = self.since.value
            out.update(since=v, since_year=date(v.year, 1, 1), since_month=date(v.year, v.month, 1))
        if self.actor_id is not None:
            out["actor"] = self.actor_id
        return out

    def count_stmt(self) -> Select[Any]:
        """How many events match."""
        return _count(*self._shape())

    def page_stmt(self, *, newest_first: bool = False, with_total: bool = False) -> Select[Any]:
        """The matching events' rows (every column of `events`), `limit` from `offset` (the index
        finds them; then one lookup each). `with_total`: each row also holds `total`, the count of
        `count_stmt`, so a page and the count take one round trip."""
        return _page(*self._shape(), newest_first, with_total)

    def _shape(self) -> tuple[bool, bool, bool, bool]:
        return (
            self.since is not None,
            self.until is not None,
            self.actor_id is not None,
            len(self.scopes) == 1,
        )


@cache
def _conditions(since: bool, until: bool, actor: bool, one_scope: bool) -> tuple[ColumnElement[bool], ...]:
    # one scope: an equality, which the planner reads as such
    scope = (
        ET.guild_id == bindparam("scope")
        if one_scope
        else ET.guild_id.in_(bindparam("scopes", expanding=True))
    )
    where: list[ColumnElement[bool]] = [ET.topic_id == bindparam("topic"), ET.removed == false(), scope]
    if until:
        where.append(ET.occurred_on <= bindparam("until"))
    if since:
        where.append(ET.occurred_on >= bindparam("since_year"))
        where.append(
            or_(
                ET.occurred_on >= bindparam("since"),
                ET.precision == "year",
                and_(ET.precision == "month", ET.occurred_on >= bindparam("since_month")),
            )
        )
    if actor:
        where.append(
            exists().where(
                EventActorRow.event_id == ET.event_id,
                EventActorRow.guild_id == ET.guild_id,
                EventActorRow.actor_id == bindparam("actor"),
            )
        )
    return tuple(where)


@cache
def _count(since: bool, until: bool, actor: bool, one_scope: bool) -> Select[Any]:
    return select(func.count()).select_from(ET).where(*_conditions(since, until, actor, one_scope))


@cache
def _page(
    since: bool, until: bool, actor: bool, one_scope: bool, newest_first: bool, with_total: bool
) -> Select[Any]:
    # The page's keys come from the index alone, and only they are looked up in `events`: with the
    # join inside, SQLite would look up every event OFFSET skips (page 200 of a topic: 2,000 rows).
    page = (
        select(ET.event_id, ET.guild_id, ET.occurred_on)
        .where(*_conditions(since, until, actor, one_scope))
        .order_by(*_order(ET.occurred_on, ET.event_id, newest_first))
        .offset(bindparam("offset"))
        .limit(bindparam("limit"))
        .subquery()
    )
    events = table_of(EventRow)
    columns: list[Any] = list(events.c)
    if with_total:
        columns.append(_count(since, until, actor, one_scope).scalar_subquery().label("total"))
    return (
        select(*columns)
        .join(page, and_(page.c.event_id == events.c.id, page.c.guild_id == events.c.guild_id))
        .order_by(*_order(page.c.occurred_on, page.c.event_id, newest_first))
    )


def _order(day: Any, event_id: Any, newest_first: bool) -> tuple[Any, Any]:
    return (day.desc(), event_id.desc()) if newest_first else (day, event_id)


Links = dict[tuple[str, int], list[int]]  # (event id, scope) → actor or topic ids


@cache
def with_links(page: Select[Any], dialect: str) -> Select[Any]:
    """`page` (a `page_stmt`) with each event's actor and topic ids as two more columns, so the
    page and its links take one round trip: arrays on PostgreSQL, JSON arrays on SQLite."""
    events = table_of(EventRow)
    aggregate = func.array_agg if dialect == "postgresql" else func.json_group_array
    actors = select(aggregate(EventActorRow.actor_id)).where(
        EventActorRow.event_id == events.c.id, EventActorRow.guild_id == events.c.guild_id
    )
    topics = select(aggregate(ET.topic_id)).where(
        ET.event_id == events.c.id, ET.guild_id == events.c.guild_id
    )
    return page.add_columns(
        actors.scalar_subquery().label("link_actors"), topics.scalar_subquery().label("link_topics")
    )


def links_of(rows: Sequence[Row[Any]]) -> tuple[Links, Links]:
    """The actor and topic ids of rows read with `with_links`, by (event id, scope)."""
    actors: Links = {}
    topics: Links = {}
    for row in rows:
        key = (row.id, row.guild_id)
        actors[key] = _ids(row.link_actors)
        topics[key] = _ids(row.link_topics)
    return actors, topics


def _ids(value: list[int] | str | None) -> list[int]:
    if value is None:  # PostgreSQL's array_agg of no rows
        return []
    return orjson.loads(value) if isinstance(value, str) else list(value)
