"""parse_document survives hostile input: it returns entries or problems and never raises."""

from __future__ import annotations

import json

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.dataset import Dataset, Problem, parse_document
from bot.dataset.fields import FORBIDDEN_IN_TEXT
from tests.dataset.helpers import valid_document
from tests.dataset.strategies import FIELD_NAMES, NASTY_STRINGS, json_values, shaped_documents

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(result: object) -> None:
    """The result is a (Dataset, problems) pair with clean text and no internal error."""
    assert isinstance(result, tuple)
    dataset, problems = result
    assert isinstance(dataset, Dataset)
    assert all(isinstance(problem, Problem) for problem in problems)
    assert not any("internal error" in problem.reason for problem in problems)
    for problem in problems:
        str(problem)
    for record in (*dataset.positions, *dataset.events):
        texts = [record.summary, record.status_note, *(source.publisher for source in record.sources)]
        assert not any(FORBIDDEN_IN_TEXT.search(text) for text in texts)


def _as_yaml(value: object) -> str:
    """YAML text for the value (libyaml for speed; pure Python for lone surrogates)."""
    try:
        return yaml.dump(value, Dumper=yaml.CSafeDumper, allow_unicode=True)
    except UnicodeEncodeError:
        return yaml.safe_dump(value, allow_unicode=True)


@SETTINGS
@given(json_values)
def test_random_structures_as_yaml(value: object) -> None:
    """Arbitrary nested values serialised as YAML never raise."""
    _check(parse_document(_as_yaml(value), "fuzz.yaml"))


@SETTINGS
@given(json_values)
def test_random_structures_as_json(value: object) -> None:
    """Arbitrary nested values serialised as JSON never raise."""
    _check(parse_document(json.dumps(value), "fuzz.json"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shaped_documents)
def test_schema_shaped_junk(value: object) -> None:
    """Documents with the right keys but wrong values everywhere never raise."""
    _check(parse_document(_as_yaml(value), "shaped.yaml"))
    _check(parse_document(json.dumps(value), "shaped.json"))


@SETTINGS
@given(st.binary(max_size=2000))
def test_random_bytes(blob: bytes) -> None:
    """Arbitrary bytes (mostly not UTF-8, not YAML) never raise."""
    _check(parse_document(blob, "blob.yaml"))


@SETTINGS
@given(st.text(max_size=2000), st.sampled_from(["x.yaml", "x.json", "attachment", "\x00evil\n.yml"]))
def test_random_text_any_name(text: str, filename: str) -> None:
    """Arbitrary text under any file name never raises."""
    _check(parse_document(text, filename))


@settings(max_examples=25, deadline=None)
@given(
    st.integers(min_value=1, max_value=2_200_000),
    st.sampled_from(FIELD_NAMES),
    st.sampled_from(["A", "é", "\n", "@everyone ", *NASTY_STRINGS[:4]]),
)
def test_huge_strings_in_any_field(length: int, field: str, unit: str) -> None:
    """A field holding up to ~2 MB of text is a problem (or the document is too big), never a crash."""
    document = valid_document()
    document["positions"][0][field] = (unit * (length // max(len(unit), 1) + 1))[:length]
    _check(parse_document(json.dumps(document), "huge.json"))
    _check(parse_document(json.dumps(document).encode(), "huge.yaml"))
