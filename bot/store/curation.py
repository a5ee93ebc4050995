"""Curator writes: add, record, edit, remove, restore, history, and the curator role.

Every write goes through the same path as a file import — the dataset schema validates each
field (so errors name the field and reason), and one transaction upserts, audits and reindexes.
Scope rules live here, not in Discord code: global entries are written by the bot's owners only;
a server's curators write that server's entries; another server's entries are invisible.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.dataset.dump import event_mapping, position_mapping
from bot.dataset.parse import parse_data
from bot.dataset.records import Dataset
from bot.db.models import AuditRow, EventRow, EventTopicRow, GuildSettingsRow, PositionRow, utcnow
from bot.db.search import SearchBackend
from bot.domain import GLOBAL_SCOPE, FuzzyDate, Revision
from bot.errors import Forbidden, InvalidInput, NotFound
from bot.store.audit_gate import enter_audited_write
from bot.store.entry_ids import id_base, normalise_digits, random_word, slug_words
from bot.store.reads import Reads
from bot.store.writes import ImportReport, Writes, bump_content_version

EDITABLE_POSITION_FIELDS: tuple[str, ...] = (
    "stance",
    "gist",
    "summary",
    "key_points",
    "quote",
    "speaker",
    "date",
    "status",
    "status_note",
)
EDITABLE_EVENT_FIELDS: tuple[str, ...] = ("title", "summary", "date", "status", "status_note")


@dataclass(frozen=True, slots=True)
class Writer:
    """Who is writing, and what Discord says they may do."""

    user_id: int
    guild_id: int | None
    is_owner: bool = False
    can_curate: bool = False  # Manage Server or the server's curator role, in `guild_id`


def _check_scope(writer: Writer, scope: int) -> None:
    if scope == GLOBAL_SCOPE:
        if not writer.is_owner:
            raise Forbidden("only the bot's owners can change global entries; add a server entry instead")
        return
    if scope != writer.guild_id:
        raise NotFound("entry", "?")  # another server's: do not reveal it exists
    if not (writer.can_curate or writer.is_owner):
        raise Forbidden("you need the Manage Server permission or this server's curator role")


def target_scope(writer: Writer, global_scope: bool) -> int:
    """The scope a new entry goes to: global (owners only) or the writer's server."""
    if global_scope:
        _check_scope(writer, GLOBAL_SCOPE)
        return GLOBAL_SCOPE
    if writer.guild_id is None:
        raise InvalidInput("scope", "outside a server only global entries exist; use scope global")
    _check_scope(writer, writer.guild_id)
    return writer.guild_id


def _first_problem(report_problems: Sequence[Any]) -> InvalidInput:
    p = report_problems[0]
    field = p.field or p.entry or "input"
    more = f" (and {len(report_problems) - 1} more problem(s))" if len(report_problems) > 1 else ""
    return InvalidInput(field, f"{p.reason}{more}")


def _date_text(typed: str | None) -> str:
    """A typed date at its precision (`2025`, `2025-08`, `2025-08-01`), any script's digits accepted."""
    try:
        return FuzzyDate.parse(normalise_digits(typed or "")).iso()
    except ValueError as exc:
        raise InvalidInput("date", str(exc)) from None


def _added_id(report: ImportReport) -> str:
    """The id of the one entry a command added (`report.added` holds `"event ev-…"`)."""
    return report.added[0].split(" ", 1)[1]


def source_from_url(url: str) -> dict[str, str]:
    """A source entry for a bare URL: the publisher is its host name."""
    host = urlsplit(url.strip()).hostname or ""
    host = host.removeprefix("www.")
    return {"url": url.strip(), "publisher": host[:100] or "source"}


