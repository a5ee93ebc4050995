"""Problems found in data files: where (file, entry, field) and why."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.dataset import limits


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a data file.

    `entry` names the entry (`positions[3] (id pos-x)`) and `field` the field inside it
    (`sources[0].url`); either is empty when the problem concerns the whole document or entry.
    """

    file: str
    entry: str
    field: str
    reason: str
    line: int | None = None  # in the file, when known (YAML and JSON documents)

    def __str__(self) -> str:
        return ": ".join(part for part in (self.file, self.entry, self.field, self.reason) if part)

    def located(self) -> str:
        """As `str`, with the line after the file name when known: `data/x.yaml:14: …` (the CLI's form)."""
        where = f"{self.file}:{self.line}" if self.file and self.line else self.file
        return ": ".join(part for part in (where, self.entry, self.field, self.reason) if part)


class ProblemCap:
    """Problems kept up to `limits.MAX_PROBLEMS`; beyond that only counted, and summed up in one
    closing line naming `file`."""

    def __init__(self, file: str = "") -> None:
        self.file = file
        self.items: list[Problem] = []
        self.dropped = 0

    @property
    def full(self) -> bool:
        """True once no more problems will be kept (so callers can skip costly hints)."""
        return len(self.items) >= limits.MAX_PROBLEMS

    def keep(self, make: Callable[[], Problem]) -> None:
        """Keep the problem `make` builds, or once full only count it (`make` is then not called)."""
        if self.full:
            self.dropped += 1
        else:
            self.items.append(make())

    def result(self) -> list[Problem]:
        """The problems, with a closing summary line if some were dropped."""
        if not self.dropped:
            return list(self.items)
        more = Problem(self.file, "", "", f"… and {self.dropped:,} more problems not shown")
        return [*self.items, more]
