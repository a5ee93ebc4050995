"""A timeline's since/until filter, as SQL on the event_topics index, agrees with the rule stated for it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, create_engine, delete, insert

from bot.db.models import Base, EventRow, EventTopicRow, utcnow
from bot.domain import FuzzyDate
from bot.store.dated import DatedWindow

PRECISIONS = ("day", "month", "year")
TOPIC = 7


@pytest.fixture(scope="module")
def db() -> Iterator[Engine]:
    """A real SQLite database with the store's tables (foreign keys off: links without events)."""
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


def window(
    db: Engine, rows: list[tuple[str, date, str]], since: FuzzyDate | None, until: FuzzyDate | None
) -> tuple[list[str], int]:
    """Store the rows as events linked to one topic; return the matching ids in order, and their count."""
    with db.begin() as conn:
        conn.execute(delete(EventTopicRow))
        conn.execute(delete(EventRow))
        if rows:
            now = utcnow()
            conn.execute(
                insert(EventRow),
                [
                    {
                        "id": i,
                        "guild_id": 0,
                        "occurred_on": d,
                        "precision": p,
                        "title": i,
                        "summary": "",
                        "status": "verified",
                        "created_at": now,
                        "updated_at": now,
                    }
                    for i, d, p in rows
                ],
            )
            conn.execute(
                insert(EventTopicRow),
                [
                    {
                        "event_id": i,
                        "topic_id": TOPIC,
                        "guild_id": 0,
                        "occurred_on": d,
                        "precision": p,
                        "removed": False,
                    }
                    for i, d, p in rows
                ],
            )
        found = DatedWindow(TOPIC, (0,), since, until)
        ids = [r.id for r in conn.execute(found.page_stmt(), found.params(0, 1000))]
        return ids, int(conn.scalar(found.count_stmt(), found.params()) or 0)


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


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(events, bounds, bounds)
def test_window_keeps_exactly_the_overlapping_events_in_date_order(
    db: Engine, raw: list[tuple[date, str]], since: FuzzyDate | None, until: FuzzyDate | None
) -> None:
    rows = [(f"ev-{i:03d}", stored_on(d, p), p) for i, (d, p) in enumerate(raw)]
    expected = [i for i, d, p in sorted(rows, key=lambda r: (r[1], r[0])) if overlaps(d, p, since, until)]
    assert window(db, rows, since, until) == (expected, len(expected))


def test_a_month_event_overlaps_a_since_in_its_month(db: Engine) -> None:
    """Worked example: an event dated 2023-07 is kept for since 2023-07-20, not for 2023-08-01."""
    rows = [("ev-a", date(2023, 7, 1), "month"), ("ev-b", date(2023, 7, 10), "day")]
    assert window(db, rows, FuzzyDate.parse("2023-07-20"), None) == (["ev-a"], 1)
    assert window(db, rows, FuzzyDate.parse("2023-08-01"), None) == ([], 0)
    assert window(db, rows, None, FuzzyDate.parse("2023-07-05")) == (["ev-a"], 1)


def test_since_and_until_are_inclusive_to_the_day(db: Engine) -> None:
    """Worked example: since's first day and until's last day are in the window, the days beside them
    are not; a month's last day is its real one (28, or 29 in a leap year)."""
    rows = [
        ("ev-a", date(2025, 2, 11), "day"),
        ("ev-b", date(2025, 2, 12), "day"),
        ("ev-c", date(2025, 2, 28), "day"),
        ("ev-d", date(2025, 3, 1), "day"),
    ]
    assert window(db, rows, FuzzyDate.parse("2025-02-12"), FuzzyDate.parse("2025-02")) == (
        ["ev-b", "ev-c"],
        2,
    )
    one_day = FuzzyDate.parse("2025-02-12")
    assert window(db, rows, one_day, one_day) == (["ev-b"], 1)
    leap = [("ev-leap", date(2024, 2, 29), "day"), ("ev-march", date(2024, 3, 1), "day")]
    assert window(db, leap, None, FuzzyDate.parse("2024-02")) == (["ev-leap"], 1)
    assert window(db, leap, None, FuzzyDate.parse("2024-02-29")) == (["ev-leap"], 1)
