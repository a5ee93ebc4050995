"""What changed in a window, from the audit log: new and changed positions (old stance → new),
new events, corrections, removals — the items of a digest."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import AuditRow, EventRow, EventTopicRow, PositionRow
from bot.digest.types import Change, ChangeKind
from bot.domain import FuzzyDate
from bot.store.catalog import Catalog
from bot.store.reads import visible_scopes

MAX_CHANGES = 500


class ChangeLog:
    """Reads the audit log as digest items for one server."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], catalog: Catalog) -> None:
        self._sessions = sessions
        self._catalog = catalog

    async def between(
        self, guild_id: int, topics: Sequence[str], since: datetime, until: datetime
    ) -> list[Change]:
        """Changes to entries the server sees, in `topics` (all if empty), after `since` up to `until`."""
        scopes = visible_scopes(guild_id)
        async with self._sessions() as session:
            audits = (
                await session.scalars(
                    select(AuditRow)
                    .where(
                        AuditRow.guild_id.in_(scopes),
                        AuditRow.entry_kind.in_(("position", "event")),
                        AuditRow.at > since,
                        AuditRow.at <= until,
                    )
                    .order_by(AuditRow.id)
                    .limit(MAX_CHANGES * 4)
                )
            ).all()
            by_entry: dict[str, list[AuditRow]] = defaultdict(list)
            for a in audits:
                by_entry[a.entry_id].append(a)
            ids = list(by_entry)
            positions = {
                r.id: r
                for r in await session.scalars(
                    select(PositionRow).where(PositionRow.id.in_(ids), PositionRow.guild_id.in_(scopes))
                )
            }
            events = {
                r.id: r
                for r in await session.scalars(
                    select(EventRow).where(EventRow.id.in_(ids), EventRow.guild_id.in_(scopes))
                )
            }
            event_topics: dict[str, list[int]] = defaultdict(list)
            for ev_id, t_id in await session.execute(
                select(EventTopicRow.event_id, EventTopicRow.topic_id).where(
                    EventTopicRow.event_id.in_(list(events))
                )
            ):
                event_topics[ev_id].append(t_id)
            snap = await self._catalog.get()
            wanted = set(topics)
            out: list[Change] = []
            for entry_id, rows in by_entry.items():
                if (prow := positions.get(entry_id)) is not None:
                    topic = snap.topics.get(prow.topic_id)
                    actor = snap.actors.get(prow.actor_id)
                    if topic is None or actor is None or (wanted and topic.slug not in wanted):
                        continue
                    change = await self._position_change(
                        session, prow, rows, actor.name, topic.title, topic.slug, scopes
                    )
                elif (erow := events.get(entry_id)) is not None:
                    slugs = tuple(t.slug for t in (snap.topics.get(i) for i in event_topics[entry_id]) if t)
                    if wanted and not wanted.intersection(slugs):
                        continue
                    change = _event_change(erow, rows, slugs)
                else:
                    continue
                if change is not None:
                    out.append(change)
                if len(out) >= MAX_CHANGES:
                    break
        return out

    async def _position_change(
        self,
        session: AsyncSession,
        row: PositionRow,
        audits: Sequence[AuditRow],
        actor_name: str,
        topic_title: str,
        topic_slug: str,
        scopes: tuple[int, ...],
    ) -> Change | None:
        kind = _kind(row.removed_at is not None, audits)
        if kind is None:
            return None
        if kind == "new":
            previous = await session.scalar(
                select(PositionRow.stance)
                .where(
                    PositionRow.actor_id == row.actor_id,
                    PositionRow.topic_id == row.topic_id,
                    PositionRow.guild_id.in_(scopes),
                    PositionRow.removed_at.is_(None),
                    PositionRow.id != row.id,
                    PositionRow.stated_on <= row.stated_on,
                )
                .order_by(PositionRow.stated_on.desc(), PositionRow.created_at.desc())
                .limit(1)
            )
            detail = (
                f"{previous} → {row.stance}"
                if previous and previous != row.stance
                else f"{row.stance} (new statement)"
            )
        else:
            detail = _field_changes(audits) if kind in ("updated", "corrected") else ""
        stated = FuzzyDate(row.stated_on, row.precision).human()  # type: ignore[arg-type]
        return Change(
            entry_id=row.id,
            entry_kind="position",
            kind=kind,
            title=f"{actor_name} on {topic_title}",
            detail=f"{detail} · stated {stated}".strip(" ·"),
            topics=(topic_slug,),
            at=audits[-1].at,
            source_url=_first_url(row.sources),
            disputed=row.status == "disputed",
        )


def _event_change(row: EventRow, audits: Sequence[AuditRow], topics: tuple[str, ...]) -> Change | None:
    kind = _kind(row.removed_at is not None, audits)
    if kind is None:
        return None
    when = FuzzyDate(row.occurred_on, row.precision).human()  # type: ignore[arg-type]
    detail = when if kind == "new" else _field_changes(audits)
    return Change(
        entry_id=row.id,
        entry_kind="event",
        kind=kind,
        title=row.title,
        detail=detail,
        topics=topics,
        at=audits[-1].at,
        source_url=_first_url(row.sources),
        disputed=row.status == "disputed",
    )


def _kind(removed_now: bool, audits: Sequence[AuditRow]) -> ChangeKind | None:
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


def _field_changes(audits: Sequence[AuditRow]) -> str:
    first: dict[str, Any] = {}
    last: dict[str, Any] = {}
    for a in audits:
        if a.action != "update":
            continue
        for key, value in (a.before or {}).items():
            first.setdefault(key, value)
        last.update(a.after or {})
    parts = []
    for key in sorted(last):
        if first.get(key) == last.get(key):
            continue
        if key in ("stance", "status"):
            parts.append(f"{key}: {first.get(key)} → {last.get(key)}")
        else:
            parts.append(f"{key} revised")
    return "; ".join(parts)


def _first_url(sources: Any) -> str:
    for s in sources or ():
        url = str((s or {}).get("url", ""))
        if url.startswith(("https://", "http://")):
            return url
    return ""
