"""Problems found in data files: where (file, entry, field) and why."""

from __future__ import annotations

from dataclasses import dataclass


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
