"""The dataset files' JSON Schema (`python -m bot schema`), for editors' completion and checks.

Built from what the validator itself uses — the key lists of bot.dataset.schema, the limits, the
enums and the slug/id patterns — so the two cannot drift apart; tests/dataset/test_jsonschema.py
checks the required keys against the validator's own answers.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any, Final

from bot.dataset import limits
from bot.dataset.records import SECTIONS
from bot.dataset.schema import ACTOR_KEYS, EVENT_KEYS, POSITION_KEYS, SOURCE_KEYS, TOPIC_KEYS
from bot.domain import ENTRY_ID_RE, SLUG_RE, ActorKind, SourceRole, Stance, Status, Verification

#: The keys each kind of entry must have (the others in its *_KEYS are optional).
REQUIRED: Final[dict[str, tuple[str, ...]]] = {
    "actors": ("slug", "name", "kind"),
    "topics": ("slug", "title"),
    "positions": ("id", "actor", "topic", "stance", "date", "status", "summary", "sources"),
    "events": ("id", "date", "title", "status", "topics", "summary", "sources"),
    "sources": ("url", "publisher"),
}

KEYS: Final[dict[str, tuple[str, ...]]] = {
    "actors": ACTOR_KEYS,
    "topics": TOPIC_KEYS,
    "positions": POSITION_KEYS,
    "events": EVENT_KEYS,
    "sources": SOURCE_KEYS,
}


def _text(max_len: int, min_len: int = 1, description: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"type": "string", "minLength": min_len, "maxLength": max_len}
    if description:
        out["description"] = description
    return out


def _enum(kind: type[StrEnum], description: str) -> dict[str, Any]:
    return {"enum": [m.value for m in kind], "description": description}


def _list(item: dict[str, Any], max_items: int, min_items: int = 0) -> dict[str, Any]:
    return {"type": "array", "items": item, "minItems": min_items, "maxItems": max_items, "uniqueItems": True}


SLUG: Final = {"$ref": "#/$defs/slug"}
DATE: Final = {"$ref": "#/$defs/date"}


def _properties(kind: str) -> dict[str, Any]:
    status_note = _text(limits.MAX_STATUS_NOTE, 0, "The correction; required when status is disputed.")
    verification = _enum(Verification, "A caveat readers see: one source only, or not confirmed.")
    table: dict[str, dict[str, Any]] = {
        "actors": {
            "slug": SLUG,
            "name": _text(limits.MAX_ACTOR_NAME),
            "kind": _enum(ActorKind, "What sort of actor."),
            "aliases": _list(SLUG, limits.MAX_ALIASES),
        },
        "topics": {
            "slug": SLUG,
            "title": _text(limits.MAX_TOPIC_TITLE),
            "summary": _text(limits.MAX_TOPIC_SUMMARY, 0),
        },
        "positions": {
            "id": {"$ref": "#/$defs/id"},
            "actor": SLUG,
            "topic": SLUG,
            "stance": _enum(Stance, "Where the actor stands."),
            "date": DATE,
            "status": {"$ref": "#/$defs/status"},
            "status_note": status_note,
            "verification": verification,
            "gist": _text(limits.MAX_GIST, 0, "The position itself in one plain sentence, shown in /brief."),
            "summary": _text(limits.MAX_SUMMARY),
            "key_points": _list(_text(limits.MAX_KEY_POINT), limits.MAX_KEY_POINTS),
            "quote": _text(limits.MAX_QUOTE, 0),
            "speaker": _text(limits.MAX_SPEAKER, 0),
            "sources": {"$ref": "#/$defs/sources"},
        },
        "events": {
            "id": {"$ref": "#/$defs/id"},
            "date": DATE,
            "title": _text(limits.MAX_EVENT_TITLE),
            "status": {"$ref": "#/$defs/status"},
            "status_note": status_note,
            "verification": verification,
            "actors": _list(SLUG, limits.MAX_EVENT_ACTORS),
            "topics": _list(SLUG, limits.MAX_EVENT_TOPICS, limits.MIN_EVENT_TOPICS),
            "summary": _text(limits.MAX_SUMMARY),
            "sources": {"$ref": "#/$defs/sources"},
        },
        "sources": {
            "url": {
                "type": "string",
                "format": "uri",
                "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://",
                "maxLength": limits.MAX_URL,
            },
            "publisher": _text(limits.MAX_PUBLISHER),
            "via": _text(limits.MAX_PUBLISHER, 0, "The agency whose copy this republishes (counts as wire)."),
            "title": _text(limits.MAX_SOURCE_TITLE, 0),
            "date": DATE,
            "role": _enum(
                SourceRole, "On a disputed entry: claim (where it appeared) or evidence (what settles it)."
            ),
        },
    }
    properties = table[kind]
    # Same keys, same order as the validator's: a key added there and not here fails here at once.
    if tuple(properties) != KEYS[kind]:
        raise AssertionError(f"JSON Schema keys of {kind} differ from the validator's: {KEYS[kind]}")
    return properties


def _object(kind: str, description: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "object",
        "description": description,
        "properties": _properties(kind),
        "required": list(REQUIRED[kind]),
        "additionalProperties": False,
    }
    if kind in ("positions", "events"):
        out["if"] = {"properties": {"status": {"const": Status.DISPUTED.value}}, "required": ["status"]}
        out["then"] = {"required": ["status_note"]}
    return out


def dataset_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one dataset file."""
    descriptions = {
        "actors": "States, organisations, alliances and people.",
        "topics": "What positions and events are about.",
        "positions": "Where an actor stands on a topic, as stated on a date, with sources.",
        "events": "What happened when, with sources.",
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Briefing-bot dataset file",
        "description": "Generated by `python -m bot schema`; `python -m bot check-data` is the full check "
        "(cross-references, duplicates, names).",
        "type": "object",
        "properties": {
            section: {"type": "array", "items": _object(section, descriptions[section])}
            for section in SECTIONS
        },
        "additionalProperties": False,
        "$defs": {
            "slug": {"type": "string", "pattern": SLUG_RE.pattern, "maxLength": limits.MAX_SLUG},
            "id": {"type": "string", "pattern": ENTRY_ID_RE.pattern, "maxLength": limits.MAX_ENTRY_ID},
            "date": {
                "description": "YYYY, YYYY-MM or YYYY-MM-DD (the precision is kept).",
                "type": ["string", "integer"],
                "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
                "minimum": 1000,
                "maximum": 9999,
            },
            "status": _enum(Status, "How well the entry is established."),
            "sources": {
                "type": "array",
                "minItems": limits.MIN_SOURCES,
                "maxItems": limits.MAX_SOURCES,
                "items": _object("sources", "Where the claim comes from."),
            },
        },
    }


def schema_text() -> str:
    """The schema as the committed data.schema.json holds it (stable order, trailing newline)."""
    return json.dumps(dataset_schema(), indent=2, ensure_ascii=False) + "\n"
