"""Operational metrics, kept in memory and served in Prometheus text format (see bot.health).

A hand-written registry: the few counters and one histogram we need do not justify a client
library dependency, and the text format is simple and stable.
"""

from __future__ import annotations

import bisect
import logging
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable

import aiohttp

log = logging.getLogger("bot.interactions")

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


class Metrics:
    """Counters and the interaction-latency histogram of one process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.interactions: dict[tuple[str, str], int] = defaultdict(int)
        self.bucket_counts = [0] * (len(LATENCY_BUCKETS) + 1)
        self.latency_sum = 0.0
        self.latency_count = 0
        self.digests_posted = 0
        self.digests_failed = 0
        self.digests_disabled = 0
        self.rest_429 = 0
        self.gauges: dict[str, Callable[[], float]] = {}

    def observe_interaction(self, command: str, guild_id: int | None, seconds: float, outcome: str) -> None:
        """Count one handled interaction and log its one line (command, guild, latency, outcome)."""
        with self._lock:
            self.interactions[(command, outcome)] += 1
            self.bucket_counts[bisect.bisect_left(LATENCY_BUCKETS, seconds)] += 1
            self.latency_sum += seconds
            self.latency_count += 1
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
                with self._lock:
                    self.rest_429 += 1

        trace.on_request_end.append(on_end)
        return trace

    def render(self) -> str:
        """Everything in Prometheus text exposition format 0.0.4."""
        lines: list[str] = []

        def family(name: str, kind: str, help_text: str, samples: Iterable[str]) -> None:
            lines.extend([f"# HELP {name} {help_text}", f"# TYPE {name} {kind}", *samples])

        with self._lock:
            family(
                "briefing_interactions_total",
                "counter",
                "Interactions handled, by command and outcome.",
                (
                    f'briefing_interactions_total{{command="{_escape(c)}",outcome="{_escape(o)}"}} {n}'
                    for (c, o), n in sorted(self.interactions.items())
                ),
            )
            cumulative, samples = 0, []
            for bound, count in zip((*LATENCY_BUCKETS, float("inf")), self.bucket_counts, strict=True):
                cumulative += count
                le = "+Inf" if bound == float("inf") else repr(bound)
                samples.append(f'briefing_interaction_seconds_bucket{{le="{le}"}} {cumulative}')
            samples += [
                f"briefing_interaction_seconds_sum {self.latency_sum:.6f}",
                f"briefing_interaction_seconds_count {self.latency_count}",
            ]
            family(
                "briefing_interaction_seconds",
                "histogram",
                "Time from receiving an interaction to handling it.",
                samples,
            )
            family(
                "briefing_digests_posted_total",
                "counter",
                "Digests posted.",
                [f"briefing_digests_posted_total {self.digests_posted}"],
            )
            family(
                "briefing_digests_failed_total",
                "counter",
                "Digest posts that failed.",
                [f"briefing_digests_failed_total {self.digests_failed}"],
            )
            family(
                "briefing_digests_disabled_total",
                "counter",
                "Digest subscriptions disabled by a permanent failure (reason in /digest list).",
                [f"briefing_digests_disabled_total {self.digests_disabled}"],
            )
            family(
                "briefing_rest_429_total",
                "counter",
                "REST answers with status 429 (rate limited).",
                [f"briefing_rest_429_total {self.rest_429}"],
            )
            gauges = dict(self.gauges)
        for name, read in sorted(gauges.items()):
            try:
                value = float(read())
            except Exception:  # a gauge must never break the scrape
                log.debug("gauge %s failed", name, exc_info=True)
                continue
            family(name, "gauge", name.replace("_", " "), [f"{name} {value:g}"])
        return "\n".join(lines) + "\n"
