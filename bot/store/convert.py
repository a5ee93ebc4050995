"""Between table rows (Core rows; ORM rows in exports) and domain objects (and the plain dicts kept in JSON columns and the audit log)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Row

from bot.db.models import EventRow, PositionRow
from bot.domain import (
    Actor,
    Event,
    FuzzyDate,
    Position,
    Source,
    SourceRole,
    Stance,
    Status,
    Topic,
    Verification,
)


def source_to_dict(source: Source) -> dict[str, str]:
    """A source as stored in a JSON column."""
    out = {"url": source.url, "publisher": source.publisher}
    if source.via:
        out["via"] = source.via
    if source.title:
        out["title"] = source.title
    if source.published is not None:
        out["date"] = source.published.iso()
    if source.role is not None:
        out["role"] = source.role.value
    return out


def source_from_dict(data: dict[str, Any]) -> Source:
    """A source read back from a JSON column."""
    raw_date = data.get("date")
    raw_role = data.get("role")
    return Source(
        url=str(data.get("url", "")),
        publisher=str(data.get("publisher", "")),
        title=str(data.get("title", "")),
        published=FuzzyDate.parse(raw_date) if raw_date else None,
        via=str(data.get("via", "")),
        role=SourceRole(raw_role) if raw_role else None,
    )


def verification_from(value: str | None) -> Verification | None:
    """An entry's `verification` column read back (NULL or empty: none)."""
    return Verification(value) if value else None


def sources_from(data: Iterable[dict[str, Any]] | None) -> tuple[Source, ...]:
    return tuple(source_from_dict(d) for d in data or ())


def position_from_row(row: PositionRow | Row[Any], actor: Actor, topic: Topic, *, current: bool) -> Position:
    """A domain Position from its row and its (already resolved) actor and topic."""
    return Position(
        id=row.id,
        actor=actor,
        topic=topic,
        stance=Stance(row.stance),
        summary=row.summary,
        stated=FuzzyDate(row.stated_on, row.precision),
        sources=sources_from(row.sources),
        status=Status(row.status),
        status_note=row.status_note or "",
        key_points=tuple(row.key_points or ()),
        quote=row.quote or "",
        speaker=row.speaker or "",
        verification=verification_from(row.verification),
        gist=row.gist or "",
        guild_id=row.guild_id,
        current=current,
        removed=row.removed_at is not None,
    )


def event_from_row(row: EventRow | Row[Any], actors: Sequence[Actor], topics: Sequence[Topic]) -> Event:
    """A domain Event from its row and its (already resolved) actors and topics."""
    return Event(
        id=row.id,
        date=FuzzyDate(row.occurred_on, row.precision),
        title=row.title,
        summary=row.summary,
        sources=sources_from(row.sources),
        actors=tuple(actors),
        topics=tuple(topics),
        status=Status(row.status),
        status_note=row.status_note or "",
        verification=verification_from(row.verification),
        guild_id=row.guild_id,
        removed=row.removed_at is not None,
    )
