"""The entry schema: which keys each kind of entry has and how each field is read."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Final

from bot.dataset import fields, limits
from bot.dataset.entry import EntryReader, ProblemLog
from bot.dataset.records import EventRecord, PositionRecord
from bot.domain import Actor, ActorKind, FuzzyDate, Source, SourceRole, Stance, Status, Topic, Verification

ACTOR_KEYS: Final = ("slug", "name", "kind", "aliases")
TOPIC_KEYS: Final = ("slug", "title", "summary")
POSITION_KEYS: Final = (
    "id", "actor", "topic", "stance", "date", "status", "status_note", "verification",
    "gist", "summary", "key_points", "quote", "speaker", "sources",
)  # fmt: skip
EVENT_KEYS: Final = (
    "id", "date", "title", "status", "status_note", "verification", "actors", "topics", "summary", "sources",
)  # fmt: skip
SOURCE_KEYS: Final = ("url", "publisher", "via", "title", "date", "role")


def entry_label(section: str, index: int, raw: object) -> str:
    """How problems name an entry: `positions[3] (id pos-x)`."""
    label = f"{section}[{index}]"
    key = "slug" if section in ("actors", "topics") else "id"
    ident = raw.get(key) if isinstance(raw, dict) else None
    if isinstance(ident, str):
        ident = ident.strip()
        if 0 < len(ident) <= limits.MAX_ENTRY_ID and ident.isprintable():
            label += f" ({key} {ident})"
    return label


def parse_actor(raw: Mapping[object, object], log: ProblemLog, label: str) -> Actor | None:
    """An `Actor` from its mapping, or None (with problems logged)."""
    entry = EntryReader(raw, ACTOR_KEYS, log, label)
    slug = entry.get("slug", fields.slug)
    name = entry.get("name", _text(limits.MAX_ACTOR_NAME))
    kind = entry.get("kind", lambda value: fields.choice(value, ActorKind))
    aliases = entry.items("aliases", fields.slug, max_items=limits.MAX_ALIASES)
    if isinstance(slug, str) and slug in aliases:
        entry.fail(f"aliases[{aliases.index(slug)}]", f"{slug!r} is the actor's own slug")
    if not entry.ok:
        return None
    return Actor(slug=slug, name=name, kind=kind, aliases=aliases)


def parse_topic(raw: Mapping[object, object], log: ProblemLog, label: str) -> Topic | None:
    """A `Topic` from its mapping, or None (with problems logged)."""
    entry = EntryReader(raw, TOPIC_KEYS, log, label)
    slug = entry.get("slug", fields.slug)
    title = entry.get("title", _text(limits.MAX_TOPIC_TITLE))
    summary = entry.get("summary", _text(limits.MAX_TOPIC_SUMMARY, 0, multiline=True), "")
    if not entry.ok:
        return None
    return Topic(slug=slug, title=title, summary=summary)


def parse_position(raw: Mapping[object, object], log: ProblemLog, label: str) -> PositionRecord | None:
    """A `PositionRecord` from its mapping, or None (with problems logged)."""
    entry = EntryReader(raw, POSITION_KEYS, log, label)
    record_id = entry.get("id", fields.entry_id)
    actor = entry.get("actor", fields.slug)
    topic = entry.get("topic", fields.slug)
    stance = entry.get("stance", lambda value: fields.choice(value, Stance))
    stated = entry.get("date", fields.fuzzy_date)
    status, note = _status(entry)
    verification = _verification(entry)
    gist = entry.get("gist", _text(limits.MAX_GIST, 0), "")
    summary = entry.get("summary", _text(limits.MAX_SUMMARY, multiline=True))
    key_points = entry.items("key_points", _text(limits.MAX_KEY_POINT), max_items=limits.MAX_KEY_POINTS)
    quote = entry.get("quote", _text(limits.MAX_QUOTE, 0, multiline=True), "")
    speaker = entry.get("speaker", _text(limits.MAX_SPEAKER, 0), "")
    sources = _sources(entry)
    if not entry.ok:
        return None
    return PositionRecord(
        id=record_id,
        actor=actor,
        topic=topic,
        stance=stance,
        summary=summary,
        stated=stated,
        sources=sources,
        status=status,
        status_note=note,
        key_points=key_points,
        quote=quote,
        speaker=speaker,
        verification=verification,
        gist=gist,
    )


def parse_event(raw: Mapping[object, object], log: ProblemLog, label: str) -> EventRecord | None:
    """An `EventRecord` from its mapping, or None (with problems logged)."""
    entry = EntryReader(raw, EVENT_KEYS, log, label)
    record_id = entry.get("id", fields.entry_id)
    when = entry.get("date", fields.fuzzy_date)
    title = entry.get("title", _text(limits.MAX_EVENT_TITLE))
    status, note = _status(entry)
    verification = _verification(entry)
    actors = entry.items("actors", fields.slug, max_items=limits.MAX_EVENT_ACTORS)
    topics = entry.items(
        "topics", fields.slug, max_items=limits.MAX_EVENT_TOPICS, min_items=limits.MIN_EVENT_TOPICS
    )
    summary = entry.get("summary", _text(limits.MAX_SUMMARY, multiline=True))
    sources = _sources(entry)
    if not entry.ok:
        return None
    return EventRecord(
        id=record_id,
        date=when,
        title=title,
        summary=summary,
        sources=sources,
        actors=actors,
        topics=topics,
        status=status,
        status_note=note,
        verification=verification,
    )


def _status(entry: EntryReader) -> tuple[Status, str]:
    status = entry.get("status", lambda value: fields.choice(value, Status))
    note = entry.get("status_note", _text(limits.MAX_STATUS_NOTE, 0, multiline=True), "")
    if status is Status.DISPUTED and note == "":
        entry.fail("status_note", "is required when status is disputed: give the correction")
    return status, note


def _verification(entry: EntryReader) -> Verification | None:
    value: Verification | None = entry.get("verification", lambda v: fields.choice(v, Verification), None)
    return value


def _sources(entry: EntryReader) -> tuple[Source, ...]:
    if entry.raw.get("sources") is None:
        entry.fail("sources", f"is required (at least {limits.MIN_SOURCES} source with a URL)")
        return ()
    value = entry.raw["sources"]
    if not isinstance(value, list):
        entry.fail("sources", f"expected a list, got {fields.describe(value)}")
        return ()
    if not limits.MIN_SOURCES <= len(value) <= limits.MAX_SOURCES:
        entry.fail(
            "sources",
            f"has {len(value):,} items; give {limits.MIN_SOURCES} to {limits.MAX_SOURCES} sources",
        )
        return ()
    result: list[Source] = []
    for index, item in enumerate(value):
        source = _source(item, entry, f"sources[{index}]")
        if source is not None:
            result.append(source)
    return tuple(result)


def _source(raw: object, parent: EntryReader, field: str) -> Source | None:
    if not isinstance(raw, dict):
        parent.fail(field, f"expected a mapping with url and publisher, got {fields.describe(raw)}")
        return None
    entry = EntryReader(raw, SOURCE_KEYS, parent.log, parent.label, prefix=f"{parent.prefix}{field}.")
    link = entry.get("url", fields.url)
    publisher = entry.get("publisher", _text(limits.MAX_PUBLISHER))
    via = entry.get("via", _text(limits.MAX_PUBLISHER, 0), "")
    title = entry.get("title", _text(limits.MAX_SOURCE_TITLE, 0), "")
    published: FuzzyDate | None = entry.get("date", fields.fuzzy_date, None)
    role: SourceRole | None = entry.get("role", lambda v: fields.choice(v, SourceRole), None)
    if not entry.ok:
        parent.ok = False
        return None
    return Source(url=link, publisher=publisher, title=title, published=published, via=via, role=role)


@functools.cache
def _text(max_len: int, min_len: int = 1, *, multiline: bool = False) -> Callable[[object], str]:
    def parse(value: object) -> str:
        return fields.text(value, max_len=max_len, min_len=min_len, multiline=multiline)

    return parse
