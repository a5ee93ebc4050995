"""Due-time computation: local wall-clock times, DST changes, weekly days."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.digest_model.schedule import local_slot, next_due, parse_time_of_day, parse_timezone, parse_weekday
from bot.errors import InvalidInput

KYIV = ZoneInfo("Europe/Kyiv")
NY = ZoneInfo("America/New_York")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_daily_same_local_time_across_spring_dst() -> None:
    """08:00 in Kyiv is 06:00 UTC before the March change and 05:00 UTC after it."""
    first = next_due(utc(2025, 3, 29, 7), "daily", time(8), KYIV)
    assert first == utc(2025, 3, 30, 5)
    assert next_due(first, "daily", time(8), KYIV) == utc(2025, 3, 31, 5)
    assert next_due(utc(2025, 3, 28, 12), "daily", time(8), KYIV) == utc(2025, 3, 29, 6)


def test_daily_across_autumn_dst_in_new_york() -> None:
    """09:30 in New York is 13:30 UTC before 2 Nov 2025 and 14:30 UTC after."""
    assert next_due(utc(2025, 11, 1, 14), "daily", time(9, 30), NY) == utc(2025, 11, 2, 14, 30)
    assert next_due(utc(2025, 10, 31, 14), "daily", time(9, 30), NY) == utc(2025, 11, 1, 13, 30)


def test_evening_west_of_utc_is_due_the_same_local_evening() -> None:
    """At 02:00 UTC it is still 22:00 the evening before in New York: a daily 23:00 digest comes an
    hour later, not a day later (the local day, not the UTC one, decides)."""
    assert next_due(utc(2025, 6, 10, 2), "daily", time(23), NY) == utc(2025, 6, 10, 3)
    assert next_due(utc(2025, 6, 10, 2), "weekly", time(23), NY, weekday=0) == utc(2025, 6, 10, 3)


def test_time_in_spring_gap_moves_forward() -> None:
    """02:30 does not exist in New York on 9 Mar 2025: the digest comes at 03:30 EDT (07:30 UTC)."""
    assert local_slot(datetime(2025, 3, 9).date(), time(2, 30), NY) == utc(2025, 3, 9, 7, 30)


def test_repeated_autumn_time_means_first_occurrence() -> None:
    """01:30 happens twice in New York on 2 Nov 2025; the first (EDT, 05:30 UTC) is used."""
    assert local_slot(datetime(2025, 11, 2).date(), time(1, 30), NY) == utc(2025, 11, 2, 5, 30)


def test_weekly_picks_the_weekday() -> None:
    """Weekly on Monday 07:00 Kyiv from a Wednesday gives next Monday."""
    due = next_due(utc(2025, 3, 26, 12), "weekly", time(7), KYIV, weekday=0)
    assert due == utc(2025, 3, 31, 4)
    assert due.astimezone(KYIV).weekday() == 0


def test_due_is_strictly_after() -> None:
    """Exactly at a slot, the next one is the following day."""
    slot = utc(2025, 1, 10, 6)
    assert next_due(slot, "daily", time(8), KYIV) == utc(2025, 1, 11, 6)


@pytest.mark.parametrize("bad", ["24:00", "8", "08:60", "noon", ""])
def test_bad_time_is_named(bad: str) -> None:
    """A malformed time is refused naming the `time` option."""
    with pytest.raises(InvalidInput) as err:
        parse_time_of_day(bad)
    assert err.value.field == "time"


@pytest.mark.parametrize("bad", ["Mars/Olympus", "", "../../etc/passwd", "Europe/"])
def test_bad_timezone_is_named(bad: str) -> None:
    """A non-IANA zone is refused naming the `timezone` option."""
    with pytest.raises(InvalidInput) as err:
        parse_timezone(bad)
    assert err.value.field == "timezone"


def test_weekday_names() -> None:
    """Weekday names and abbreviations map to 0..6."""
    assert parse_weekday("Monday") == 0
    assert parse_weekday("sun") == 6
    with pytest.raises(InvalidInput):
        parse_weekday("someday")
