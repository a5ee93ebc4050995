"""Source tiers: official, wire, press or aggregator, from a source's domain (`data/source-tiers.yaml`)."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

from bot.dataset import fields, reader
from bot.dataset.problems import Problem
from bot.domain import Source

log = logging.getLogger(__name__)

TIERS_FILE: Final = "source-tiers.yaml"
"""The tier table's file name inside a data directory (not a dataset file)."""
SHIPPED_TIERS: Final = Path(__file__).resolve().parent.parent.parent / "data" / TIERS_FILE


class Tier(StrEnum):
    """What kind of publisher a source is, best first."""

    OFFICIAL = "official"
    WIRE = "wire"
    PRESS = "press"
    AGGREGATOR = "aggregator"

    @property
    def rank(self) -> int:
        """0 for the best tier (official), 3 for the weakest (aggregator)."""
        return _RANK[self]


_RANK: Final = {tier: n for n, tier in enumerate(Tier)}
_DOMAIN: Final = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}")
DEFAULT_TIER: Final = Tier.PRESS
"""The tier of a domain the table does not list."""


def host_of(url: str) -> str:
    """The lowercase host of `url` without a trailing dot ('' if it has none)."""
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    return host.rstrip(".").lower()


@dataclass(frozen=True, slots=True)
class TierTable:
    """Domain → tier; a listed domain also covers its subdomains, the longest match wins."""

    domains: Mapping[str, Tier] = field(default_factory=dict)

    def of_url(self, url: str) -> Tier:
        """The tier of a web address by its host (unknown hosts: `DEFAULT_TIER`)."""
        labels = host_of(url).split(".")
        for start in range(len(labels)):
            found = self.domains.get(".".join(labels[start:]))
            if found is not None:
                return found
        return DEFAULT_TIER

    def of(self, source: Source) -> Tier:
        """A source's tier: its domain's, raised to wire when it republishes an agency's copy (`via`)."""
        tier = self.of_url(source.url)
        if source.via and tier.rank > Tier.WIRE.rank:
            return Tier.WIRE
        return tier

    def best(self, sources: Iterable[Source]) -> Tier | None:
        """The best tier among `sources` (None when there are none)."""
        tiers = [self.of(source) for source in sources]
        return min(tiers, key=lambda tier: tier.rank) if tiers else None


def parse_tiers(data: object, filename: str) -> tuple[TierTable, list[Problem]]:
    """A `TierTable` from parsed YAML (tier name → list of domains), with problems for bad parts."""
    problems: list[Problem] = []
    if data is None:
        return TierTable(), problems
    if not isinstance(data, dict):
        reason = f"expected a mapping of tier → list of domains, got {fields.describe(data)}"
        return TierTable(), [Problem(filename, "", "", reason)]
    domains: dict[str, Tier] = {}
    allowed = ", ".join(tier.value for tier in Tier)
    for key, items in data.items():
        if key not in {tier.value for tier in Tier}:
            problems.append(Problem(filename, "", fields.show(key), f"unknown tier; use {allowed}"))
            continue
        tier = Tier(key)
        if items is None:
            continue
        if not isinstance(items, list):
            problems.append(
                Problem(filename, key, "", f"expected a list of domains, got {fields.describe(items)}")
            )
            continue
        for index, item in enumerate(items):
            domain = item.strip().rstrip(".").lower() if isinstance(item, str) else ""
            if not _DOMAIN.fullmatch(domain) or domain.startswith("www."):
                reason = f"{fields.show(item)} is not a domain name (write it bare, e.g. nato.int)"
                problems.append(Problem(filename, key, f"[{index}]", reason))
                continue
            if domain in domains and domains[domain] is not tier:
                reason = f"{domain!r} is already listed under {domains[domain].value}"
                problems.append(Problem(filename, key, f"[{index}]", reason))
                continue
            domains[domain] = tier
    return TierTable(domains), problems


def load_tiers(path: str | Path) -> tuple[TierTable, list[Problem]]:
    """Read a tier table file (a missing file is an empty table: every source counts as press)."""
    file = Path(path)
    name = str(file)
    try:
        text = reader.decode(file.read_bytes())
        data = reader.load(text, as_json=False)
    except FileNotFoundError:
        return TierTable(), [Problem(name, "", "", "no such file: every source counts as press")]
    except (OSError, reader.DocumentError) as exc:
        return TierTable(), [Problem(name, "", "", f"the tier table cannot be read ({exc})")]
    return parse_tiers(data, name)


_active: list[TierTable] = []


def use_tiers_of(directory: Path) -> None:
    """Make `directory`'s tier table the one `active_tiers` returns (the shipped one if it has none).

    Called once at startup with the bot's data directory; problems are logged, never raised.
    """
    file = directory / TIERS_FILE
    table = shipped_tiers()
    if file.is_file() and file.resolve() != SHIPPED_TIERS:
        table, problems = load_tiers(file)
        for problem in problems:
            log.warning("source tiers: %s", problem)
    _active[:] = [table]


def active_tiers() -> TierTable:
    """The table the renderer badges sources with: the data directory's, else the shipped one."""
    return _active[0] if _active else shipped_tiers()


@functools.cache
def shipped_tiers() -> TierTable:
    """The table shipped in `data/` (read once); problems are logged, never raised."""
    table, problems = load_tiers(SHIPPED_TIERS)
    for problem in problems:
        log.warning("source tiers: %s", problem)
    return table
