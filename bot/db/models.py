"""ORM models. `guild_id` 0 marks a global entry; any other value is one server's own.

Positions and events are keyed by (id, guild_id): a server's ids are its own namespace, so an id
another server holds is as free to it as one nobody holds. Global ids are visible to every server;
the store never lets a server's id equal a global one (see bot.store.importing).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.domain import Precision


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite stores it naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    """The current time, timezone-aware."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base for every table."""


def table_of(model: type[Base]) -> Table:
    """The Core table of a mapped class (SQLAlchemy types `__table__` as any FromClause)."""
    table = model.__table__
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not mapped to a single table")
    return table


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ActorRow(Timestamped, Base):
    __tablename__ = "actors"
    __table_args__ = (UniqueConstraint("guild_id", "slug", name="uq_actors_guild_slug"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    guild_id: Mapped[int] = mapped_column(BigInteger, default=0)
    slug: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)


class TopicRow(Timestamped, Base):
    __tablename__ = "topics"
    __table_args__ = (UniqueConstraint("guild_id", "slug", name="uq_topics_guild_slug"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    guild_id: Mapped[int] = mapped_column(BigInteger, default=0)
    slug: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(100))
    summary: Mapped[str] = mapped_column(Text, default="")


def scoped_id_index(table: str) -> tuple[Index, Index]:
    """(guild_id, id): a scope's entries, and its ids from a prefix on in order (entry-id autocomplete).

    PostgreSQL orders the ids under the C collation, whose byte order both `ORDER BY … COLLATE "C"`
    and a key range from the prefix can walk under any database collation; SQLite compares bytes.
    """
    return (
        Index(f"ix_{table}_scope_id", "guild_id", "id").ddl_if(dialect="sqlite"),
        # postgresql_ops is placed after the column name: here it names the collation, not an opclass.
        Index(f"ix_{table}_scope_id", "guild_id", "id", postgresql_ops={"id": 'COLLATE "C"'}).ddl_if(
            dialect="postgresql"
        ),
    )


class PositionRow(Timestamped, Base):
    __tablename__ = "positions"
    __table_args__ = (
        Index("ix_positions_actor_topic", "actor_id", "topic_id"),
        Index("ix_positions_topic", "topic_id"),
        *scoped_id_index("positions"),
    )

    # Primary key (id, guild_id): each server has its own namespace of ids.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False, default=0)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="RESTRICT"))
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="RESTRICT"))
    stance: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(Text)
    key_points: Mapped[list[str]] = mapped_column(JSON, default=list)
    quote: Mapped[str] = mapped_column(Text, default="")
    speaker: Mapped[str] = mapped_column(String(100), default="")
    stated_on: Mapped[date] = mapped_column(Date)
    precision: Mapped[Precision] = mapped_column(String(5))
    status: Mapped[str] = mapped_column(String(10))
    status_note: Mapped[str] = mapped_column(Text, default="")
    verification: Mapped[str | None] = mapped_column(String(16), nullable=True, default=None)
    gist: Mapped[str] = mapped_column(String(120), default="", server_default="")
    sources: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, default=None)


class EventRow(Timestamped, Base):
    __tablename__ = "events"
    __table_args__ = (
        *scoped_id_index("events"),
        Index("ix_events_date", "occurred_on"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False, default=0)
    occurred_on: Mapped[date] = mapped_column(Date)
    precision: Mapped[Precision] = mapped_column(String(5))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10))
    status_note: Mapped[str] = mapped_column(Text, default="")
    verification: Mapped[str | None] = mapped_column(String(16), nullable=True, default=None)
    sources: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, default=None)


class EventActorRow(Base):
    __tablename__ = "event_actors"
    __table_args__ = (
        ForeignKeyConstraint(
            ["event_id", "guild_id"],
            ["events.id", "events.guild_id"],
            ondelete="CASCADE",
            name="fk_event_actors_event",
        ),
        Index("ix_event_actors_actor", "actor_id", "event_id"),
    )

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="RESTRICT"), primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)  # the event's


class EventTopicRow(Base):
    """An event's link to a topic, with copies of the event's scope, date and visibility.

    The copies let one index answer a topic's timeline: how many events match a date window,
    and which ids are on page N, without visiting the events (see bot.store.dated).
    """

    __tablename__ = "event_topics"
    __table_args__ = (
        ForeignKeyConstraint(
            ["event_id", "guild_id"],
            ["events.id", "events.guild_id"],
            ondelete="CASCADE",
            name="fk_event_topics_event",
        ),
        Index(
            "ix_event_topics_dated", "topic_id", "removed", "occurred_on", "event_id", "guild_id", "precision"
        ),
    )

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="RESTRICT"), primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    occurred_on: Mapped[date] = mapped_column(Date)
    precision: Mapped[Precision] = mapped_column(String(5))
    removed: Mapped[bool] = mapped_column(Boolean)


