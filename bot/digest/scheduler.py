"""The digest scheduler: sleeps until the next due time (or a wake-up), claims, posts, records."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any

import discord

from bot.digest_model.types import Change, Claim, DigestContent, Subscription
from bot.drills import Clock, checkpoint
from bot.metrics import Metrics
from bot.render.digest import digest_choices, digest_pages
from bot.store import Store
from bot.tasks import cancel_and_wait

log = logging.getLogger(__name__)

CONCURRENT_POSTS = 5


class DeliveryError(Exception):
    """A digest could not be posted; `permanent` disables the subscription (with the reason)."""

    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


Poster = Callable[[int, discord.Embed, str, tuple[tuple[str, str], ...]], Awaitable[int]]
"""Posts (channel id, embed, nonce, the "Open an entry…" menu's (id, label) choices) → message id."""


CACHED_RENDERS = 256  # distinct digests whose pages are kept (a tick's claims hold up to 100)


class Rendered:
    """Pages and entry menus of recent digests, each distinct digest rendered once.

    Digests of one window whose subscriptions name the same topics (or all) list the same changes,
    and a digest's pages depend on nothing else (changes, topic titles, window): they are rendered
    once and the same embeds posted to each channel (posting only reads them).
    """

    def __init__(self, size: int = CACHED_RENDERS) -> None:
        self._size = size
        self._done: OrderedDict[
            tuple[tuple[Change, ...], tuple[str, ...], datetime, datetime],
            tuple[list[discord.Embed], tuple[tuple[str, str], ...]],
        ] = OrderedDict()

    def get(self, content: DigestContent) -> tuple[list[discord.Embed], tuple[tuple[str, str], ...]]:
        """The digest's pages (one embed per message) and its "Open an entry…" choices."""
        key = (content.changes, content.topic_titles, content.covered_from, content.covered_until)
        found = self._done.get(key)
        if found is not None:
            self._done.move_to_end(key)
            return found
        found = self._done[key] = (digest_pages(content), digest_choices(content))
        if len(self._done) > self._size:
            self._done.popitem(last=False)
        return found


class DigestScheduler:
    """Posts each due digest exactly once; state lives in the database (see bot.store.digests)."""

    def __init__(
        self,
        store: Store,
        poster: Poster,
        *,
        clock: Clock,
        tick_seconds: float,
        metrics: Metrics | None = None,
    ) -> None:
        self.store = store
        self.poster = poster
        self.clock = clock
        self.tick = tick_seconds
        self.holder = f"{socket.gethostname()}:{os.getpid()}"
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.metrics = metrics or Metrics()
        self.rendered = Rendered()

    def start(self) -> None:
        """Run the loop in the background."""
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name="digest-scheduler")

    async def stop(self) -> None:
        """Stop the loop (a delivery in flight is abandoned; its claim expires and is retried)."""
        if self._task is not None:
            await cancel_and_wait(self._task)
            self._task = None

    def wake(self) -> None:
        """Re-check now (a subscription was added or changed)."""
        self._wake.set()

    async def _loop(self) -> None:
        while True:
            try:
                await self.run_once()
            except Exception:
                log.exception("digest tick failed")
            delay = self.tick
            try:
                wake_at = await self.store.digests.next_wake()
                if wake_at is not None:
                    delay = min(self.tick, max(0.05, (wake_at - self.clock.now()).total_seconds()))
            except Exception:
                log.exception("could not compute the next digest wake-up")
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=delay)

    async def run_once(self) -> int:
        """Claim and deliver every due digest; returns how many were handled.

        The claimed digests are composed together (see compose_all), each distinct digest is
        rendered once (Rendered); each claim is then posted and recorded on its own.
        """
        claims = await self.store.digests.claim_due(self.clock.now(), self.holder)
        if not claims:
            return 0
        contents = await self.compose_all([(c.subscription, c.covered_from, c.covered_until) for c in claims])
        gate = asyncio.Semaphore(CONCURRENT_POSTS)

        async def one(claim: Claim, content: DigestContent) -> None:
            async with gate:
                await self.deliver(claim, content)

        await asyncio.gather(*(one(c, content) for c, content in zip(claims, contents, strict=True)))
        return len(claims)

    async def compose(self, sub: Subscription, since: datetime, until: datetime) -> DigestContent:
        """The digest of `sub` for changes after `since` up to `until`."""
        return (await self.compose_all([(sub, since, until)]))[0]

    async def compose_all(
        self, wanted: Sequence[tuple[Subscription, datetime, datetime]]
    ) -> list[DigestContent]:
        """The digests of many (subscription, since, until), in order: one read of the changes per
        window for all of them (bot.store.changes.ChangeLog.between_many)."""
        by_window: dict[tuple[datetime, datetime], list[int]] = {}
        for i, (_, since, until) in enumerate(wanted):
            by_window.setdefault((since, until), []).append(i)
        changes: list[tuple[Change, ...]] = [()] * len(wanted)
        for (since, until), indices in by_window.items():
            found = await self.store.changes.between_many(
                [(wanted[i][0].guild_id, wanted[i][0].topics) for i in indices], since, until
            )
            for i, listed in zip(indices, found, strict=True):
                changes[i] = tuple(listed)
        topics = (await self.store.catalog.get()).topics
        out = []
        for (sub, since, until), items in zip(wanted, changes, strict=True):
            titles: list[str] = []
            for slug in sub.topics:
                try:
                    titles.append(topics.resolve(sub.guild_id, slug)[1].title)
                except Exception:  # a topic deleted since: its slug stands in for its title
                    titles.append(slug)
            out.append(DigestContent(sub, items, since, until, tuple(titles)))
        return out

    async def deliver(self, claim: Claim, content: DigestContent | None = None) -> bool:
        """Post one claimed digest (same nonce and content on every retry) and record it.

        `content` is the claim's digest if already composed (run_once composes a tick's together).
        """
        sub = claim.subscription
        try:
            if content is None:
                content = await self.compose(sub, claim.covered_from, claim.covered_until)
            await checkpoint("after_claim")
            if not content.changes and not sub.post_empty:
                await self.store.digests.record_done(claim, self.clock.now(), [], posted=False)
                return False
            # Each part is recorded as it is posted; a retry (same window, same pages) resumes at the
            # first part not recorded, so an earlier part is never posted again once Discord's nonce
            # window has passed. A part posted but not yet recorded is retried with its nonce.
            ids = list(claim.posted_ids)
            pages, choices = self.rendered.get(content)
            for i, embed in enumerate(pages):
                if i < len(ids):
                    continue
                menu = choices if i == len(pages) - 1 else ()  # under the last part: the whole list
                ids.append(await self.poster(sub.channel_id, embed, f"{claim.nonce}{i:02x}", menu))
                await checkpoint("after_part_post")
                await self.store.digests.record_part(claim, i, ids[-1])
            await checkpoint("after_post")
            await self.store.digests.record_done(claim, self.clock.now(), ids, posted=True)
            self.metrics.digests_posted += 1
            log.info(
                "digest posted sub=%s guild=%s period=%s parts=%d",
                sub.id,
                sub.guild_id,
                claim.period,
                len(ids),
            )
            await checkpoint("after_record")
            return True
        except DeliveryError as exc:
            self.metrics.digests_failed += 1
            if exc.permanent:
                self.metrics.digests_disabled += 1
            log.warning("digest failed sub=%s permanent=%s: %s", sub.id, exc.permanent, exc.reason)
            await self.store.digests.record_failure(
                claim, self.clock.now(), exc.reason, permanent=exc.permanent
            )
            return False


