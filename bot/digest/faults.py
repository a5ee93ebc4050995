"""Crash drills: stop the scheduler at a named step so a test can SIGKILL the process there.

Set DIGEST_PAUSE_AT to after_claim, after_part_post, after_post or after_record and DIGEST_PAUSE_FILE to a path;
at that step the scheduler writes the file and waits forever. Unset in production.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

STEPS = ("after_claim", "after_part_post", "after_post", "after_record")


async def checkpoint(step: str) -> None:
    """Pause here for good if a crash drill asked for this step."""
    if os.environ.get("DIGEST_PAUSE_AT") != step:
        return
    marker = os.environ.get("DIGEST_PAUSE_FILE")
    if marker:
        await asyncio.to_thread(Path(marker).write_text, step, encoding="utf-8")
    await asyncio.Event().wait()
