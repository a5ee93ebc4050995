"""When digests are due: local wall-clock times in the subscriber's time zone, correct across DST."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.errors import InvalidInput

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def parse_time_of_day(text: str) -> time:
    """`HH:MM` (24-hour) as a time; InvalidInput naming `time` otherwise."""
    match = _TIME_RE.match(text.strip())
    if not match:
        raise InvalidInput("time", f"{text[:20]!r} is not a time: use HH:MM, 24-hour (e.g. 08:30)")
    return time(int(match[1]), int(match[2]))


def parse_timezone(name: str) -> ZoneInfo:
    """An IANA time zone (e.g. Europe/Kyiv); InvalidInput naming `timezone` otherwise."""
    cleaned = name.strip()
    if not cleaned or len(cleaned) > 64 or ".." in cleaned or cleaned.startswith("/"):
        raise InvalidInput("timezone", f"{name[:64]!r} is not an IANA time zone such as Europe/Kyiv or UTC")
    try:
        return ZoneInfo(cleaned)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            "timezone", f"{name[:64]!r} is not an IANA time zone such as Europe/Kyiv or UTC"
        ) from None


def parse_weekday(text: str) -> int:
    """A weekday name (or its first three letters) as 0 = Monday … 6 = Sunday."""
    key = text.strip().lower()
    for i, name in enumerate(WEEKDAYS):
        if key in (name, name[:3]):
            return i
    raise InvalidInput("weekday", f"{text[:20]!r} is not a weekday (monday … sunday)")


_ZONES: list[str] | None = None


def timezone_choices(current: str, limit: int = 25) -> list[str]:
    """IANA zone names for autocomplete: prefix matches first, then substring."""
    global _ZONES
    if _ZONES is None:
        _ZONES = sorted(available_timezones())
    q = current.strip().lower().replace(" ", "_")
    if not q:
        return ["UTC", "Europe/Kyiv", "Europe/London", "Europe/Paris", "Europe/Brussels", "America/New_York"][
            :limit
        ]
    prefix = [z for z in _ZONES if z.lower().startswith(q) or z.lower().split("/")[-1].startswith(q)]
    rest = [z for z in _ZONES if q in z.lower() and z not in prefix]
    return (prefix + rest)[:limit]


def local_slot(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of wall-clock `at` on `day` in `zone`.

    A time skipped by a DST jump (e.g. 02:30 on the spring-forward night) moves forward by the
    jump; a time that occurs twice (autumn) means its first occurrence.
    """
    # PEP 495: with fold=0 a gap time is read with the offset before the jump (so it lands
    # after the jump by the same amount) and a repeated time means its first occurrence.
    return datetime.combine(day, at, tzinfo=zone).replace(fold=0).astimezone(UTC)


def next_due(after: datetime, cadence: str, at: time, zone: ZoneInfo, weekday: int = 0) -> datetime:
    """The first due instant strictly after `after` (UTC) for a daily or weekly schedule."""
    local_day = after.astimezone(zone).date() - timedelta(days=1)
    for offset in range(16):
        day = local_day + timedelta(days=offset)
        if cadence == "weekly" and day.weekday() != weekday:
            continue
        slot = local_slot(day, at, zone)
        if slot > after:
            return slot
    raise AssertionError("no slot within 15 days")  # unreachable for daily/weekly
