"""First start: an empty database gets the curated dataset shipped in data/."""

from __future__ import annotations

import logging
from pathlib import Path

from bot.dataset import load_dataset
from bot.store import Store

log = logging.getLogger(__name__)


class SeedError(Exception):
    """The shipped dataset did not load; the message lists every problem."""


async def seed_if_empty(store: Store, data_dir: Path) -> bool:
    """Import `data_dir` into the global scope if the store has no actors yet; True if it did."""
    if not await store.is_empty():
        return False
    dataset, problems = load_dataset(data_dir)
    if problems:
        raise SeedError(f"the dataset in {data_dir} has problems:\n" + "\n".join(map(str, problems)))
    report = await store.writes.import_dataset(dataset, reason="first start: seeded from data/")
    if report.problems:
        raise SeedError("seeding failed:\n" + "\n".join(map(str, report.problems)))
    log.info("seeded an empty store from %s: %d entries", data_dir, len(report.added))
    return True
