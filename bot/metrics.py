"""Operational metrics through prometheus_client, served in Prometheus text format (see bot.discord_app.health).

Each Metrics has its own registry (tests run several bots in one process) with the standard
process metrics (memory, CPU, open files) beside the bot's own, whose names are part of the
interface: dashboards and alerts use them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import aiohttp
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    ProcessCollector,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

log = logging.getLogger("bot.interactions")

# No `…_created` series: they double the output and nothing here reads them.
disable_created_metrics()

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class _Gauges(Collector):
    """The gauges read at scrape time from callables (gateway state, guild count, latency)."""

    def __init__(self, gauges: dict[str, Callable[[], float]]) -> None:
        self.gauges = gauges

    def collect(self) -> Iterator[Metric]:
        for name, read in sorted(dict(self.gauges).items()):
            try:
                value = float(read())
            except Exception:  # a gauge must never break the scrape
                log.debug("gauge %s failed", name, exc_info=True)
                continue
            yield GaugeMetricFamily(name, name.replace("_", " "), value=value)


class Metrics:
    """Counters, the interaction-latency histogram and gauges of one process."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        ProcessCollector(registry=self.registry)
        self._interactions = Counter(
            "briefing_interactions",
            "Interactions handled, by command and outcome.",
            ["command", "outcome"],
            registry=self.registry,
        )
        self._latency = Histogram(
            "briefing_interaction_seconds",
            "Time from receiving an interaction to handling it.",
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self._posted = Counter("briefing_digests_posted", "Digests posted.", registry=self.registry)
        self._failed = Counter("briefing_digests_failed", "Digest posts that failed.", registry=self.registry)
        self._disabled = Counter(
            "briefing_digests_disabled",
            "Digest subscriptions disabled by a permanent failure (reason in /digest list).",
            registry=self.registry,
        )
        self._429 = Counter(
            "briefing_rest_429", "REST answers with status 429 (rate limited).", registry=self.registry
        )
        self.gauges: dict[str, Callable[[], float]] = {}
        self.registry.register(_Gauges(self.gauges))

    # Counters the scheduler bumps with `+= 1`: read the current value, add the increase.
    @property
    def digests_posted(self) -> int:
        return int(self._posted._value.get())

    @digests_posted.setter
    def digests_posted(self, value: int) -> None:
        self._posted.inc(max(0, value - self.digests_posted))

    @property
    def digests_failed(self) -> int:
        return int(self._failed._value.get())

    @digests_failed.setter
    def digests_failed(self, value: int) -> None:
        self._failed.inc(max(0, value - self.digests_failed))

    @property
    def digests_disabled(self) -> int:
        return int(self._disabled._value.get())

    @digests_disabled.setter
    def digests_disabled(self, value: int) -> None:
        self._disabled.inc(max(0, value - self.digests_disabled))

    @property
    def rest_429(self) -> int:
        return int(self._429._value.get())

    def observe_interaction(self, command: str, guild_id: int | None, seconds: float, outcome: str) -> None:
        """Count one handled interaction and log its one line (command, guild, latency, outcome)."""
        self._interactions.labels(command=command, outcome=outcome).inc()
        self._latency.observe(seconds)
        log.info(
            "interaction command=%s guild=%s latency_ms=%.1f outcome=%s",
            command,
            guild_id,
            seconds * 1000,
            outcome,
        )

    def trace_config(self) -> aiohttp.TraceConfig:
        """An aiohttp trace that counts REST 429 answers (give it to discord.py as http_trace)."""
        trace = aiohttp.TraceConfig()

        async def on_end(_session: object, _ctx: object, params: aiohttp.TraceRequestEndParams) -> None:
            if params.response.status == 429:
                self._429.inc()

        trace.on_request_end.append(on_end)
        return trace

    def render(self) -> str:
        """Everything in Prometheus text exposition format 0.0.4."""
        return generate_latest(self.registry).decode("utf-8")
