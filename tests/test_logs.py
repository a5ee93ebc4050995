"""Log lines: written by a background thread, the token never in them, nothing lost at exit."""

from __future__ import annotations

import logging

import pytest

from bot import logs


def test_lines_are_written_redacted_and_flushed_at_exit(capfd: pytest.CaptureFixture[str]) -> None:
    """A secret in a message or a traceback is replaced; every queued line is out once logging stops."""
    logs.setup_logging("INFO", ["s3cret-token"])
    log = logging.getLogger("bot.test")
    try:
        for i in range(200):
            log.info("interaction %d with s3cret-token inside", i)
        try:
            raise RuntimeError("failed with s3cret-token")
        except RuntimeError:
            log.exception("handler failed")
    finally:
        logs._stop_listener()  # what the interpreter does at exit
        logging.getLogger().handlers[:] = []
    err = capfd.readouterr().err
    assert "s3cret-token" not in err
    assert err.count("interaction ") == 200 and "interaction 199 with [redacted] inside" in err
    assert "RuntimeError: failed with [redacted]" in err