class AuditRow(Base):
    """One write to the store: who, when, which entry, before and after, why."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_entry", "entry_id", "id"), Index("ix_audit_guild_at", "guild_id", "at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    guild_id: Mapped[int] = mapped_column(BigInteger)
    entry_kind: Mapped[str] = mapped_column(String(10))
    entry_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int] = mapped_column(BigInteger, default=0)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")


class MetaRow(Base):
    """Small key/value facts about the store (catalog version, synced command-tree hash)."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class GuildSettingsRow(Base):
    """Per-server settings (the curator role)."""

    __tablename__ = "guild_settings"

    guild_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    curator_role_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DigestSubscriptionRow(Base):
    """A channel's subscription to scheduled digests of what changed in some topics."""

    __tablename__ = "digest_subscriptions"
    __table_args__ = (
        Index("ix_digest_subs_due", "active", "next_due_at"),
        Index("ix_digest_subs_guild", "guild_id"),
        # One subscription per channel and set of topics: a second would post every digest twice.
        Index("uq_digest_subs_target", "guild_id", "channel_id", "topics_key", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    guild_id: Mapped[int] = mapped_column(BigInteger)
    channel_id: Mapped[int] = mapped_column(BigInteger)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)  # empty: every topic
    topics_key: Mapped[str] = mapped_column(String(1000), default="", server_default="")  # sorted, joined
    cadence: Mapped[str] = mapped_column(String(8))  # daily | weekly
    time_of_day: Mapped[str] = mapped_column(String(5))  # HH:MM, local to `timezone`
    timezone: Mapped[str] = mapped_column(String(64))
    weekday: Mapped[int] = mapped_column(Integer, default=0)  # 0 = Monday (weekly only)
    post_empty: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    disabled_reason: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    covered_until: Mapped[datetime] = mapped_column(UTCDateTime())  # changes up to here were delivered
    next_due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    claimed_by: Mapped[str] = mapped_column(String(64), default="")
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, default=None)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")


class DigestDeliveryRow(Base):
    """One digest for one period: claimed, then posted; retried with the same nonce and content."""

    __tablename__ = "digest_deliveries"
    __table_args__ = (UniqueConstraint("subscription_id", "period", name="uq_digest_delivery_period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("digest_subscriptions.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(40))  # the due slot (UTC ISO) or "now-<id>" for send-now
    nonce: Mapped[str] = mapped_column(String(25))
    covered_from: Mapped[datetime] = mapped_column(UTCDateTime())
    covered_until: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(10), default="claimed")  # claimed | posted | skipped | failed
    message_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, default=None)


class SourceRow(Base):
    """A watched feed of one server (or global, `guild_id` 0: the owners' queue) and its fetch state."""

    __tablename__ = "sources"
    __table_args__ = (
        UniqueConstraint("guild_id", "url", name="uq_sources_guild_url"),
        Index("ix_sources_due", "active", "next_due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    guild_id: Mapped[int] = mapped_column(BigInteger)
    url: Mapped[str] = mapped_column(String(500))
    host: Mapped[str] = mapped_column(String(255))
    label: Mapped[str] = mapped_column(String(100))
    feed_title: Mapped[str] = mapped_column(String(200), default="")
    default_topic: Mapped[str] = mapped_column(String(32), default="")
    default_actors: Mapped[list[str]] = mapped_column(JSON, default=list)
    include: Mapped[list[str]] = mapped_column(JSON, default=list)
    exclude: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    etag: Mapped[str] = mapped_column(String(200), default="")
    last_modified: Mapped[str] = mapped_column(String(100), default="")
    last_fetch_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, default=None)
    last_new_item_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, default=None)
    last_error: Mapped[str] = mapped_column(Text, default="")
    failures: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)  # malformed items by reason
    next_due_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    claimed_by: Mapped[str] = mapped_column(String(64), default="")
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, default=None)


class SourceHostRow(Base):
    """When a host may next be fetched (SOURCE_MIN_INTERVAL_SECONDS apart, across processes)."""

    __tablename__ = "source_hosts"

    host: Mapped[str] = mapped_column(String(255), primary_key=True)
    next_allowed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SourceItemRow(Base):
    """An item identity a source has already shown: never drafted twice, whatever became of it."""

    __tablename__ = "source_items"

    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True)
    identity: Mapped[str] = mapped_column(String(40), primary_key=True)
    draft_id: Mapped[int | None] = mapped_column(Integer, nullable=True, default=None)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DraftRow(Base):
    """A suggested entry waiting for a curator; its outcome, and the entry it became."""

    __tablename__ = "drafts"
    __table_args__ = (
        UniqueConstraint("guild_id", "dedupe_key", name="uq_drafts_guild_key"),
        Index("ix_drafts_queue", "guild_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    guild_id: Mapped[int] = mapped_column(BigInteger)
    dedupe_key: Mapped[str] = mapped_column(String(64))  # the canonical link's hash, else the item's
    source_ids: Mapped[list[int]] = mapped_column(JSON, default=list)  # empty: added from a message
    link: Mapped[str] = mapped_column(String(500), default="")
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    date: Mapped[str] = mapped_column(String(10))  # YYYY, YYYY-MM or YYYY-MM-DD
    topic: Mapped[str] = mapped_column(String(32), default="")
    actors: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(10), default="waiting")  # waiting|accepting|accepted|rejected
    created_by: Mapped[int] = mapped_column(BigInteger, default=0)  # 0: the poller
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by: Mapped[int] = mapped_column(BigInteger, default=0)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, default=None)
    entry_id: Mapped[str] = mapped_column(String(64), default="")


class ReviewChannelRow(Base):
    """Where a server's "N new drafts" notices go."""

    __tablename__ = "review_channels"

    guild_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    channel_id: Mapped[int] = mapped_column(BigInteger)


class InteractionReceiptRow(Base):
    """A write done for one Discord interaction, committed in the same transaction as the write.

    A retried or replayed interaction (same id) finds its receipt and is answered without writing.
    """

    __tablename__ = "interaction_receipts"

    interaction_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    guild_id: Mapped[int] = mapped_column(BigInteger, default=0)
    user_id: Mapped[int] = mapped_column(BigInteger, default=0)
    command: Mapped[str] = mapped_column(String(100), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
