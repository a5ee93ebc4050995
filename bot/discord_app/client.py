"""The Bot subclass: wiring at startup (schema, seed data, extensions, command sync) and shutdown."""

from __future__ import annotations

import asyncio
import gc
import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from bot.config import Settings
from bot.digest.scheduler import DigestScheduler, discord_poster
from bot.discord_app import internals, stale_components
from bot.discord_app.pending_imports import PendingImports
from bot.discord_app.permissions import invite_url
from bot.discord_app.tree import BriefingTree
from bot.drills import Clock
from bot.metrics import Metrics
from bot.sources.guard import AllowList
from bot.sources.poller import Poller, PollSettings
from bot.sources.types import Recorded
from bot.store import Store
from bot.tasks import cancel_and_wait

log = logging.getLogger(__name__)

EXTENSIONS = ("cogs.briefing", "cogs.admin", "cogs.digest", "cogs.sources")
SUMMARY_SECONDS = 60.0
"""How often the INFO summary of interactions is logged (each interaction's own line is DEBUG)."""


def apply_endpoint_overrides(settings: Settings) -> None:
    """Point discord.py's REST and gateway at a proxy or a local simulator when configured."""
    if settings.api_base_url:
        internals.set_rest_base(settings.api_base_url)
    if settings.gateway_url:
        internals.set_gateway(settings.gateway_url)