class Curation:
    """Curator writes, each in one transaction with its audit row."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        reads: Reads,
        writes: Writes,
        search_backend: SearchBackend,
    ) -> None:
        self._sessions = sessions
        self._reads = reads
        self._writes = writes
        self._search = search_backend

    async def _apply(
        self,
        document: Mapping[str, Any],
        scope: int,
        writer: Writer,
        reason: str,
        *,
        new_entries: bool = False,
        based_on: tuple[str, int] | None = None,
    ) -> ImportReport:
        ds, problems = parse_data(dict(document), "input")
        if problems:
            raise _first_problem(problems)
        report = await self._writes.import_dataset(
            ds,
            guild_id=scope,
            user_id=writer.user_id,
            reason=reason,
            new_entries=new_entries,
            based_on=based_on,
        )
        if report.problems:
            raise _first_problem(report.problems)
        return report

    async def add_actor(
        self,
        writer: Writer,
        *,
        slug: str,
        name: str,
        kind: str,
        aliases: Sequence[str],
        global_scope: bool = False,
    ) -> str:
        """Create an actor; InvalidInput if the slug is taken or a field is bad."""
        scope = target_scope(writer, global_scope)
        await self._refuse_taken_slug("actor", slug, scope)
        doc = {"actors": [{"slug": slug, "name": name, "kind": kind, "aliases": list(aliases)}]}
        await self._apply(doc, scope, writer, "admin actor-add")
        return slug

    async def add_topic(
        self, writer: Writer, *, slug: str, title: str, summary: str, global_scope: bool = False
    ) -> str:
        """Create a topic; InvalidInput if the slug is taken or a field is bad."""
        scope = target_scope(writer, global_scope)
        await self._refuse_taken_slug("topic", slug, scope)
        await self._apply(
            {"topics": [{"slug": slug, "title": title, "summary": summary}]}, scope, writer, "admin topic-add"
        )
        return slug

    async def _refuse_taken_slug(self, kind: str, slug: str, scope: int) -> None:
        snap = await self._reads.catalog.get()
        index = snap.actors if kind == "actor" else snap.topics
        if index.taken(scope or None, slug) is None:
            return
        raise InvalidInput("slug", f"{slug!r} is already a {kind} here; pick another slug")

    async def set_position(
        self,
        writer: Writer,
        *,
        actor: str,
        topic: str,
        stance: str,
        summary: str,
        source_url: str,
        date: str | None = None,
        quote: str = "",
        speaker: str = "",
        gist: str = "",
        global_scope: bool = False,
        reason: str = "admin position-set",
    ) -> str:
        """Record a new statement; the previous one stays in history. Returns the new id."""
        scope = target_scope(writer, global_scope)
        actor_obj = await self._reads.resolve_actor(scope or None, actor)
        topic_obj = await self._reads.resolve_topic(scope or None, topic)
        when = _date_text(date) if (date or "").strip() else datetime.now(UTC).date().isoformat()
        stem = id_base("pos", actor_obj.slug[:20], topic_obj.slug[:20], when)
        doc = {
            "positions": [
                {
                    "id": stem,
                    "actor": actor_obj.slug,
                    "topic": topic_obj.slug,
                    "stance": stance,
                    **({"gist": gist} if gist.strip() else {}),
                    "summary": summary,
                    "date": when,
                    "status": "reported",
                    "sources": [source_from_url(source_url)],
                    **({"quote": quote} if quote.strip() else {}),
                    **({"speaker": speaker} if speaker.strip() else {}),
                }
            ]
        }
        report = await self._apply(doc, scope, writer, reason, new_entries=True)
        return _added_id(report)

    async def add_event(
        self,
        writer: Writer,
        *,
        topic: str,
        date: str,
        title: str,
        summary: str,
        source_url: str,
        actors: Sequence[str] = (),
        global_scope: bool = False,
        reason: str = "admin event-add",
    ) -> str:
        """Record an event at the date's precision. Returns the new id."""
        scope = target_scope(writer, global_scope)
        topic_obj = await self._reads.resolve_topic(scope or None, topic)
        actor_slugs = [(await self._reads.resolve_actor(scope or None, a)).slug for a in actors]
        when = _date_text(date)
        stem = id_base("ev", when, slug_words(title) or random_word())
        doc = {
            "events": [
                {
                    "id": stem,
                    "date": when,
                    "title": title,
                    "summary": summary,
                    "topics": [topic_obj.slug],
                    "actors": actor_slugs,
                    "status": "reported",
                    "sources": [source_from_url(source_url)],
                }
            ]
        }
        report = await self._apply(doc, scope, writer, reason, new_entries=True)
        return _added_id(report)

    async def _owned_row(
        self, session: AsyncSession, writer: Writer, entry_id: str
    ) -> PositionRow | EventRow:
        row = await _visible_row(session, writer.guild_id, entry_id)
        if row is None:
            raise NotFound("entry", entry_id)
        _check_scope(writer, row.guild_id)
        return row

    async def editable(self, writer: Writer, entry_id: str) -> tuple[str, dict[str, str], int]:
        """The kind, current editable text and revision of an entry the writer may edit (for the modal).

        The revision (the id of the entry's latest audit row) goes back with the save: a save
        based on an older one is refused instead of overwriting the newer text.
        """
        async with self._sessions() as session:
            row = await self._owned_row(session, writer, entry_id)
            revision = await session.scalar(
                select(func.max(AuditRow.id)).where(
                    AuditRow.entry_id == row.id,
                    AuditRow.guild_id == row.guild_id,
                    AuditRow.entry_kind.in_(("position", "event")),
                )
            )
        record = await self._record(row)
        if isinstance(row, PositionRow):
            p = record.positions[0]
            return (
                "position",
                {
                    "gist": p.gist,
                    "summary": p.summary,
                    "key_points": "\n".join(p.key_points),
                    "quote": p.quote,
                    "status": p.status.value,
                    "status_note": p.status_note,
                },
                revision or 0,
            )
        e = record.events[0]
        return (
            "event",
            {
                "title": e.title,
                "summary": e.summary,
                "date": e.date.iso(),
                "status": e.status.value,
                "status_note": e.status_note,
            },
            revision or 0,
        )

    async def _record(self, row: PositionRow | EventRow) -> Dataset:
        return await self._reads.export(row.guild_id, only_ids={row.id}, with_removed=True)

    async def edit_entry(
        self,
        writer: Writer,
        entry_id: str,
        changes: Mapping[str, str],
        reason: str = "",
        *,
        based_on: int | None = None,
    ) -> bool:
        """Apply text changes to an entry, recording a revision. False if nothing changed.

        `based_on`: the revision `editable` gave when the form opened; StaleEdit if it moved on.
        """
        async with self._sessions() as session:
            row = await self._owned_row(session, writer, entry_id)
        record = await self._record(row)
        if isinstance(row, PositionRow):
            mapping = position_mapping(record.positions[0])
            allowed, section = EDITABLE_POSITION_FIELDS, "positions"
        else:
            mapping = event_mapping(record.events[0])
            allowed, section = EDITABLE_EVENT_FIELDS, "events"
        for key, value in changes.items():
            if key not in allowed:
                raise InvalidInput(key, "this field cannot be edited here")
            if key == "key_points":
                mapping[key] = [line.strip() for line in value.splitlines() if line.strip()]
            elif key in ("gist", "quote", "speaker", "status_note") and not value.strip():
                mapping.pop(key, None)
            elif key == "date":
                mapping[key] = _date_text(value)
            else:
                mapping[key] = value
        report = await self._apply(
            {section: [mapping]},
            row.guild_id,
            writer,
            reason.strip() or "admin entry-edit",
            based_on=None if based_on is None else (row.id, based_on),
        )
        return bool(report.changed)

    async def set_removed(self, writer: Writer, entry_id: str, *, removed: bool, reason: str = "") -> None:
        """Soft-delete (hide from users) or restore an entry, audited."""
        async with self._sessions() as session, session.begin():
            await enter_audited_write(session)
            row = await self._owned_row(session, writer, entry_id)
            if (row.removed_at is not None) == removed:
                raise InvalidInput("id", f"{row.id} is already {'removed' if removed else 'visible'}")
            row.removed_at = utcnow() if removed else None
            row.updated_at = utcnow()
            kind = "position" if isinstance(row, PositionRow) else "event"
            if kind == "event":
                await session.execute(
                    update(EventTopicRow)
                    .where(EventTopicRow.event_id == row.id, EventTopicRow.guild_id == row.guild_id)
                    .values(removed=removed)
                )
            session.add(
                AuditRow(
                    guild_id=row.guild_id,
                    entry_kind=kind,
                    entry_id=row.id,
                    action="remove" if removed else "restore",
                    user_id=writer.user_id,
                    before={"visible": removed},
                    after={"visible": not removed},
                    reason=reason.strip(),
                )
            )
            if removed:
                await self._search.delete(session, row.id, row.guild_id)
            await bump_content_version(session)
        self._reads.catalog.invalidate()
        if not removed:
            await self._reindex(row)

    async def _reindex(self, row: PositionRow | EventRow) -> None:
        record = await self._record(row)
        async with self._sessions() as session, session.begin():
            await self._writes.reindex(session, record, row.guild_id)
            await bump_content_version(session)  # searches cached before the reindex are stale
        self._reads.catalog.invalidate()

    async def history(self, writer: Writer, entry_id: str) -> list[Revision]:
        """Every recorded change to an entry the writer may see, oldest first."""
        async with self._sessions() as session:
            row = await _visible_row(session, writer.guild_id, entry_id)
            if row is None:
                raise NotFound("entry", entry_id)
            audits = (
                await session.scalars(
                    select(AuditRow)
                    .where(
                        AuditRow.entry_id == row.id,
                        AuditRow.guild_id == row.guild_id,
                        AuditRow.entry_kind.in_(("position", "event")),
                    )
                    .order_by(AuditRow.id)
                )
            ).all()
        return [
            Revision(
                entry_id=a.entry_id,
                action=a.action,
                user_id=a.user_id,
                at=a.at,
                changes=_diff(a.before, a.after),
                reason=a.reason or "",
            )
            for a in audits
        ]

    async def curator_role(self, guild_id: int) -> int | None:
        """The role id whose members may curate this server, if set."""
        async with self._sessions() as session:
            row = await session.get(GuildSettingsRow, guild_id)
            return row.curator_role_id if row else None

    async def set_curator_role(self, guild_id: int, role_id: int | None, user_id: int) -> None:
        """Set (or clear) the curator role, audited."""
        async with self._sessions() as session, session.begin():
            await enter_audited_write(session)
            row = await session.get(GuildSettingsRow, guild_id)
            before = row.curator_role_id if row else None
            if row is None:
                session.add(GuildSettingsRow(guild_id=guild_id, curator_role_id=role_id))
            else:
                row.curator_role_id, row.updated_at = role_id, utcnow()
            session.add(settings_audit(guild_id, "curator-role", user_id, before, role_id))


