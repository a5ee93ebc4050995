"""Validators for single field values: each returns the clean value or raises `FieldError`."""

from __future__ import annotations

import functools
import re
from datetime import date, datetime
from enum import StrEnum
from typing import TypeVar
from urllib.parse import urlsplit

from bot.dataset import limits
from bot.domain import ENTRY_ID_RE, SLUG_RE, FuzzyDate

E = TypeVar("E", bound=StrEnum)

# Control characters, lone surrogates, non-characters PyYAML cannot read back, line/paragraph
# separators and bidirectional overrides (which can disguise text). Newline is handled apart.
FORBIDDEN_IN_TEXT = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
_URL_FORBIDDEN = re.compile(r"[\s\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# http(s)://host[:port][/path|?query|#fragment] with an ASCII host name (letters, digits, inner
# hyphens per label) and no user info: a subset of what `url` accepts, checked without urlsplit.
_SIMPLE_URL = re.compile(
    r"[hH][tT][tT][pP][sS]?://(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)*"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.?(?::([0-9]{1,5}))?(?:[/?#][^@]*)?"
)
_MAX_PORT = 65535
_HOST = re.compile(r"^(?:[^\W_](?:[\w-]*[^\W_])?\.)*[^\W_](?:[\w-]*[^\W_])?\.?$|^[0-9a-f.]*:[0-9a-f:.]*$")


class FieldError(ValueError):
    """A field value is unusable; the message is the reason shown to the curator."""


def describe(value: object) -> str:
    """A reader-friendly name for the type of a parsed YAML/JSON value."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()}; in YAML, quote words like yes, no, on, off)"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, datetime):
        return "a timestamp"
    if isinstance(value, date):
        return "a date"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return f"a value of type {type(value).__name__}"


def show(value: object) -> str:
    """The value quoted back safely: `repr`, shortened."""
    text = repr(value)
    if len(text) > limits.MAX_SHOWN_VALUE:
        text = text[: limits.MAX_SHOWN_VALUE - 1] + "…"
    return text


def text(value: object, *, max_len: int, min_len: int = 1, multiline: bool = False) -> str:
    """Text without control characters, stripped, `min_len`..`max_len` characters long."""
    if not isinstance(value, str):
        raise FieldError(f"expected text, got {describe(value)}")
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    elif "\n" in value or "\r" in value:
        raise FieldError("must be a single line")
    bad = FORBIDDEN_IN_TEXT.search(value)
    if bad is not None:
        char = bad.group()
        raise FieldError(f"contains the control character U+{ord(char):04X} at position {bad.start()}")
    stripped = value.strip()
    if len(stripped) > max_len:
        raise FieldError(f"is {len(stripped)} characters long; the limit is {max_len}")
    if not stripped and value:
        raise FieldError("is only whitespace")
    if len(stripped) < min_len:
        raise FieldError("is empty" if not stripped else f"is shorter than {min_len} characters")
    return stripped


def slug(value: object) -> str:
    """An actor or topic slug (or alias): lowercase letters, digits, inner hyphens, ≤ 32."""
    return _identifier(value, "a", "slug", SLUG_RE, limits.MAX_SLUG, "united-states")


def entry_id(value: object) -> str:
    """A position or event id: like a slug, up to 64 characters."""
    return _identifier(value, "an", "id", ENTRY_ID_RE, limits.MAX_ENTRY_ID, "ev-2008-04-03-bucharest-summit")


def _identifier(
    value: object, article: str, noun: str, pattern: re.Pattern[str], max_len: int, example: str
) -> str:
    """`value` stripped if `pattern` matches it in full; FieldError naming `noun` and the rule otherwise."""
    if not isinstance(value, str):
        raise FieldError(f"expected {article} {noun} (text), got {describe(value)}")
    stripped = value.strip()
    if not pattern.fullmatch(stripped):
        raise FieldError(
            f"{show(value)} is not a valid {noun}: use 1–{max_len} lowercase letters, "
            f"digits and inner hyphens, e.g. '{example}'"
        )
    return stripped


def fuzzy_date(value: object) -> FuzzyDate:
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD` text, a YAML date (day) or a bare year number."""
    if isinstance(value, bool):
        raise FieldError(f"expected a date, got {describe(value)}")
    if isinstance(value, datetime):
        raise FieldError("is a timestamp; write only the date, as YYYY, YYYY-MM or YYYY-MM-DD")
    if isinstance(value, date):
        if value.year < 1000:
            raise FieldError(f"{value.isoformat()!r}: year out of range")
        return FuzzyDate(value, "day")
    if isinstance(value, int):
        if not 1000 <= value <= 9999:
            raise FieldError(f"{show(value)} is not a year between 1000 and 9999")
        return FuzzyDate(date(value, 1, 1), "year")
    if not isinstance(value, str):
        raise FieldError(f"expected a date, got {describe(value)}")
    if len(value) > 20:
        raise FieldError(f"{show(value)} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    try:
        return FuzzyDate.parse(value)
    except ValueError as exc:
        raise FieldError(str(exc)) from None


def url(value: object) -> str:
    """An absolute http(s) URL with a host, no spaces or control characters, ≤ 500 characters."""
    if not isinstance(value, str):
        raise FieldError(f"expected a URL (text), got {describe(value)}")
    stripped = value.strip()
    if not stripped:
        raise FieldError("is empty")
    if len(stripped) > limits.MAX_URL:
        raise FieldError(f"is {len(stripped)} characters long; the limit is {limits.MAX_URL}")
    if _URL_FORBIDDEN.search(stripped):
        raise FieldError(f"{show(stripped)} contains spaces or control characters")
    simple = _SIMPLE_URL.fullmatch(stripped)
    if simple is not None and (simple.group(1) is None or int(simple.group(1)) <= _MAX_PORT):
        return stripped  # the common shape, which every check below accepts: no need to split it
    try:
        parts = urlsplit(stripped)
        host = parts.hostname or ""
        _ = parts.port
    except ValueError as exc:
        raise FieldError(f"{show(stripped)} is not a valid URL ({exc})") from None
    if parts.scheme.lower() not in limits.URL_SCHEMES:
        scheme = f"{parts.scheme}:" if parts.scheme else "no scheme"
        raise FieldError(f"{show(stripped)} must start with http:// or https:// (found {scheme})")
    if not host or not _HOST.match(host):
        raise FieldError(f"{show(stripped)} has no valid host name")
    if parts.username is not None or parts.password is not None:
        raise FieldError(f"{show(stripped)} must not contain a user name or password")
    return stripped


@functools.cache
def _members(kind: type[E]) -> dict[str, E]:
    return {member.value: member for member in kind}


def choice(value: object, kind: type[E]) -> E:
    """One of the values of the string enum `kind`."""
    if isinstance(value, str):
        member: E | None = _members(kind).get(value.strip())  # functools.cache forgets the E of `kind`
        if member is not None:
            return member
    allowed = ", ".join(member.value for member in kind)
    if not isinstance(value, str):
        raise FieldError(f"expected one of {allowed}; got {describe(value)}")
    raise FieldError(f"{show(value)} is not one of {allowed}")