def intents() -> discord.Intents:
    """Only what slash commands need: no privileged intents, no message or member events."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    return wanted


if TYPE_CHECKING:

    class _BotBase(commands.bot.BotBase, discord.Client):
        """What the mixin builds on, for the type checker: both bot classes are discord.py's BotBase
        and a discord.Client (commands.Bot, or AutoShardedBot with its sharded Client)."""

else:
    _BotBase = object


class BriefingMixin(_BotBase):
    """Behaviour shared by the single-connection and the sharded bot."""

    store: Store
    settings: Settings
    digest_scheduler: DigestScheduler
    metrics: Metrics
    sources_poller: Poller
    pending_imports: PendingImports
    _queue_depth: int = 0
    _stop_counting_429: Callable[[], None] | None = None
    _summaries: asyncio.Task[None] | None = None

    def _init_briefing(self, settings: Settings, store: Store) -> dict[str, Any]:
        self.settings = settings
        self.store = store
        self.metrics = Metrics()
        self._stop_counting_429 = self.metrics.count_rate_limits()
        self.pending_imports = PendingImports()
        self.digest_scheduler = DigestScheduler(
            store,
            discord_poster(self),
            clock=Clock(settings.digest_clock_file),
            tick_seconds=settings.digest_tick_seconds,
            metrics=self.metrics,
        )
        self.sources_poller = Poller(
            store,
            poll_settings(settings),
            notify=self._post_review_notices,
        )
        self.metrics.gauges["briefing_drafts_waiting"] = lambda: float(self._queue_depth)
        stats = self.sources_poller.stats

        def fetches(outcome: str) -> Callable[[], float]:
            return lambda: float(stats.fetches.get(outcome, 0))

        for outcome in ("ok", "not_modified", "error"):
            self.metrics.gauges[f"briefing_source_fetches_{outcome}"] = fetches(outcome)
        self.metrics.gauges["briefing_drafts_created"] = lambda: float(stats.drafts_created)
        self.metrics.gauges["briefing_drafts_accepted"] = lambda: float(stats.accepted)
        self.metrics.gauges["briefing_drafts_rejected"] = lambda: float(stats.rejected)
        return {
            "command_prefix": commands.when_mentioned,
            "help_command": None,
            "intents": intents(),
            "allowed_mentions": discord.AllowedMentions.none(),
            "max_messages": None,
            "member_cache_flags": discord.MemberCacheFlags.none(),
            "chunk_guilds_at_startup": False,
            "tree_cls": BriefingTree,
            "owner_ids": set(settings.owner_ids),
        }

    async def setup_hook(self) -> None:
        from bot.dataset.tiers import use_tiers_of
        from bot.seed import seed_if_empty  # local: keeps import of the client light for tests

        await seed_if_empty(self.store, self.settings.data_dir)
        use_tiers_of(self.settings.data_dir)
        stale_components.install(self)
        for ext in EXTENSIONS:
            await self.load_extension(ext)
        await self.sync_commands_if_changed()
        await self.store.catalog.get()  # the first command should not wait for the catalog
        # Everything loaded so far (catalog, commands, modules) lives as long as the process:
        # keep it out of the cyclic GC, whose full passes over it paused the loop ~100 ms.
        gc.freeze()
        self.digest_scheduler.start()
        self.sources_poller.start()
        self._summaries = asyncio.create_task(self._log_summaries(), name="interaction-summaries")

    async def _log_summaries(self) -> None:
        """Every SUMMARY_SECONDS, one INFO line about the interactions since the last one (if any)."""
        while True:
            await asyncio.sleep(SUMMARY_SECONDS)
            line = self.metrics.summary()
            if line is not None:
                log.info("%s in the last %.0f s", line, SUMMARY_SECONDS)

    async def _post_review_notices(self, results: Sequence[Recorded]) -> None:
        """Post "N new drafts from <source>" in each review channel, once per fetch cycle, no pings."""
        per_guild: dict[int, list[Recorded]] = {}
        for r in results:
            if r.new_drafts:
                per_guild.setdefault(r.guild_id, []).append(r)
        channels = await self.store.sources.review_channels(list(per_guild))
        self._queue_depth = await self.store.sources.queue_depth()
        for guild_id, channel_id in channels.items():
            lines = [
                f"{r.new_drafts} new draft{'s' if r.new_drafts != 1 else ''} from "
                f"{discord.utils.escape_markdown(r.label)}"
                for r in per_guild[guild_id]
            ]
            text = "\n".join(lines)[:1900] + "\nReview them with `/admin review`."
            try:
                channel = self.get_channel(channel_id) or await self.fetch_channel(channel_id)
                if not isinstance(channel, discord.abc.Messageable):  # a category or forum, say
                    log.warning("review channel %s cannot take messages", channel_id)
                    continue
                await channel.send(text, allowed_mentions=discord.AllowedMentions.none())
            except discord.HTTPException:
                log.warning("could not post review notice in %s", channel_id, exc_info=True)

    async def close(self) -> None:
        if self._summaries is not None:
            await cancel_and_wait(self._summaries)
            line = self.metrics.summary()
            if line is not None:
                log.info("%s since the last summary", line)
        if self._stop_counting_429 is not None:
            self._stop_counting_429()
            self._stop_counting_429 = None
        await self.sources_poller.stop()
        await self.digest_scheduler.stop()
        await super().close()

    def command_payload(self) -> list[dict[str, Any]]:
        """The command definitions as Discord receives them, in a stable order."""
        return sorted(
            (c.to_dict(self.tree) for c in self.tree.get_commands()),
            key=lambda d: d["name"],
        )

    async def sync_commands_if_changed(self) -> None:
        """Sync to SYNC_GUILD_IDS (instant) or globally, only where the tree changed since the last sync."""
        digest = hashlib.sha256(json.dumps(self.command_payload(), sort_keys=True).encode()).hexdigest()
        targets: list[discord.Object | None] = [discord.Object(g) for g in self.settings.sync_guild_ids] or [
            None
        ]
        for target in targets:
            key = f"command_hash:{target.id if target else 'global'}"
            if await self.store.get_meta(key) == digest:
                log.info("commands unchanged for %s; not syncing", key.split(":", 1)[1])
                continue
            if target is not None:
                self.tree.copy_global_to(guild=target)
            synced = await self.tree.sync(guild=target)
            await self.store.set_meta(key, digest)
            log.info("synced %d commands to %s", len(synced), key.split(":", 1)[1])

    _invite_logged = False

    async def on_ready(self) -> None:
        log.info(
            "ready as %s (%s) in %d servers", self.user, self.user.id if self.user else "?", len(self.guilds)
        )
        if not self._invite_logged and self.application_id:  # once: READY comes again after reconnects
            self._invite_logged = True
            log.info("invite link: %s", invite_url(self.application_id))


def poll_settings(settings: Settings) -> PollSettings:
    """The poller's settings from SOURCE_POLL_SECONDS, SOURCE_MIN_INTERVAL_SECONDS, SOURCE_ALLOW_HOSTS."""
    return PollSettings(
        interval=settings.source_poll_seconds,
        min_host_interval=settings.source_min_interval_seconds,
        allow=AllowList(frozenset(settings.source_allow_hosts)),
    )


class BriefingBot(BriefingMixin, commands.Bot):
    """One gateway connection (no SHARD_COUNT set)."""

    def __init__(self, settings: Settings, store: Store) -> None:
        super().__init__(**self._init_briefing(settings, store))


class ShardedBriefingBot(BriefingMixin, commands.AutoShardedBot):
    """The shards SHARD_IDS of SHARD_COUNT in this process."""

    def __init__(self, settings: Settings, store: Store) -> None:
        options = self._init_briefing(settings, store)
        if settings.shard_ids is not None:  # else discord.py runs shards 0..SHARD_COUNT-1
            options["shard_ids"] = list(settings.shard_ids)
        super().__init__(**options, shard_count=settings.shard_count)


def create_bot(settings: Settings, store: Store) -> BriefingBot | ShardedBriefingBot:
    """The bot for these settings: sharded when SHARD_COUNT is set."""
    # The bot never joins voice: discord.py's start-up warnings about missing voice libraries
    # (PyNaCl, davey) are noise. These class flags are how discord.py decides to warn.
    discord.VoiceClient.warn_nacl = False
    discord.VoiceClient.warn_dave = False
    if settings.shard_count:
        return ShardedBriefingBot(settings, store)
    return BriefingBot(settings, store)
