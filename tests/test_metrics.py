"""/metrics text: today's metric names kept, standard process metrics added (prometheus_client)."""

from __future__ import annotations

import logging
import sys

import pytest

from bot import logs
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


def test_summary_line_covers_the_interactions_since_the_last_one() -> None:
    """The INFO summary counts outcomes, mean and max latency and 429s of its window, then starts over."""
    metrics = Metrics()
    assert metrics.summary() is None  # nothing happened: no line
    metrics.observe_interaction("position", 1, 0.002, "ok")
    metrics.observe_interaction("search", 1, 0.004, "ok")
    metrics.observe_interaction("position", 2, 0.030, "not_found")
    line = metrics.summary()
    assert line is not None
    assert "interactions=3 (ok 2, not_found 1)" in line
    assert "mean=12.0 max=30.0" in line and "rest_429=0" in line
    assert metrics.summary() is None
    metrics.observe_interaction("timeline", 1, 0.001, "error")
    assert "interactions=1 (error 1)" in (metrics.summary() or "")


def _rate_limited(logger: str, fmt: str, *args: object) -> None:
    logging.getLogger(logger).warning(fmt, *args)


def test_429s_counted_from_discord_py_rate_limit_warnings(caplog: pytest.LogCaptureFixture) -> None:
    """Each of discord.py's 429 warnings (REST and webhook/interaction) counts once; other lines do not."""
    metrics = Metrics()
    stop = metrics.count_rate_limits()
    try:
        with caplog.at_level(logging.WARNING):
            fmt = "We are being rate limited. %s %s responded with 429. Retrying in %.2f seconds."
            _rate_limited("discord.http", fmt, "POST", "/channels/1/messages", 0.2)
            _rate_limited("discord.http", "Global rate limit has been hit. Retrying in %.2f seconds.", 1.0)
            _rate_limited(
                "discord.webhook.async_", "Webhook ID %s is rate limited. Retrying in %.2f seconds.", 7, 0.2
            )
            _rate_limited("discord.http", "some other warning")
        assert metrics.rest_429 == 2
        assert sum("responded with 429" in r.getMessage() for r in caplog.records) == 1  # still logged
        assert "\nbriefing_rest_429_total 2.0" in metrics.render()
        assert "rest_429=2" in (metrics.summary() or "")
    finally:
        stop()
    _rate_limited("discord.http", "We are being rate limited. %s %s responded with 429. x", "GET", "/x")
    assert metrics.rest_429 == 2  # stopped counting


def test_429s_counted_when_warnings_are_not_logged(capfd: pytest.CaptureFixture[str]) -> None:
    """With LOG_LEVEL=ERROR the 429 still counts, and the warning stays unwritten."""
    logs.setup_logging("ERROR")
    metrics = Metrics()
    stop = metrics.count_rate_limits()
    try:
        _rate_limited("discord.http", "We are being rate limited. %s %s responded with 429. x", "GET", "/x")
        logging.getLogger("discord.http").error("a real error")
    finally:
        stop()
        logs._stop_listener()
        logging.getLogger().handlers[:] = []
        logging.getLogger().setLevel(logging.WARNING)
    assert metrics.rest_429 == 1
    err = capfd.readouterr().err
    assert "responded with 429" not in err and "a real error" in err
    assert logging.getLogger("discord.http").level == logging.NOTSET  # restored
