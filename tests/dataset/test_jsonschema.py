"""`python -m bot schema`: the committed data.schema.json is its output, and agrees with the validator."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
import yaml

from bot.dataset import schema as entries
from bot.dataset.entry import ProblemLog
from bot.dataset.jsonschema import KEYS, REQUIRED, dataset_schema, schema_text
from tests.conftest import REPO_ROOT

PARSERS: dict[str, Callable[[Mapping[object, object], ProblemLog, str], object]] = {
    "actors": entries.parse_actor,
    "topics": entries.parse_topic,
    "positions": entries.parse_position,
    "events": entries.parse_event,
}


def full_entry(section: str) -> dict[str, object]:
    """A shipped entry of this section with every optional key filled in."""
    raw = yaml.safe_load((REPO_ROOT / "data" / f"{section}.yaml").read_text(encoding="utf-8"))[section][0]
    extra: dict[str, object] = {
        "aliases": ["an-alias"],
        "summary": "A summary.",
        "status_note": "A note.",
        "key_points": ["One point."],
        "quote": "A quote.",
        "speaker": "A speaker.",
        "actors": ["nato"],
    }
    return {key: raw.get(key, extra.get(key)) for key in KEYS[section]}


def problems(section: str, raw: dict[str, object]) -> list[str]:
    log = ProblemLog("f.yaml")
    PARSERS[section](raw, log, "entry")
    return [p.field for p in log.result()]


def test_committed_schema_is_the_generated_one() -> None:
    """data.schema.json equals `python -m bot schema` (regenerate: python -m bot schema > data.schema.json)."""
    committed = (REPO_ROOT / "data.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text()
    done = subprocess.run(
        [sys.executable, "-m", "bot", "schema"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout == committed


@pytest.mark.parametrize("section", list(PARSERS))
def test_required_keys_are_the_validators(section: str) -> None:
    """Removing a key the schema requires makes the validator complain about it; removing any other does not."""
    raw = full_entry(section)
    assert problems(section, raw) == []
    for key in KEYS[section]:
        without = {k: v for k, v in raw.items() if k != key}
        found = problems(section, without)
        if key in REQUIRED[section]:
            assert key in found, (
                f"{section}.{key} is required in the schema but the validator accepts it missing"
            )
        else:
            assert found == [], (
                f"{section}.{key} is optional in the schema but the validator wants it: {found}"
            )


def test_source_required_keys_are_the_validators() -> None:
    """The same for a source inside an entry."""
    raw = full_entry("events")
    source = {"url": "https://example.org/a", "publisher": "P", "title": "T", "date": "2025"}
    for key in source:
        found = problems("events", {**raw, "sources": [{k: v for k, v in source.items() if k != key}]})
        assert (f"sources[0].{key}" in found) == (key in REQUIRED["sources"]), (key, found)


def test_schema_lists_exactly_the_validators_keys_and_limits(tmp_path: Path) -> None:
    """Each entry object allows exactly the keys the validator reads."""
    schema = dataset_schema()
    for section in PARSERS:
        item = schema["properties"][section]["items"]
        assert list(item["properties"]) == list(KEYS[section])
        assert item["additionalProperties"] is False
    assert json.loads(schema_text()) == schema
