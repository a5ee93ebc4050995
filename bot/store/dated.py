"""A topic's visible events in date order, kept compactly in memory for paging and date filters."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.domain import FuzzyDate

_PRECISION_CODE = {"day": 0, "month": 1, "year": 2}


@dataclass(frozen=True, slots=True)
class DatedEvents:
    """A topic's visible events in date order: ids with their dates (ISO text) and precisions.

    ISO dates order as text, so the dates stay strings: no date objects per event.
    """

    ids: tuple[str, ...]
    days: list[str]
    precisions: bytes

    @classmethod
    def of(cls, rows: Sequence[Any]) -> DatedEvents:
        """From (id, date or ISO date text, precision) rows in date order."""
        return cls(
            ids=tuple(r[0] for r in rows),
            days=[d if isinstance(d := r[1], str) else d.isoformat() for r in rows],
            precisions=bytes(_PRECISION_CODE.get(r[2], 0) for r in rows),
        )

    def window(self, since: FuzzyDate | None, until: FuzzyDate | None) -> Sequence[str]:
        """The ids within `since`..`until`, in date order.

        An event dated to a month or a year is kept if its period overlaps `since` (it is stored
        on the period's first day, so only events in the year before `since` need a closer look).
        """
        end = bisect.bisect_right(self.days, until.end.isoformat()) if until else len(self.ids)
        if since is None:
            return self.ids[:end]
        v = since.value
        day = v.isoformat()
        month = date(v.year, v.month, 1).isoformat()
        year = date(v.year, 1, 1).isoformat()
        lo = bisect.bisect_left(self.days, year, 0, end)
        sure = max(lo, bisect.bisect_left(self.days, day, 0, end))
        starts = (day, month, year)
        maybe = [self.ids[i] for i in range(lo, sure) if self.days[i] >= starts[self.precisions[i]]]
        return maybe + list(self.ids[sure:end]) if maybe else self.ids[sure:end]
