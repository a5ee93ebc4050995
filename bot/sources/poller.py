"""The poller: claim due sources, fetch them concurrently, turn items into candidates, record.

Runs inside the bot (started with it) and from the CLI (`python -m bot sources poll`). A source
error is recorded on the source and backs it off; it never stops the poller.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import aiohttp

from bot.db.models import utcnow
from bot.sources.fetch import FetchError, fetch, make_session
from bot.sources.guard import AllowList, Refused
from bot.sources.identity import canonical_link, item_identity
from bot.sources.match import ActorHint, TopicHint, passes_filters, suggest_actors, suggest_topic
from bot.sources.parse import FeedItem, NotAFeed, parse_feed
from bot.sources.types import Candidate, FetchOutcome, Recorded, SourceInfo
from bot.store import Store
from bot.store.sources import day_string, dedupe_key
from bot.tasks import cancel_and_wait

log = logging.getLogger(__name__)

Notify = Callable[[Sequence[Recorded]], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class PollSettings:
    """SOURCE_POLL_SECONDS, SOURCE_MIN_INTERVAL_SECONDS and SOURCE_ALLOW_HOSTS."""

    interval: float = 900.0
    min_host_interval: float = 300.0
    allow: AllowList = field(default_factory=AllowList)
    concurrency: int = 20
    batch: int = 50


@dataclass(slots=True)
class PollStats:
    """Counters for metrics: fetches by outcome, drafts created."""

    fetches: dict[str, int] = field(default_factory=dict)
    drafts_created: int = 0
    accepted: int = 0
    rejected: int = 0

    def fetched(self, outcome: str) -> None:
        """Count one fetch with this outcome (ok, not_modified, error)."""
        self.fetches[outcome] = self.fetches.get(outcome, 0) + 1


def owner_name() -> str:
    """This process's claim name: host, pid and a random part."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


async def suggestion_hints(store: Store, guild_id: int) -> tuple[list[ActorHint], list[TopicHint]]:
    """The actors and topics a scope sees, as names and keywords to match items against."""
    snap = await store.catalog.get()
    visible = guild_id or None
    actors = [ActorHint(a.slug, (a.name, *a.aliases)) for a in snap.actors.all(visible)]
    topics = [
        TopicHint(t.slug, tuple(dict.fromkeys([t.title.lower(), *t.slug.split("-")])))
        for t in snap.topics.all(visible)
    ]
    return actors, topics


def make_candidates(
    source: SourceInfo,
    items: Sequence[FeedItem],
    actors: Sequence[ActorHint],
    topics: Sequence[TopicHint],
    today: datetime,
) -> list[Candidate]:
    """Each item as a candidate draft: identity, dedupe key, date, filters and suggestions."""
    out: list[Candidate] = []
    for item in items:
        identity = item_identity(item)
        text = f"{item.title}\n{item.summary}"
        wanted = passes_filters(text, source.include, source.exclude)
        canon = canonical_link(item.link) if item.link else ""
        suggested = suggest_actors(text, actors) if wanted else []
        actor_slugs = tuple(dict.fromkeys([*source.default_actors, *suggested]))
        topic = source.default_topic or ((suggest_topic(text, topics) or "") if wanted else "")
        out.append(
            Candidate(
                identity=identity,
                dedupe_key=dedupe_key(canon, source.id, identity),
                title=item.title,
                summary=item.summary,
                link=item.link,
                date=day_string(item.published, item.precision, today),
                topic=topic,
                actors=actor_slugs,
                wanted=wanted,
            )
        )
    return out


class Poller:
    """Fetches due sources on their schedules; several processes share the work by claims."""

    def __init__(
        self,
        store: Store,
        settings: PollSettings,
        *,
        session: aiohttp.ClientSession | None = None,
        notify: Notify | None = None,
        tick_seconds: float | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.owner = owner_name()
        self.stats = PollStats()
        self._session = session
        self._own_session = session is None
        self._notify = notify
        self._tick = tick_seconds if tick_seconds is not None else min(settings.interval, 30.0)
        self._task: asyncio.Task[None] | None = None

    @property
    def session(self) -> aiohttp.ClientSession:
        """The guarded HTTP session (created on first use)."""
        if self._session is None:
            self._session = make_session(self.settings.allow)
        return self._session

    async def fetch_outcome(
        self, source: SourceInfo, *, etag: str = "", last_modified: str = ""
    ) -> FetchOutcome:
        """Fetch and parse one source; every failure becomes an outcome with an error, never a raise."""
        try:
            got = await fetch(
                self.session, source.url, self.settings.allow, etag=etag, last_modified=last_modified
            )
            if got.not_modified:
                return FetchOutcome(not_modified=True, etag=got.etag, last_modified=got.last_modified)
            feed = await asyncio.to_thread(parse_feed, got.body, got.content_type)
        except FetchError as exc:
            return FetchOutcome(error=str(exc), retry_after=exc.retry_after)
        except (Refused, NotAFeed) as exc:
            return FetchOutcome(error=str(exc))
        except Exception as exc:  # a hostile source must never stop the poller
            log.warning("source %s failed unexpectedly", source.id, exc_info=True)
            return FetchOutcome(error=f"unexpected error ({type(exc).__name__})")
        actors, topics = await suggestion_hints(self.store, source.guild_id)
        candidates = make_candidates(source, feed.items, actors, topics, utcnow())
        return FetchOutcome(
            candidates=tuple(candidates),
            feed_title=feed.title,
            etag=got.etag,
            last_modified=got.last_modified,
            skipped=feed.skipped,
        )

    async def _one(self, source: SourceInfo, now: datetime) -> Recorded:
        etag, last_modified = await self.store.sources.validators(source.id)
        outcome = await self.fetch_outcome(source, etag=etag, last_modified=last_modified)
        self.stats.fetched("error" if outcome.error else "not_modified" if outcome.not_modified else "ok")
        recorded = await self.store.sources.record_fetch(
            source.id, self.owner, outcome, utcnow(), interval=self.settings.interval
        )
        self.stats.drafts_created += recorded.new_drafts
        return recorded

    async def poll_once(self, now: datetime | None = None, *, only: int | None = None) -> list[Recorded]:
        """Claim and fetch every source due now (or just `only`); return what each fetch recorded."""
        results: list[Recorded] = []
        sem = asyncio.Semaphore(self.settings.concurrency)

        async def run(source: SourceInfo) -> Recorded:
            async with sem:
                return await self._one(source, now or utcnow())

        while True:
            claimed = await self.store.sources.claim_due(
                self.owner,
                now or utcnow(),
                limit=self.settings.batch,
                min_host_interval=self.settings.min_host_interval,
                only=only,
            )
            if not claimed:
                break
            results.extend(await asyncio.gather(*(run(s) for s in claimed)))
            if only is not None:
                break
        if self._notify is not None and results:
            try:
                await self._notify(results)
            except Exception:
                log.warning("review notices failed", exc_info=True)
        return results

    def start(self) -> None:
        """Run poll cycles in the background until stop()."""
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name="sources-poller")

    async def _loop(self) -> None:
        while True:
            try:
                await self.poll_once()
            except asyncio.CancelledError:
                raise
            except Exception:  # the database may be briefly away; try again next tick
                log.warning("source poll cycle failed", exc_info=True)
            await asyncio.sleep(self._tick)

    async def stop(self) -> None:
        """Stop the background loop and close the session this poller made."""
        if self._task is not None:
            await cancel_and_wait(self._task)
            self._task = None
        if self._own_session and self._session is not None:
            await self._session.close()
            self._session = None
