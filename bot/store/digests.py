"""Digest subscriptions and deliveries: scheduling state lives in the database.

Exactly once: a due subscription is claimed in a transaction (row locks with SKIP LOCKED on
PostgreSQL; SQLite serialises writers with BEGIN IMMEDIATE), which creates — or, on a retry,
reuses — a delivery row for that period with a deterministic nonce and a fixed changes window.
Posting then carries that nonce with enforce_nonce, and recording the post clears the claim.
A process killed at any step leaves a claim that expires; whoever claims next retries the same
delivery with the same nonce and the same content, so Discord deduplicates a repeated post.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.locks import begin_write
from bot.db.models import DigestDeliveryRow, DigestSubscriptionRow
from bot.digest_model.schedule import next_due, parse_time_of_day, parse_timezone
from bot.digest_model.types import Claim, Subscription
from bot.errors import InvalidInput, NotFound
from bot.store.audit_gate import close_audit_window

MAX_SUBSCRIPTIONS_PER_SERVER = 25
LEASE = timedelta(seconds=120)
MAX_BACKOFF = timedelta(hours=1)


def delivery_nonce(subscription_id: int, created_at: datetime, period: str) -> str:
    """A nonce unique to one subscription's period (Discord allows 25 characters; parts add 2).

    The creation time is part of it so that another database (staging, a restored backup) with a
    subscription of the same number never produces a nonce Discord would take for a repeat.
    """
    key = f"{subscription_id}|{created_at.isoformat()}|{period}"
    return "dg" + hashlib.sha256(key.encode()).hexdigest()[:20]


def topics_key(topics: Sequence[str]) -> str:
    """A subscription's topics, normalised: sorted, distinct, comma-joined ("" for every topic)."""
    return ",".join(sorted({t.strip().lower() for t in topics if t.strip()}))


class AlreadySubscribed(InvalidInput):
    """The channel already has a subscription to the same topics; `existing` is its number."""

    def __init__(self, existing: int) -> None:
        self.existing = existing
        super().__init__(
            "channel",
            f"Already subscribed: subscription #{existing} posts these topics to that channel. "
            f"To change its schedule, `/digest unsubscribe {existing}` and subscribe again.",
        )


def backoff(failures: int) -> timedelta:
    """Wait before retrying after the n-th transient failure: 30 s, 1 min, 2 min … up to 1 h."""
    return min(timedelta(seconds=30 * 2 ** max(failures - 1, 0)), MAX_BACKOFF)


def _to_sub(row: DigestSubscriptionRow) -> Subscription:
    return Subscription(
        id=row.id,
        guild_id=row.guild_id,
        channel_id=row.channel_id,
        topics=tuple(row.topics or ()),
        cadence=row.cadence,
        time_of_day=row.time_of_day,
        timezone=row.timezone,
        weekday=row.weekday,
        post_empty=row.post_empty,
        active=row.active,
        disabled_reason=row.disabled_reason or "",
        covered_until=row.covered_until,
        next_due_at=row.next_due_at,
        failures=row.failures,
        last_error=row.last_error or "",
    )


def _next_due(row: DigestSubscriptionRow, after: datetime) -> datetime:
    return next_due(
        after, row.cadence, parse_time_of_day(row.time_of_day), parse_timezone(row.timezone), row.weekday
    )


