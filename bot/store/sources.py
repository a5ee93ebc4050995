"""Watched sources, the items they showed, and drafts in the curators' review queue.

Several processes may poll: a due source is claimed in a transaction (SKIP LOCKED on PostgreSQL;
SQLite serialises writers with BEGIN IMMEDIATE), like digests. One fetch's seen items, drafts and
the source's new state are written in one transaction, so a restart never drafts an item twice.
Accepting a draft goes through Curation.add_event / set_position — the same validation, audit log
and revisions as `/admin event-add` — after an atomic claim, so two curators never accept it twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.locks import begin_write
from bot.db.models import (
    AuditRow,
    DraftRow,
    ReviewChannelRow,
    SourceHostRow,
    SourceItemRow,
    SourceRow,
    table_of,
    utcnow,
)
from bot.domain import GLOBAL_SCOPE
from bot.errors import AlreadyDecided, Forbidden, InvalidInput, NotFound
from bot.sources.guard import AllowList, Refused, check_url
from bot.sources.schedule import next_due
from bot.sources.types import Candidate, Draft, FetchOutcome, Recorded, SourceInfo
from bot.store.audit_gate import enter_audited_write
from bot.store.curation import Curation, Writer, settings_audit, target_scope
from bot.store.reads import Reads

MAX_SOURCES_PER_SERVER = 50
LEASE = timedelta(seconds=120)
STALE_ACCEPT = timedelta(minutes=5)  # an "accepting" claim older than this was lost in a crash
STANCES = ("supports", "opposes", "conditional", "ambiguous")


def dedupe_key(canonical_link: str, source_id: int, identity: str) -> str:
    """Drafts of one server are one per canonical link (else per source item)."""
    raw = "l:" + canonical_link if canonical_link else f"i:{source_id}:{identity}"
    return hashlib.sha256(raw.encode()).hexdigest()[:40]


def _info(row: SourceRow, waiting: int = 0) -> SourceInfo:
    return SourceInfo(
        id=row.id,
        guild_id=row.guild_id,
        url=row.url,
        label=row.label,
        feed_title=row.feed_title,
        default_topic=row.default_topic,
        default_actors=tuple(row.default_actors or ()),
        include=tuple(row.include or ()),
        exclude=tuple(row.exclude or ()),
        active=row.active,
        last_fetch_at=row.last_fetch_at,
        last_new_item_at=row.last_new_item_at,
        last_error=row.last_error,
        failures=row.failures,
        next_due_at=row.next_due_at,
        skipped=dict(row.skipped or {}),
        waiting=waiting,
    )


async def _draft_in(session: AsyncSession, draft_id: int, scopes: tuple[int, ...]) -> DraftRow:
    """The draft if it is in one of `scopes` (the writer's queues); NotFound otherwise."""
    row = await session.get(DraftRow, draft_id)
    if row is None or row.guild_id not in scopes:
        raise NotFound("draft", str(draft_id))
    return row


async def _decide(session: AsyncSession, row: DraftRow, still: ColumnElement[bool], **values: object) -> None:
    """Set `values` on the draft in one UPDATE if `still` holds for it; AlreadyDecided (as it now
    stands) if another reviewer got there first."""
    result = await session.execute(
        update(DraftRow)
        .where(DraftRow.id == row.id, still)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    # AsyncSession.execute is typed Result even for an UPDATE, which returns a CursorResult.
    if result.rowcount != 1:  # type: ignore[attr-defined]
        await session.refresh(row)
        raise AlreadyDecided(row.id, row.status, row.decided_by)


def _scopes(writer: Writer) -> tuple[int, ...]:
    """The queues a writer reviews: their server's (curators), and the global one (owners)."""
    scopes: list[int] = []
    if writer.guild_id is not None and (writer.can_curate or writer.is_owner):
        scopes.append(writer.guild_id)
    if writer.is_owner:
        scopes.append(GLOBAL_SCOPE)
    if not scopes:
        raise Forbidden("you need the Manage Server permission or this server's curator role")
    return tuple(scopes)


class Sources:
    """Sources (curators), the fetch cycle (the poller) and the review queue (curators)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], curation: Curation, reads: Reads) -> None:
        self._sessions = sessions
        self._curation = curation
        self._reads = reads

    # --- sources -------------------------------------------------------------------------------

    async def add_source(
        self,
        writer: Writer,
        *,
        url: str,
        allow: AllowList,
        label: str = "",
        topic: str = "",
        actors: Sequence[str] = (),
        include: Sequence[str] = (),
        exclude: Sequence[str] = (),
        global_scope: bool = False,
        now: datetime | None = None,
        hold: bool = False,
    ) -> SourceInfo:
        """Watch `url` for the writer's server (or globally); InvalidInput says exactly why not.

        `hold`: not due for a lease's time, so the caller's own first fetch (poll `only`) is the first.
        """
        scope = target_scope(writer, global_scope)
        url = url.strip()
        if len(url) > 500:
            raise InvalidInput("url", "the URL is longer than 500 characters")
        try:
            host, _port = check_url(url, allow)
        except Refused as exc:
            raise InvalidInput("url", str(exc)) from None
        topic_slug = (await self._reads.resolve_topic(scope or None, topic)).slug if topic.strip() else ""
        actor_slugs = [(await self._reads.resolve_actor(scope or None, a)).slug for a in actors]
        label = " ".join(label.split())[:100] or host.removeprefix("www.")[:100]
        now = now or utcnow()
        async with self._sessions() as session, session.begin():
            await enter_audited_write(session)
            existing = await session.scalar(
                select(SourceRow.id).where(SourceRow.guild_id == scope, SourceRow.url == url)
            )
            if existing is not None:
                raise InvalidInput("url", f"this URL is already watched here as source {existing}")
            count = await session.scalar(
                select(func.count()).select_from(SourceRow).where(SourceRow.guild_id == scope)
            )
            if (count or 0) >= MAX_SOURCES_PER_SERVER:
                raise InvalidInput("url", f"a server can watch at most {MAX_SOURCES_PER_SERVER} sources")
            row = SourceRow(
                guild_id=scope,
                url=url,
                host=host.lower(),
                label=label,
                feed_title="",
                default_topic=topic_slug,
                default_actors=actor_slugs,
                include=list(include),
                exclude=list(exclude),
                active=True,
                created_by=writer.user_id,
                created_at=now,
                etag="",
                last_modified="",
                last_error="",
                failures=0,
                skipped={},
                next_due_at=now + LEASE if hold else now,
                claimed_by="",
            )
            session.add(row)
            await session.flush()
            session.add(self._audit(scope, row.id, "add", writer.user_id, None, {"url": url, "label": label}))
        return _info(row)

    @staticmethod
    def _audit(
        scope: int, source_id: int, action: str, user_id: int, before: Any, after: Any, kind: str = "source"
    ) -> AuditRow:
        return AuditRow(
            guild_id=scope,
            entry_kind=kind,
            entry_id=str(source_id),
            action=action,
            user_id=user_id,
            before=before,
            after=after,
        )

    async def _owned_source(self, session: AsyncSession, writer: Writer, source_id: int) -> SourceRow:
        row = await session.get(SourceRow, source_id)
        if row is None or row.guild_id not in (GLOBAL_SCOPE, writer.guild_id):
            raise NotFound("source", str(source_id))
        if row.guild_id == GLOBAL_SCOPE and not writer.is_owner:
            if writer.guild_id is None:
                raise NotFound("source", str(source_id))
            raise Forbidden("only the bot's owners can change global sources")
        if row.guild_id != GLOBAL_SCOPE and not (writer.can_curate or writer.is_owner):
            raise Forbidden("you need the Manage Server permission or this server's curator role")
        return row

    async def list_sources(self, writer: Writer) -> list[SourceInfo]:
        """The sources of the writer's server (and the global ones, for owners), with drafts waiting."""
        scopes = _scopes(writer)
        async with self._sessions() as session:
            rows = (
                await session.scalars(
                    select(SourceRow).where(SourceRow.guild_id.in_(scopes)).order_by(SourceRow.id)
                )
            ).all()
            waiting = await self._waiting_by_source(session, scopes)
        return [_info(r, waiting.get(r.id, 0)) for r in rows]

    async def _waiting_by_source(self, session: AsyncSession, scopes: Sequence[int]) -> dict[int, int]:
        rows = await session.execute(
            select(SourceItemRow.source_id, func.count(func.distinct(DraftRow.id)))
            .join(DraftRow, DraftRow.id == SourceItemRow.draft_id)
            .where(DraftRow.guild_id.in_(list(scopes)), DraftRow.status == "waiting")
            .group_by(SourceItemRow.source_id)
        )
        return {source_id: int(n) for source_id, n in rows.all()}

    async def all_sources(self) -> list[SourceInfo]:
        """Every source of every server (the operators' CLI)."""
        async with self._sessions() as session:
            rows = (await session.scalars(select(SourceRow).order_by(SourceRow.guild_id, SourceRow.id))).all()
            waiting = await self._waiting_by_source(session, list({r.guild_id for r in rows}))
        return [_info(r, waiting.get(r.id, 0)) for r in rows]

    async def remove_source(self, writer: Writer, source_id: int) -> SourceInfo:
        """Stop watching a source; its seen items go, drafts already made stay in the queue."""
        async with self._sessions() as session, session.begin():
            await enter_audited_write(session)
            row = await self._owned_source(session, writer, source_id)
            info = _info(row)
            await session.execute(delete(SourceItemRow).where(SourceItemRow.source_id == row.id))
            await session.delete(row)
            session.add(self._audit(row.guild_id, row.id, "remove", writer.user_id, {"url": row.url}, None))
        return info

    async def set_active(
        self, writer: Writer, source_id: int, *, active: bool, now: datetime | None = None
    ) -> SourceInfo:
        """Pause or resume a source; resuming makes it due at once."""
        async with self._sessions() as session, session.begin():
            await enter_audited_write(session)
            row = await self._owned_source(session, writer, source_id)
            if row.active == active:
                raise InvalidInput("id", f"source {row.id} is already {'active' if active else 'paused'}")
            row.active = active
            if active:
                row.next_due_at, row.failures = now or utcnow(), 0
            session.add(
                self._audit(
                    row.guild_id,
                    row.id,
                    "resume" if active else "pause",
                    writer.user_id,
                    {"active": not active},
                    {"active": active},
                )
            )
            return _info(row)

    # --- the fetch cycle -----------------------------------------------------------------------

    async def validators(self, source_id: int) -> tuple[str, str]:
        """The ETag and Last-Modified a conditional GET of this source sends."""
        async with self._sessions() as session:
            row = (
                await session.execute(
                    select(SourceRow.etag, SourceRow.last_modified).where(SourceRow.id == source_id)
                )
            ).first()
        return (row[0], row[1]) if row else ("", "")

    async def claim_due(
        self,
        owner: str,
        now: datetime,
        *,
        limit: int = 50,
        min_host_interval: float = 300.0,
        only: int | None = None,
    ) -> list[SourceInfo]:
        """Claim up to `limit` due sources (or source `only`, due or not) whose host may be fetched now."""
        stmt = select(SourceRow).where(
            SourceRow.active.is_(True),
            or_(SourceRow.claimed_until.is_(None), SourceRow.claimed_until < now),
        )
        if only is not None:
            stmt = stmt.where(SourceRow.id == only)
        else:
            stmt = stmt.where(SourceRow.next_due_at <= now)
        async with self._sessions() as session:  # idle ticks read only: no write lock on SQLite
            if await session.scalar(stmt.with_only_columns(SourceRow.id).limit(1)) is None:
                return []
        async with self._sessions() as session, session.begin():
            await begin_write(session)
            stmt = stmt.order_by(SourceRow.next_due_at).limit(limit * 4)
            if session.get_bind().dialect.name == "postgresql":
                stmt = stmt.with_for_update(skip_locked=True)
            rows = (await session.scalars(stmt)).all()
            hosts = {r.host for r in rows}
            ready = (
                {
                    h.host: h
                    for h in (
                        await session.scalars(select(SourceHostRow).where(SourceHostRow.host.in_(hosts)))
                    ).all()
                }
                if hosts
                else {}
            )
            claimed: list[SourceRow] = []
            taken: set[str] = set()
            for row in rows:
                if len(claimed) >= limit:
                    break
                host_row = ready.get(row.host)
                busy = min_host_interval > 0 and (
                    row.host in taken or (host_row is not None and host_row.next_allowed_at > now)
                )
                if busy and only is None:
                    continue
                row.claimed_by, row.claimed_until = owner[:64], now + LEASE
                allowed = now + timedelta(seconds=min_host_interval)
                if host_row is None:
                    host_row = SourceHostRow(host=row.host, next_allowed_at=allowed)
                    session.add(host_row)
                    ready[row.host] = host_row
                else:
                    host_row.next_allowed_at = max(host_row.next_allowed_at, allowed)
                taken.add(row.host)
                claimed.append(row)
            return [_info(r) for r in claimed]

    async def record_fetch(
        self,
        source_id: int,
        owner: str,
        outcome: FetchOutcome,
        now: datetime,
        *,
        interval: float,
    ) -> Recorded:
        """Write one fetch's result: seen items, new drafts (or merges), the source's next due time."""
        async with self._sessions() as session, session.begin():
            await begin_write(session)
            row = await session.get(SourceRow, source_id)
            if row is None or row.claimed_by != owner[:64]:
                return Recorded(source_id, 0, "", error="the claim was lost")
            row.claimed_by, row.claimed_until, row.last_fetch_at = "", None, now
            if outcome.error:
                row.failures += 1
                row.last_error = outcome.error[:500]
                row.next_due_at = next_due(
                    now, interval, failures=row.failures, retry_after=outcome.retry_after
                )
                return Recorded(row.id, row.guild_id, row.label, error=row.last_error)
            row.failures, row.last_error = 0, ""
            row.next_due_at = next_due(now, interval, retry_after=outcome.retry_after)
            if outcome.not_modified:
                return Recorded(row.id, row.guild_id, row.label)
            row.etag, row.last_modified = outcome.etag[:200], outcome.last_modified[:100]
            if outcome.feed_title:
                row.feed_title = outcome.feed_title[:200]
            if outcome.skipped:
                merged_skips = dict(row.skipped or {})
                for reason, n in outcome.skipped.items():
                    merged_skips[reason] = merged_skips.get(reason, 0) + n
                row.skipped = merged_skips
            new, merged = await self._take_candidates(session, row, outcome.candidates, now)
            if new:
                row.last_new_item_at = now
            return Recorded(
                row.id,
                row.guild_id,
                row.label,
                new_drafts=new,
                merged=merged,
                items=len(outcome.candidates),
                feed_title=row.feed_title,
            )

    async def _take_candidates(
        self, session: AsyncSession, row: SourceRow, candidates: Sequence[Candidate], now: datetime
    ) -> tuple[int, int]:
        by_identity = {c.identity: c for c in candidates}
        if not by_identity:
            return 0, 0
        seen: set[str] = set()
        ids = list(by_identity)
        for start in range(0, len(ids), 500):
            seen.update(
                await session.scalars(
                    select(SourceItemRow.identity).where(
                        SourceItemRow.source_id == row.id,
                        SourceItemRow.identity.in_(ids[start : start + 500]),
                    )
                )
            )
        fresh = [c for i, c in by_identity.items() if i not in seen]
        if not fresh:
            return 0, 0
        keys = list({c.dedupe_key for c in fresh if c.wanted})
        existing = (
            {
                d.dedupe_key: d
                for d in (
                    await session.scalars(
                        select(DraftRow).where(
                            DraftRow.guild_id == row.guild_id, DraftRow.dedupe_key.in_(keys)
                        )
                    )
                ).all()
            }
            if keys
            else {}
        )
        new = merged = 0
        taken: list[tuple[Candidate, DraftRow | None]] = []
        for c in fresh:
            draft: DraftRow | None = None
            if c.wanted:
                draft = existing.get(c.dedupe_key)
                if draft is not None:
                    if row.id not in (draft.source_ids or []):
                        draft.source_ids = [*(draft.source_ids or []), row.id]
                    merged += 1
                else:
                    draft = DraftRow(
                        guild_id=row.guild_id,
                        dedupe_key=c.dedupe_key,
                        source_ids=[row.id],
                        link=c.link[:500],
                        title=c.title[:200],
                        summary=c.summary,
                        date=c.date,
                        topic=c.topic,
                        actors=list(c.actors),
                        status="waiting",
                        created_by=0,
                        created_at=now,
                        decided_by=0,
                        entry_id="",
                    )
                    session.add(draft)
                    existing[c.dedupe_key] = draft
                    new += 1
            taken.append((c, draft))
        await session.flush()  # one round trip gives every new draft its id
        items = [
            {
                "source_id": row.id,
                "identity": c.identity,
                "draft_id": draft.id if draft is not None else None,
                "seen_at": now,
            }
            for c, draft in taken
        ]
        await session.execute(table_of(SourceItemRow).insert(), items)
        return new, merged

    # --- the review queue ----------------------------------------------------------------------

    async def _labels(self, session: AsyncSession, rows: Sequence[DraftRow]) -> dict[int, str]:
        ids = {sid for r in rows for sid in (r.source_ids or ())}
        if not ids:
            return {}
        result = await session.execute(select(SourceRow.id, SourceRow.label).where(SourceRow.id.in_(ids)))
        return dict(result.all())

    def _draft(self, row: DraftRow, labels: dict[int, str]) -> Draft:
        sids = tuple(row.source_ids or ())
        return Draft(
            id=row.id,
            guild_id=row.guild_id,
            source_ids=sids,
            source_labels=tuple(labels.get(s, f"source {s} (removed)") for s in sids),
            link=row.link,
            title=row.title,
            summary=row.summary,
            date=row.date,
            topic=row.topic,
            actors=tuple(row.actors or ()),
            status=row.status,
            created_at=row.created_at,
            decided_by=row.decided_by,
            entry_id=row.entry_id,
        )

    async def next_draft(
        self, writer: Writer, *, source_id: int | None = None, after_id: int = 0
    ) -> tuple[Draft | None, int]:
        """The oldest waiting draft after `after_id` the writer may review, and how many wait in all."""
        scopes = _scopes(writer)
        where = [DraftRow.guild_id.in_(scopes), DraftRow.status == "waiting"]
        if source_id is not None:
            where.append(
                DraftRow.id.in_(select(SourceItemRow.draft_id).where(SourceItemRow.source_id == source_id))
            )
        async with self._sessions() as session:
            total = int(await session.scalar(select(func.count()).select_from(DraftRow).where(*where)) or 0)
            pick = await session.scalar(
                select(DraftRow).where(*where, DraftRow.id > after_id).order_by(DraftRow.id).limit(1)
            )
            if pick is None:
                return None, total
            return self._draft(pick, await self._labels(session, [pick])), total

    async def get_draft(self, writer: Writer, draft_id: int) -> Draft:
        """One draft the writer may review (any status)."""
        scopes = _scopes(writer)
        async with self._sessions() as session:
            row = await _draft_in(session, draft_id, scopes)
            return self._draft(row, await self._labels(session, [row]))

    async def waiting_count(self, guild_id: int) -> int:
        """How many drafts wait in one queue (metrics, notices)."""
        async with self._sessions() as session:
            return int(
                await session.scalar(
                    select(func.count())
                    .select_from(DraftRow)
                    .where(DraftRow.guild_id == guild_id, DraftRow.status == "waiting")
                )
                or 0
            )

    async def queue_depth(self) -> int:
        """Drafts waiting in every queue."""
        async with self._sessions() as session:
            return int(
                await session.scalar(
                    select(func.count()).select_from(DraftRow).where(DraftRow.status == "waiting")
                )
                or 0
            )

    async def _claim_for_accept(self, writer: Writer, draft_id: int, now: datetime) -> DraftRow:
        scopes = _scopes(writer)
        async with self._sessions() as session, session.begin():
            await begin_write(session)
            row = await _draft_in(session, draft_id, scopes)
            unclaimed = or_(
                DraftRow.status == "waiting",
                (DraftRow.status == "accepting") & (DraftRow.decided_at < now - STALE_ACCEPT),
            )
            await _decide(
                session, row, unclaimed, status="accepting", decided_by=writer.user_id, decided_at=now
            )
            await session.refresh(row)
            return row

    async def accept_draft(
        self,
        writer: Writer,
        draft_id: int,
        changes: dict[str, str] | None = None,
        *,
        as_position: bool = False,
        stance: str = "",
        now: datetime | None = None,
    ) -> str:
        """Turn a draft into an event (or a position statement) via the curators' own write path."""
        now = now or utcnow()
        changes = {k: v for k, v in (changes or {}).items() if v is not None}
        row = await self._claim_for_accept(writer, draft_id, now)
        try:
            labels = await self._source_labels(row)
            reason = f"accepted from draft {row.id}" + (f" (source {', '.join(labels)})" if labels else "")
            title = changes.get("title", row.title).strip()
            summary = changes.get("summary", row.summary).strip() or title
            date = changes.get("date", row.date).strip()
            topic = changes.get("topic", row.topic).strip()
            actors_text = changes.get("actors")
            actors = (
                [a.strip() for a in actors_text.split(",") if a.strip()]
                if actors_text is not None
                else list(row.actors or ())
            )
            if not topic:
                raise InvalidInput("topic", "this draft has no topic: use Edit and name one")
            link = row.link or (await self._first_source_url(row)) or ""
            if not link:
                raise InvalidInput("source_url", "this draft has no link to cite")
            global_scope = row.guild_id == GLOBAL_SCOPE
            if as_position:
                if stance not in STANCES:
                    raise InvalidInput("stance", "one of " + ", ".join(STANCES))
                if len(actors) != 1:
                    raise InvalidInput("actors", "a position statement needs exactly one actor")
                entry_id = await self._curation.set_position(
                    writer,
                    actor=actors[0],
                    topic=topic,
                    stance=stance,
                    summary=summary[:1000],
                    source_url=link,
                    date=date,
                    global_scope=global_scope,
                    reason=reason,
                )
            else:
                entry_id = await self._curation.add_event(
                    writer,
                    topic=topic,
                    date=date,
                    title=title[:200],
                    summary=summary[:1000],
                    source_url=link,
                    actors=actors,
                    global_scope=global_scope,
                    reason=reason,
                )
        except BaseException:
            async with self._sessions() as session, session.begin():
                await session.execute(
                    update(DraftRow)
                    .where(DraftRow.id == draft_id, DraftRow.status == "accepting")
                    .values(status="waiting", decided_by=0, decided_at=None)
                )
            raise
        async with self._sessions() as session, session.begin():
            await session.execute(
                update(DraftRow).where(DraftRow.id == draft_id).values(status="accepted", entry_id=entry_id)
            )
        return entry_id

    async def _source_labels(self, row: DraftRow) -> list[str]:
        async with self._sessions() as session:
            labels = await self._labels(session, [row])
        return [labels[s] for s in row.source_ids or () if s in labels]

    async def _first_source_url(self, row: DraftRow) -> str | None:
        if not row.source_ids:
            return None
        async with self._sessions() as session:
            return await session.scalar(select(SourceRow.url).where(SourceRow.id == row.source_ids[0]))

    async def reject_draft(self, writer: Writer, draft_id: int, now: datetime | None = None) -> None:
        """Reject a waiting draft: its item never comes back (the identity stays seen)."""
        scopes = _scopes(writer)
        now = now or utcnow()
        async with self._sessions() as session, session.begin():
            await enter_audited_write(session)
            row = await _draft_in(session, draft_id, scopes)
            waiting = DraftRow.status == "waiting"
            await _decide(session, row, waiting, status="rejected", decided_by=writer.user_id, decided_at=now)
            session.add(
                self._audit(
                    row.guild_id,
                    row.id,
                    "reject",
                    writer.user_id,
                    {"status": "waiting"},
                    {"status": "rejected"},
                    kind="draft",
                )
            )

    async def add_page_draft(
        self,
        writer: Writer,
        *,
        link: str,
        canonical: str,
        title: str,
        summary: str,
        date: str,
        topic: str,
        actors: Sequence[str],
        now: datetime | None = None,
    ) -> Draft:
        """A draft from a message's link ("Add to briefing"), in the writer's server queue."""
        scope = target_scope(writer, False)
        key = dedupe_key(canonical, 0, link)
        async with self._sessions() as session, session.begin():
            await begin_write(session)
            existing = await session.scalar(
                select(DraftRow).where(DraftRow.guild_id == scope, DraftRow.dedupe_key == key)
            )
            if existing is not None:
                raise InvalidInput("link", f"this link is already draft {existing.id} ({existing.status})")
            row = DraftRow(
                guild_id=scope,
                dedupe_key=key,
                source_ids=[],
                link=link[:500],
                title=title[:200],
                summary=summary,
                date=date,
                topic=topic,
                actors=list(actors),
                status="waiting",
                created_by=writer.user_id,
                created_at=now or utcnow(),
                decided_by=0,
                entry_id="",
            )
            session.add(row)
            await session.flush()
            return self._draft(row, {})

    # --- review channels -----------------------------------------------------------------------

    async def set_review_channel(self, guild_id: int, channel_id: int | None, user_id: int) -> None:
        """Set (or clear) where "N new drafts" notices go, audited."""
        async with self._sessions() as session, session.begin():
            await enter_audited_write(session)
            row = await session.get(ReviewChannelRow, guild_id)
            before = row.channel_id if row else None
            if channel_id is None:
                if row is not None:
                    await session.delete(row)
            elif row is None:
                session.add(ReviewChannelRow(guild_id=guild_id, channel_id=channel_id))
            else:
                row.channel_id = channel_id
            session.add(settings_audit(guild_id, "review-channel", user_id, before, channel_id))

    async def review_channels(self, guild_ids: Sequence[int]) -> dict[int, int]:
        """The review channel of each of these servers that has one."""
        if not guild_ids:
            return {}
        async with self._sessions() as session:
            rows = await session.execute(
                select(ReviewChannelRow.guild_id, ReviewChannelRow.channel_id).where(
                    ReviewChannelRow.guild_id.in_(list(guild_ids))
                )
            )
            return dict(rows.all())


def day_string(when: datetime | None, precision: str = "day", today: datetime | None = None) -> str:
    """A draft's date at the precision the item gives (today when it gives none)."""
    when = when or today or datetime.now(UTC)
    if precision == "year":
        return f"{when.year:04d}"
    if precision == "month":
        return f"{when.year:04d}-{when.month:02d}"
    return when.date().isoformat()
