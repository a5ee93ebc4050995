"""/metrics text: today's metric names kept, standard process metrics added (prometheus_client)."""

from __future__ import annotations

import sys

from bot.metrics import Metrics

NAMES = {
    "briefing_interactions_total": "counter",
    "briefing_interaction_seconds": "histogram",
    "briefing_digests_posted_total": "counter",
    "briefing_digests_failed_total": "counter",
    "briefing_rest_429_total": "counter",
    "briefing_guilds": "gauge",
}


def test_metric_names_types_and_values() -> None:
    """Each of today's metrics keeps its name and type; counts and buckets are right."""
    metrics = Metrics()
    metrics.gauges["briefing_guilds"] = lambda: 3
    metrics.gauges["briefing_broken"] = lambda: 1 / 0  # must not break the scrape
    metrics.observe_interaction("position", 1, 0.003, "ok")
    metrics.observe_interaction("position", 1, 0.3, "not_found")
    metrics.digests_posted += 1
    metrics.digests_failed += 1
    metrics.digests_failed += 1
    text = metrics.render()
    lines = text.splitlines()
    for name, kind in NAMES.items():
        assert f"# TYPE {name} {kind}" in lines, name
    values = {line.rpartition(" ")[0]: float(line.rpartition(" ")[2]) for line in lines if line[:1] != "#"}
    assert values['briefing_interactions_total{command="position",outcome="ok"}'] == 1
    assert values['briefing_interaction_seconds_bucket{le="0.005"}'] == 1
    assert values['briefing_interaction_seconds_bucket{le="0.5"}'] == 2
    assert values["briefing_interaction_seconds_count"] == 2
    assert values["briefing_digests_posted_total"] == 1
    assert values["briefing_digests_failed_total"] == 2
    assert values["briefing_guilds"] == 3
    assert "briefing_broken" not in text
    assert "_created" not in text


def test_process_metrics_come_with_it() -> None:
    """Memory, CPU and open files of the process are exported (on Linux)."""
    text = Metrics().render()
    if sys.platform.startswith("linux"):
        for name in ("process_resident_memory_bytes", "process_cpu_seconds_total", "process_open_fds"):
            assert f"\n{name} " in text, name