class Digests:
    """Subscriptions (curators) and the claim → post → record cycle (the scheduler)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def subscribe(
        self,
        *,
        guild_id: int,
        channel_id: int,
        topics: Sequence[str],
        cadence: str,
        time_of_day: str,
        timezone: str,
        weekday: int,
        post_empty: bool,
        user_id: int,
        now: datetime,
        max_per_server: int = MAX_SUBSCRIPTIONS_PER_SERVER,
    ) -> Subscription:
        """Create a subscription; its first digest covers changes from now on.

        AlreadySubscribed if the channel has one for the same topics (also when two race).
        """
        if cadence not in ("daily", "weekly"):
            raise InvalidInput("cadence", "use daily or weekly")
        at = parse_time_of_day(time_of_day)
        zone = parse_timezone(timezone)
        key = topics_key(topics)
        try:
            return await self._insert(
                guild_id,
                channel_id,
                topics,
                key,
                cadence,
                at,
                zone,
                weekday,
                post_empty,
                user_id,
                now,
                max_per_server,
            )
        except IntegrityError:  # another subscribe for the same target committed first
            existing = await self._existing(guild_id, channel_id, key)
            if existing is None:
                raise
            raise AlreadySubscribed(existing) from None

    async def _existing(self, guild_id: int, channel_id: int, key: str) -> int | None:
        async with self._sessions() as session:
            return await session.scalar(
                select(DigestSubscriptionRow.id).where(
                    DigestSubscriptionRow.guild_id == guild_id,
                    DigestSubscriptionRow.channel_id == channel_id,
                    DigestSubscriptionRow.topics_key == key,
                )
            )

    async def _insert(
        self,
        guild_id: int,
        channel_id: int,
        topics: Sequence[str],
        key: str,
        cadence: str,
        at: time,
        zone: ZoneInfo,
        weekday: int,
        post_empty: bool,
        user_id: int,
        now: datetime,
        max_per_server: int,
    ) -> Subscription:
        async with self._sessions() as session, session.begin():
            await begin_write(session)
            existing = await session.scalar(
                select(DigestSubscriptionRow.id).where(
                    DigestSubscriptionRow.guild_id == guild_id,
                    DigestSubscriptionRow.channel_id == channel_id,
                    DigestSubscriptionRow.topics_key == key,
                )
            )
            if existing is not None:
                raise AlreadySubscribed(existing)
            count = await session.scalar(
                select(func.count())
                .select_from(DigestSubscriptionRow)
                .where(DigestSubscriptionRow.guild_id == guild_id)
            )
            if (count or 0) >= max_per_server:
                raise InvalidInput("channel", f"a server can have at most {max_per_server} subscriptions")
            row = DigestSubscriptionRow(
                guild_id=guild_id,
                channel_id=channel_id,
                topics=list(dict.fromkeys(topics)),
                topics_key=key,
                cadence=cadence,
                time_of_day=at.strftime("%H:%M"),
                timezone=zone.key,
                weekday=weekday,
                post_empty=post_empty,
                created_by=user_id,
                covered_until=now,
                next_due_at=next_due(now, cadence, at, zone, weekday),
            )
            session.add(row)
            await session.flush()
            return _to_sub(row)

    async def unsubscribe(self, guild_id: int, subscription_id: int) -> None:
        """Delete a subscription of this server; NotFound for any other."""
        async with self._sessions() as session, session.begin():
            await begin_write(session)  # it reads, then deletes: as a write from the start
            row = await session.get(DigestSubscriptionRow, subscription_id)
            if row is None or row.guild_id != guild_id:
                raise NotFound("subscription", str(subscription_id))
            await session.delete(row)

    async def get(self, guild_id: int, subscription_id: int) -> Subscription:
        """One subscription of this server; NotFound for any other."""
        async with self._sessions() as session:
            row = await session.get(DigestSubscriptionRow, subscription_id)
        if row is None or row.guild_id != guild_id:
            raise NotFound("subscription", str(subscription_id))
        return _to_sub(row)

    async def subscriptions(self, guild_id: int) -> list[Subscription]:
        """This server's subscriptions, oldest first."""
        async with self._sessions() as session:
            rows = await session.scalars(
                select(DigestSubscriptionRow)
                .where(DigestSubscriptionRow.guild_id == guild_id)
                .order_by(DigestSubscriptionRow.id)
            )
            return [_to_sub(r) for r in rows]

    async def next_wake(self) -> datetime | None:
        """The earliest time any active subscription is due or its claim expires."""
        active = DigestSubscriptionRow.active.is_(True)
        async with self._sessions() as session:
            due = await session.scalar(
                select(DigestSubscriptionRow.next_due_at)
                .where(active)
                .order_by(DigestSubscriptionRow.next_due_at)
                .limit(1)
            )
            lease = await session.scalar(
                select(DigestSubscriptionRow.claimed_until)
                .where(active, DigestSubscriptionRow.claimed_until.is_not(None))
                .order_by(DigestSubscriptionRow.claimed_until)
                .limit(1)
            )
        times = [t for t in (due, lease) if t is not None]
        return min(times) if times else None

    async def claim_due(self, now: datetime, holder: str, limit: int = 100) -> list[Claim]:
        """Claim up to `limit` due subscriptions for this process; each claim lasts LEASE.

        The claims' windows end at `now`: audited writes in flight finish first (bot.store.audit_gate).
        """
        async with self._sessions() as session, session.begin():
            await close_audit_window(session)
            rows = (
                await session.scalars(
                    select(DigestSubscriptionRow)
                    .where(
                        DigestSubscriptionRow.active.is_(True),
                        DigestSubscriptionRow.next_due_at <= now,
                        or_(
                            DigestSubscriptionRow.claimed_until.is_(None),
                            DigestSubscriptionRow.claimed_until <= now,
                        ),
                    )
                    .order_by(DigestSubscriptionRow.next_due_at, DigestSubscriptionRow.id)
                    .limit(limit)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            return [await self._claim(session, row, row.next_due_at.isoformat(), now, holder) for row in rows]

    async def claim_now(
        self, guild_id: int, subscription_id: int, key: str, now: datetime, holder: str
    ) -> Claim:
        """Claim an immediate, unscheduled digest (`/digest send-now`) for this server's subscription."""
        async with self._sessions() as session, session.begin():
            await close_audit_window(session)
            row = await session.get(DigestSubscriptionRow, subscription_id, with_for_update=True)
            if row is None or row.guild_id != guild_id:
                raise NotFound("subscription", str(subscription_id))
            if row.claimed_until is not None and row.claimed_until > now:
                raise InvalidInput(
                    "id", "a digest for this subscription is being posted right now; try again shortly"
                )
            return await self._claim(session, row, f"now-{key}"[:40], now, holder)

    async def _claim(
        self, session: AsyncSession, row: DigestSubscriptionRow, period: str, now: datetime, holder: str
    ) -> Claim:
        delivery = await session.scalar(
            select(DigestDeliveryRow).where(
                DigestDeliveryRow.subscription_id == row.id, DigestDeliveryRow.period == period
            )
        )
        if delivery is None:
            delivery = DigestDeliveryRow(
                subscription_id=row.id,
                period=period,
                nonce=delivery_nonce(row.id, row.created_at, period),
                covered_from=row.covered_until,
                covered_until=max(now, row.covered_until),
                attempts=0,
            )
            session.add(delivery)
        delivery.attempts += 1
        row.claimed_by = holder[:64]
        row.claimed_until = now + LEASE
        await session.flush()
        return Claim(
            delivery_id=delivery.id,
            subscription=_to_sub(row),
            period=period,
            nonce=delivery.nonce,
            covered_from=delivery.covered_from,
            covered_until=delivery.covered_until,
            attempts=delivery.attempts,
            claimed_at=now,
            posted_ids=tuple(int(m) for m in delivery.message_ids or ()),
        )

    async def record_done(
        self, claim: Claim, now: datetime, message_ids: Sequence[int], *, posted: bool
    ) -> None:
        """The digest was posted (or skipped: nothing changed): advance the window, schedule the next."""
        async with self._sessions() as session, session.begin():
            await begin_write(session)
            row = await session.get(DigestSubscriptionRow, claim.subscription.id)
            delivery = await session.get(DigestDeliveryRow, claim.delivery_id)
            if row is None or delivery is None:
                return  # unsubscribed meanwhile
            delivery.status = "posted" if posted else "skipped"
            delivery.message_ids = [str(m) for m in message_ids]
            delivery.posted_at = now
            row.covered_until = max(row.covered_until, delivery.covered_until)
            if not claim.period.startswith("now-"):
                # Missed periods (downtime) are coalesced: the next due time is after the claim.
                # Counting from the claim, not from `now`, keeps the schedule independent of how
                # long the post took: a period that fell due meanwhile is still posted.
                row.next_due_at = _next_due(row, max(claim.claimed_at, row.next_due_at))
            row.claimed_by, row.claimed_until = "", None
            row.failures, row.last_error = 0, ""

    async def record_part(self, claim: Claim, index: int, message_id: int) -> None:
        """Part `index` of a multi-part digest was posted: a retry resumes after it, never re-posts it."""
        async with self._sessions() as session, session.begin():
            await begin_write(session)
            delivery = await session.get(DigestDeliveryRow, claim.delivery_id, with_for_update=True)
            if delivery is None:
                return  # unsubscribed meanwhile
            ids = list(delivery.message_ids or ())
            if len(ids) == index:
                delivery.message_ids = [*ids, str(message_id)]

    async def record_failure(self, claim: Claim, now: datetime, error: str, *, permanent: bool) -> None:
        """A post failed: disable the subscription (permanent) or retry later with backoff."""
        async with self._sessions() as session, session.begin():
            await begin_write(session)
            row = await session.get(DigestSubscriptionRow, claim.subscription.id)
            delivery = await session.get(DigestDeliveryRow, claim.delivery_id)
            if row is None:
                return
            row.last_error = error[:500]
            if permanent:
                row.active = False
                row.disabled_reason = error[:500]
                row.claimed_by, row.claimed_until = "", None
                if delivery is not None:
                    delivery.status = "failed"
            else:
                row.failures += 1
                row.claimed_by = ""
                row.claimed_until = now + backoff(row.failures)
