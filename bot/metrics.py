"""Operational metrics through prometheus_client, served in Prometheus text format (see bot.discord_app.health).

Each Metrics has its own registry (tests run several bots in one process) with the standard
process metrics (memory, CPU, open files) beside the bot's own, whose names are part of the
interface: dashboards and alerts use them.
"""

from __future__ import annotations

import logging
from bisect import bisect_left
from collections.abc import Callable, Iterator

from prometheus_client import (
    CollectorRegistry,
    Counter,
    ProcessCollector,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector

log = logging.getLogger("bot.interactions")

RATE_LIMIT_LOGGERS = ("discord.http", "discord.webhook.async_")
"""discord.py's loggers that say WARNING once for each 429 answer it waits out (or gives up on)."""

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


class _HotCounters(Collector):
    """The per-interaction counters and the 429 count, kept as plain numbers, exported at scrape time."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    def collect(self) -> Iterator[Metric]:
        m = self.metrics
        counts = CounterMetricFamily(
            "briefing_interactions",
            "Interactions handled, by command and outcome.",
            labels=["command", "outcome"],
        )
        for (command, outcome), n in sorted(dict(m._counts).items()):
            counts.add_metric([command, outcome], n)
        yield counts
        cumulative, buckets = 0, []
        for bound, n in zip((*LATENCY_BUCKETS, float("inf")), list(m._buckets), strict=True):
            cumulative += n
            buckets.append(("+Inf" if bound == float("inf") else repr(bound), cumulative))
        yield HistogramMetricFamily(
            "briefing_interaction_seconds",
            "Time from receiving an interaction to handling it.",
            buckets=buckets,
            sum_value=m._latency_sum,
        )
        yield CounterMetricFamily(
            "briefing_rest_429", "REST answers with status 429 (rate limited).", value=m._rest_429
        )


class _RateLimitCounter(logging.Filter):
    """Counts discord.py's own rate-limit signal: its WARNING record for each 429 answer.

    Attached to discord.py's loggers as a filter, so it sees each record they emit before any
    handler, whatever the handlers do; it never drops a record that would be written anyway.
    """

    def __init__(self, metrics: Metrics, threshold: int) -> None:
        super().__init__()
        self.metrics = metrics
        self.threshold = threshold  # the logger's level before counting (it may be lowered to WARNING)

    def filter(self, record: logging.LogRecord) -> bool:
        if (
            record.levelno == logging.WARNING
            and isinstance(record.msg, str)
            and ("responded with 429" in record.msg or "is rate limited" in record.msg)
        ):
            self.metrics._rest_429 += 1
        return record.levelno >= self.threshold


class Metrics:
    """Counters, the interaction-latency histogram and gauges of one process.

    Per interaction this costs a few integer increments (`observe_interaction`); prometheus_client
    turns them into its text at scrape time. A summary line at INFO (`summary`) replaces a line per
    interaction, which is logged at DEBUG only.
    """

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        ProcessCollector(registry=self.registry)
        self._counts: dict[tuple[str, str], int] = {}
        self._buckets = [0] * (len(LATENCY_BUCKETS) + 1)  # per bucket, not cumulative; the last is +Inf
        self._latency_sum = 0.0
        self._rest_429 = 0
        self._window: dict[str, int] = {}  # outcomes since the last summary
        self._window_sum = 0.0
        self._window_max = 0.0
        self._window_429 = 0
        self.registry.register(_HotCounters(self))
        self._posted = Counter("briefing_digests_posted", "Digests posted.", registry=self.registry)
        self._failed = Counter("briefing_digests_failed", "Digest posts that failed.", registry=self.registry)
        self._disabled = Counter(
            "briefing_digests_disabled",
            "Digest subscriptions disabled by a permanent failure (reason in /digest list).",
            registry=self.registry,
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
        return self._rest_429

    def observe_interaction(self, command: str, guild_id: int | None, seconds: float, outcome: str) -> None:
        """Count one handled interaction; its own line (command, guild, latency, outcome) is DEBUG."""
        key = (command, outcome)
        self._counts[key] = self._counts.get(key, 0) + 1
        self._buckets[bisect_left(LATENCY_BUCKETS, seconds)] += 1
        self._latency_sum += seconds
        self._window[outcome] = self._window.get(outcome, 0) + 1
        self._window_sum += seconds
        if seconds > self._window_max:
            self._window_max = seconds
        log.debug(
            "interaction command=%s guild=%s latency_ms=%.1f outcome=%s",
            command,
            guild_id,
            seconds * 1000,
            outcome,
        )

    def summary(self) -> str | None:
        """One line about the interactions since the last call (None when there were none); resets."""
        n = sum(self._window.values())
        limited = self._rest_429 - self._window_429
        self._window_429 = self._rest_429
        if not n and not limited:
            return None
        outcomes = ", ".join(f"{k} {v:,}" for k, v in sorted(self._window.items(), key=lambda kv: -kv[1]))
        mean = self._window_sum / n * 1000 if n else 0.0
        line = (
            f"interactions={n:,} ({outcomes or 'none'}) latency_ms mean={mean:.1f} "
            f"max={self._window_max * 1000:.1f} rest_429={limited}"
        )
        self._window, self._window_sum, self._window_max = {}, 0.0, 0.0
        return line

    def count_rate_limits(self) -> Callable[[], None]:
        """Count 429s from discord.py's own rate-limit warnings; returns the function that stops it."""
        counters: list[tuple[logging.Logger, _RateLimitCounter, int]] = []
        for name in RATE_LIMIT_LOGGERS:
            logger = logging.getLogger(name)
            before, threshold = logger.level, logger.getEffectiveLevel()
            if (
                threshold > logging.WARNING
            ):  # LOG_LEVEL=ERROR: let the warning reach the filter, which drops it
                logger.setLevel(logging.WARNING)
            counter = _RateLimitCounter(self, threshold)
            logger.addFilter(counter)
            counters.append((logger, counter, before))

        def stop() -> None:
            for logger, counter, before in counters:
                logger.removeFilter(counter)
                logger.setLevel(before)

        return stop

    def render(self) -> str:
        """Everything in Prometheus text exposition format 0.0.4."""
        return generate_latest(self.registry).decode("utf-8")
