"""Writing a `Dataset` back to YAML that `parse_document`/`load_dataset` read as the same data."""

from __future__ import annotations

from typing import Any

import yaml

from bot.dataset.records import Dataset, EventRecord, PositionRecord
from bot.domain import Actor, FuzzyDate, Source, Topic

HEADER = "# Briefing-bot dataset (YAML). Dates are quoted strings: 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'.\n"


class _QuotedDate(str):
    """A date string that is always written in single quotes."""

    __slots__ = ()


class _Dumper(yaml.SafeDumper):
    """Safe YAML with block text for multi-line strings and no anchors/aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_date(dumper: yaml.SafeDumper, value: _QuotedDate) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style="'")


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_QuotedDate, _represent_date)


def dump_dataset(dataset: Dataset) -> str:
    """The dataset as one YAML document with a stable key order."""
    document = {
        "actors": [_actor(actor) for actor in dataset.actors],
        "topics": [_topic(topic) for topic in dataset.topics],
        "positions": [_position(record) for record in dataset.positions],
        "events": [_event(record) for record in dataset.events],
    }
    body = yaml.dump(
        document,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    return HEADER + body


def _date(value: FuzzyDate) -> _QuotedDate:
    return _QuotedDate(value.iso())


def _actor(actor: Actor) -> dict[str, object]:
    out: dict[str, object] = {"slug": actor.slug, "name": actor.name, "kind": actor.kind.value}
    if actor.aliases:
        out["aliases"] = list(actor.aliases)
    return out


def _topic(topic: Topic) -> dict[str, object]:
    out: dict[str, object] = {"slug": topic.slug, "title": topic.title}
    if topic.summary:
        out["summary"] = topic.summary
    return out


def _position(record: PositionRecord) -> dict[str, object]:
    out: dict[str, object] = {
        "id": record.id,
        "actor": record.actor,
        "topic": record.topic,
        "stance": record.stance.value,
        "date": _date(record.stated),
        "status": record.status.value,
    }
    if record.status_note:
        out["status_note"] = record.status_note
    if record.verification is not None:
        out["verification"] = record.verification.value
    if record.gist:
        out["gist"] = record.gist
    out["summary"] = record.summary
    if record.key_points:
        out["key_points"] = list(record.key_points)
    if record.quote:
        out["quote"] = record.quote
    if record.speaker:
        out["speaker"] = record.speaker
    out["sources"] = [_source(source) for source in record.sources]
    return out


def _event(record: EventRecord) -> dict[str, object]:
    out: dict[str, object] = {
        "id": record.id,
        "date": _date(record.date),
        "title": record.title,
        "status": record.status.value,
    }
    if record.status_note:
        out["status_note"] = record.status_note
    if record.verification is not None:
        out["verification"] = record.verification.value
    out["actors"] = list(record.actors)
    out["topics"] = list(record.topics)
    out["summary"] = record.summary
    out["sources"] = [_source(source) for source in record.sources]
    return out


def _source(source: Source) -> dict[str, object]:
    out: dict[str, object] = {"url": source.url, "publisher": source.publisher}
    if source.via:
        out["via"] = source.via
    if source.title:
        out["title"] = source.title
    if source.published is not None:
        out["date"] = _date(source.published)
    if source.role is not None:
        out["role"] = source.role.value
    return out


def position_mapping(record: PositionRecord) -> dict[str, object]:
    """One position in its file form (what `parse_data` reads back as the same record)."""
    return _position(record)


def event_mapping(record: EventRecord) -> dict[str, object]:
    """One event in its file form (what `parse_data` reads back as the same record)."""
    return _event(record)