def discord_poster(client: discord.Client) -> Poster:
    """Post an embed to a channel (public discord.py API), with a nonce Discord enforces."""

    async def post(
        channel_id: int, embed: discord.Embed, nonce: str, choices: tuple[tuple[str, str], ...] = ()
    ) -> int:
        from bot.discord_app.paging import (
            entry_menu_view,  # local: the scheduler loads before the Discord side
        )

        menu: dict[str, Any] = {"view": entry_menu_view(choices)} if choices else {}
        channel = client.get_partial_messageable(channel_id)
        try:
            # A nonce makes discord.py ask Discord to enforce it (enforce_nonce): a retry within
            # Discord's window returns the first message instead of posting a second.
            message = await channel.send(
                embed=embed, nonce=nonce, allowed_mentions=discord.AllowedMentions.none(), **menu
            )
        except discord.NotFound as exc:
            raise DeliveryError(
                f"channel <#{channel_id}> is gone or hidden ({exc.text or 'Unknown Channel'})", permanent=True
            ) from exc
        except discord.Forbidden as exc:
            raise DeliveryError(
                f"no permission to post in <#{channel_id}> ({exc.text or 'Missing Access'}): "
                "give the bot View Channel, Send Messages and Embed Links there, then subscribe again",
                permanent=True,
            ) from exc
        except discord.HTTPException as exc:
            # Any other 4xx but 429 (waited out by discord.py) will be refused again the same way,
            # e.g. 400/50035 for a message Discord will not take: stop and say why.
            permanent = 400 <= exc.status < 500 and exc.status != 429
            raise DeliveryError(
                f"Discord refused the post ({exc.status}{f'/{exc.code}' if exc.code else ''}: {exc.text[:200]})"
                if permanent
                else f"Discord error {exc.status}: {exc.text[:200]}",
                permanent=permanent,
            ) from exc
        except (OSError, TimeoutError) as exc:
            raise DeliveryError(f"network error: {exc}", permanent=False) from exc
        return message.id

    return post