def settings_audit(
    guild_id: int, setting: str, user_id: int, before: int | None, after: int | None
) -> AuditRow:
    """The audit row of a change to one of a server's settings (`curator-role`, `review-channel`)."""
    key = setting.replace("-", "_")
    return AuditRow(
        guild_id=guild_id,
        entry_kind="settings",
        entry_id=setting,
        action="update",
        user_id=user_id,
        before={key: before},
        after={key: after},
    )


async def _visible_row(
    session: AsyncSession, guild_id: int | None, entry_id: str
) -> PositionRow | EventRow | None:
    """The position or event `entry_id` among the global entries and the server's own (its own
    first); None if neither has it. Another server's entry of that id is in another namespace."""
    key = entry_id.strip().lower()
    scopes = (GLOBAL_SCOPE, guild_id) if guild_id else (GLOBAL_SCOPE,)
    position = await session.scalar(
        select(PositionRow)
        .where(PositionRow.id == key, PositionRow.guild_id.in_(scopes))
        .order_by(PositionRow.guild_id.desc())  # own first
        .limit(1)
    )
    if position is not None:
        return position
    return await session.scalar(
        select(EventRow)
        .where(EventRow.id == key, EventRow.guild_id.in_(scopes))
        .order_by(EventRow.guild_id.desc())
        .limit(1)
    )


def _diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, tuple[object, object]]:
    before, after = before or {}, after or {}
    return {
        k: (before.get(k), after.get(k))
        for k in sorted(set(before) | set(after))
        if before.get(k) != after.get(k)
    }
