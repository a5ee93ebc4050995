"""Reading one document (a data file or an uploaded attachment) into a `Dataset`."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TypeVar

from bot.dataset import fields, reader
from bot.dataset.entry import ProblemLog
from bot.dataset.lines import NO_LINES, LineMap
from bot.dataset.problems import Problem
from bot.dataset.records import SECTIONS, Dataset, Origin, Rejected, Section
from bot.dataset.schema import (
    entry_label,
    parse_actor,
    parse_event,
    parse_position,
    parse_topic,
)

log = logging.getLogger(__name__)

T = TypeVar("T")
_EntryParser = Callable[[Mapping[object, object], ProblemLog, str], T | None]


def parse_document(data: str | bytes, filename: str) -> tuple[Dataset, list[Problem]]:
    """Read YAML or JSON (chosen by extension, else by content) into entries and problems.

    Never raises on bad input: anything unusable becomes a `Problem`; only entries without
    problems are kept. Cross-references are not checked here — call `validate` for that.
    """
    name = _display_name(filename)
    try:
        text = reader.decode(data)
        parsed, lines = reader.load_with_lines(text, as_json=reader.looks_like_json(filename, text))
    except reader.DocumentError as exc:
        return Dataset(), [Problem(name, "", "", f"the document {exc}")]
    try:
        return parse_data(parsed, name, lines)
    except Exception:  # a bug must not take the bot down with an attachment
        log.exception("unexpected error while reading %s", name)
        return Dataset(), [Problem(name, "", "", "internal error while reading the document")]


def parse_data(data: object, filename: str, lines: LineMap = NO_LINES) -> tuple[Dataset, list[Problem]]:
    """Check already-parsed data (a mapping of section lists) and build the `Dataset`.

    `lines` (from the YAML reader) puts each problem's line in the file on it.
    """
    problems = ProblemLog(filename, lines)
    if data is None:
        return Dataset(), []
    if not isinstance(data, dict):
        problems.add(
            "",
            "",
            "the document must be a mapping with the keys actors, topics, positions and events; "
            f"got {fields.describe(data)}",
        )
        return Dataset(), problems.result()
    for key in data:
        if key not in SECTIONS:
            shown = key if isinstance(key, str) and key.isprintable() and len(key) <= 40 else ""
            problems.add(
                "",
                shown,
                f"unknown top-level key {fields.show(key)}; use actors, topics, positions, events",
            )
    origins: dict[tuple[Section, int], Origin] = {}
    rejected: list[Rejected] = []
    actors = _section(data, "actors", parse_actor, problems, origins, rejected)
    topics = _section(data, "topics", parse_topic, problems, origins, rejected)
    positions = _section(data, "positions", parse_position, problems, origins, rejected)
    events = _section(data, "events", parse_event, problems, origins, rejected)
    dataset = Dataset(actors, topics, positions, events, MappingProxyType(origins), tuple(rejected))
    return dataset, problems.result()


def _section(
    data: Mapping[object, object],
    section: Section,
    parse: _EntryParser[T],
    problems: ProblemLog,
    origins: dict[tuple[Section, int], Origin],
    rejected: list[Rejected],
) -> tuple[T, ...]:
    items = data.get(section)
    if items is None:
        return ()
    if not isinstance(items, list):
        problems.add("", section, f"expected a list of entries, got {fields.describe(items)}")
        return ()
    result: list[T] = []
    for index, raw in enumerate(items):
        label = entry_label(section, index, raw)
        if not isinstance(raw, dict):
            problems.add(label, "", f"expected a mapping of fields, got {fields.describe(raw)}")
            continue
        record = parse(raw, problems, label)
        origin = Origin(problems.file, label, problems.lines.line_of(raw))
        if record is not None:
            origins[(section, len(result))] = origin
            result.append(record)
        else:
            rejected.append(_rejected(section, raw, origin))
    return tuple(result)


def _valid(parse: Callable[[object], str], value: object) -> str | None:
    try:
        return parse(value)
    except fields.FieldError:
        return None


def _rejected(section: Section, raw: Mapping[object, object], origin: Origin) -> Rejected:
    """The id and references of an entry with problems, where they are themselves valid."""
    if section in ("actors", "topics"):
        return Rejected(section, origin, _valid(fields.slug, raw.get("slug")))
    key = _valid(fields.entry_id, raw.get("id"))
    refs: dict[str, list[tuple[str, str]]] = {"actors": [], "topics": []}
    if section == "positions":
        for name, kind in (("actor", "actors"), ("topic", "topics")):
            if (slug := _valid(fields.slug, raw.get(name))) is not None:
                refs[kind].append((name, slug))
    else:
        for kind in ("actors", "topics"):
            items = raw.get(kind)
            for i, item in enumerate(items if isinstance(items, list) else []):
                if (slug := _valid(fields.slug, item)) is not None:
                    refs[kind].append((f"{kind}[{i}]", slug))
    return Rejected(section, origin, key, tuple(refs["actors"]), tuple(refs["topics"]))


def _display_name(filename: str) -> str:
    """The file name as shown in problems: printable and at most 100 characters."""
    cleaned = "".join(char if char.isprintable() else "?" for char in filename[:100])
    return cleaned or "<document>"
