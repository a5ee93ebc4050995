"""A topic's visible events by date, read from one index of `event_topics` (see EventTopicRow).

The index is ordered (topic, removed, date, id) and carries each event's scope and precision, so
counting the events in a date window and reading page N are both range scans of that index:
their cost grows with the topic's size only as an index walk, never as event-row lookups.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, false, func, or_, select

from bot.db.models import EventActorRow, EventRow, EventTopicRow, table_of
from bot.domain import FuzzyDate

ET = EventTopicRow


def dated_filter(
    topic_id: int,
    scopes: tuple[int, ...],
    since: FuzzyDate | None = None,
    until: FuzzyDate | None = None,
    actor_id: int | None = None,
) -> list[ColumnElement[bool]]:
    """The conditions for the topic's visible events in `scopes` whose period overlaps since..until.

    Events dated to a month or a year are stored on the period's first day: such an event is in
    the window if its month (year) reaches `since`, so only the year before `since` needs the
    precision to decide.
    """
    scope = ET.guild_id == scopes[0] if len(scopes) == 1 else ET.guild_id.in_(scopes)
    where: list[ColumnElement[bool]] = [ET.topic_id == topic_id, ET.removed == false(), scope]
    if until is not None:
        where.append(ET.occurred_on <= until.end)
    if since is not None:
        v = since.value
        where.append(ET.occurred_on >= date(v.year, 1, 1))
        where.append(
            or_(
                ET.occurred_on >= v,
                ET.precision == "year",
                and_(ET.precision == "month", ET.occurred_on >= date(v.year, v.month, 1)),
            )
        )
    if actor_id is not None:
        where.append(
            exists().where(
                EventActorRow.event_id == ET.event_id,
                EventActorRow.guild_id == ET.guild_id,
                EventActorRow.actor_id == actor_id,
            )
        )
    return where


def count_stmt(where: list[ColumnElement[bool]]) -> Select[int]:
    """How many events match."""
    return select(func.count()).select_from(ET).where(*where)


def page_rows_stmt(
    where: list[ColumnElement[bool]], offset: int, limit: int, *, newest_first: bool = False
) -> Select[Any]:
    """The matching events' rows (every column of `events`) from `offset` (the index finds them;
    then one lookup each)."""
    order = (ET.occurred_on.desc(), ET.event_id.desc()) if newest_first else (ET.occurred_on, ET.event_id)
    events = table_of(EventRow)
    return (
        select(*events.c)
        .join(ET, and_(ET.event_id == events.c.id, ET.guild_id == events.c.guild_id))
        .where(*where)
        .order_by(*order)
        .offset(offset)
        .limit(limit)
    )
