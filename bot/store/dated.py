"""A topic's visible events in date order, kept compactly in memory for paging and date filters."""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.domain import FuzzyDate

_PRECISION_CODE = {"day": 0, "month": 1, "year": 2}


@dataclass(frozen=True, slots=True)
class DatedEvents:
    """A topic's visible events in date order: ids with their dates (ordinals) and precisions."""

    ids: tuple[str, ...]
    days: array[int]
    precisions: bytes

    @classmethod
    def of(cls, rows: Sequence[Any]) -> DatedEvents:
        return cls(
            ids=tuple(r[0] for r in rows),
            days=array("l", (r[1].toordinal() for r in rows)),
            precisions=bytes(_PRECISION_CODE.get(r[2], 0) for r in rows),
        )

    def window(self, since: FuzzyDate | None, until: FuzzyDate | None) -> Sequence[str]:
        """The ids within `since`..`until`, in date order.

        An event dated to a month or a year is kept if its period overlaps `since` (it is stored
        on the period's first day, so only events in the year before `since` need a closer look).
        """
        end = bisect.bisect_right(self.days, until.end.toordinal()) if until else len(self.ids)
        if since is None:
            return self.ids[:end]
        v = since.value
        day = v.toordinal()
        month = date(v.year, v.month, 1).toordinal()
        year = date(v.year, 1, 1).toordinal()
        lo = bisect.bisect_left(self.days, year, 0, end)
        sure = max(lo, bisect.bisect_left(self.days, day, 0, end))
        starts = (day, month, year)
        maybe = [self.ids[i] for i in range(lo, sure) if self.days[i] >= starts[self.precisions[i]]]
        return maybe + list(self.ids[sure:end]) if maybe else self.ids[sure:end]
