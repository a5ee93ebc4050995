"""Reading one entry's fields while collecting problems (shared by all entry kinds)."""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable, Mapping
from typing import Final, TypeVar, cast

from bot.dataset import fields
from bot.dataset.fields import FieldError
from bot.dataset.lines import NO_LINES, LineMap
from bot.dataset.problems import Problem, ProblemCap

T = TypeVar("T")

_INVALID: Final = object()


@functools.cache
def _key_set(allowed: tuple[str, ...]) -> frozenset[str]:
    return frozenset(allowed)


class ProblemLog(ProblemCap):
    """Collects problems for one document, keeping at most `limits.MAX_PROBLEMS`."""

    def __init__(self, file: str, lines: LineMap = NO_LINES) -> None:
        super().__init__(file)
        self.lines = lines

    def add(self, entry: str, field: str, reason: str, line: int | None = None) -> None:
        """Record a problem (or count it, once the cap is reached), at `line` of the file if known."""
        self.keep(lambda: Problem(self.file, entry, field, reason, line))


class EntryReader:
    """Reads the fields of one mapping, reporting unknown keys and bad values to the log."""

    def __init__(
        self,
        raw: Mapping[object, object],
        allowed: tuple[str, ...],
        log: ProblemLog,
        label: str,
        prefix: str = "",
    ) -> None:
        self.raw = raw
        self.log = log
        self.label = label
        self.prefix = prefix
        self.ok = True
        if raw.keys() <= _key_set(allowed):  # the common case, checked in C
            return
        for key in raw:
            if not isinstance(key, str):
                self.fail("", f"keys must be text; found the key {fields.show(key)}")
            elif key not in allowed:
                self.fail(_safe_key(key), _unknown_key(key, allowed, hint=not log.full))

    def fail(self, field: str, reason: str) -> None:
        """Report a problem with `field` (relative to this entry) and mark the entry unusable."""
        self.ok = False
        line = self.log.lines.line_of(self.raw, field)
        self.log.add(self.label, f"{self.prefix}{field}" if field else self.prefix.rstrip("."), reason, line)

    def get(self, key: str, parse: Callable[[object], T], default: object = _INVALID) -> T:
        """The parsed value of `key`; `default` when absent or null (required if no default)."""
        value = self.raw.get(key)
        if value is None:
            if default is _INVALID:
                self.fail(key, "is required" if key not in self.raw else "is required but empty")
            return cast(T, default)
        try:
            return parse(value)
        except FieldError as exc:
            self.fail(key, str(exc))
            return cast(T, _INVALID)

    def items(
        self,
        key: str,
        parse: Callable[[object], T],
        *,
        max_items: int,
        min_items: int = 0,
        unique: bool = True,
    ) -> tuple[T, ...]:
        """A list field parsed item by item; problems name the item (`key[2]`)."""
        value = self.raw.get(key)
        if value is None:
            if min_items:
                self.fail(key, f"is required (at least {min_items})")
                return ()
            value = []
        if not isinstance(value, list):
            self.fail(key, f"expected a list, got {fields.describe(value)}")
            return ()
        if len(value) > max_items:
            self.fail(key, f"has {len(value):,} items; the limit is {max_items}")
            return ()
        if len(value) < min_items:
            self.fail(key, f"needs at least {min_items} item{'s' if min_items > 1 else ''}")
            return ()
        result: list[T] = []
        for index, item in enumerate(value):
            try:
                parsed = parse(item)
            except FieldError as exc:
                self.fail(f"{key}[{index}]", str(exc))
                continue
            if unique and parsed in result:
                self.fail(f"{key}[{index}]", f"{fields.show(parsed)} is listed twice")
                continue
            result.append(parsed)
        return tuple(result)


def _safe_key(key: str) -> str:
    return key if key.isprintable() and len(key) <= 40 else fields.show(key)


def _unknown_key(key: str, allowed: tuple[str, ...], *, hint: bool) -> str:
    hint_for = difflib.get_close_matches(key, allowed, n=1) if hint and len(key) <= 40 else []
    suggestion = f" (did you mean {hint_for[0]!r}?)" if hint_for else ""
    return f"unknown key{suggestion}; allowed keys are {', '.join(allowed)}"
