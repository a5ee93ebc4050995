"""The in-memory since/until filter of a cached timeline agrees with the rule stated for it."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from bot.domain import FuzzyDate
from bot.store.dated import DatedEvents

PRECISIONS = ("day", "month", "year")


def stored_on(day: date, precision: str) -> date:
    """Where an event dated to a month or year is stored: its period's first day."""
    if precision == "month":
        return day.replace(day=1)
    if precision == "year":
        return day.replace(month=1, day=1)
    return day


def overlaps(day: date, precision: str, since: FuzzyDate | None, until: FuzzyDate | None) -> bool:
    """An event is in the window if its period overlaps since..until."""
    if until is not None and day > until.end:
        return False
    if since is None:
        return True
    v = since.value
    start = {"day": v, "month": date(v.year, v.month, 1), "year": date(v.year, 1, 1)}[precision]
    return day >= start


days = st.dates(min_value=date(2019, 1, 1), max_value=date(2026, 12, 31))
events = st.lists(st.tuples(days, st.sampled_from(PRECISIONS)), max_size=60)
bounds = st.one_of(
    st.none(),
    st.builds(
        lambda d, p: FuzzyDate.parse(
            {"day": d.isoformat(), "month": d.isoformat()[:7], "year": d.isoformat()[:4]}[p]
        ),
        days,
        st.sampled_from(PRECISIONS),
    ),
)


@given(events, bounds, bounds)
def test_window_keeps_exactly_the_overlapping_events_in_date_order(
    raw: list[tuple[date, str]], since: FuzzyDate | None, until: FuzzyDate | None
) -> None:
    rows = sorted(
        ((f"ev-{i:03d}", stored_on(d, p), p) for i, (d, p) in enumerate(raw)), key=lambda r: (r[1], r[0])
    )
    dated = DatedEvents.of(rows)
    expected = [i for i, d, p in rows if overlaps(d, p, since, until)]
    assert list(dated.window(since, until)) == expected


def test_a_month_event_overlaps_a_since_in_its_month() -> None:
    """Worked example: an event dated 2023-07 is kept for since 2023-07-20, not for 2023-08-01."""
    dated = DatedEvents.of([("ev-a", date(2023, 7, 1), "month"), ("ev-b", date(2023, 7, 10), "day")])
    assert list(dated.window(FuzzyDate.parse("2023-07-20"), None)) == ["ev-a"]
    assert list(dated.window(FuzzyDate.parse("2023-08-01"), None)) == []
    assert list(dated.window(None, FuzzyDate.parse("2023-07-05"))) == ["ev-a"]
