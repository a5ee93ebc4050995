"""Export and re-import give back the same dataset."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings

from bot.dataset import Dataset, dump_dataset, load_dataset, parse_document
from tests.dataset.strategies import datasets

DATA = Path(__file__).resolve().parents[2] / "data"


def test_shipped_data_round_trips() -> None:
    """data/ loaded, dumped and parsed again is equal to what was loaded."""
    loaded, problems = load_dataset(DATA)
    assert problems == []
    again, problems = parse_document(dump_dataset(loaded), "export.yaml")
    assert problems == []
    assert again == loaded


def test_dump_quotes_dates_at_their_precision() -> None:
    """Dates are written as quoted strings that keep day, month or year precision."""
    loaded, _ = load_dataset(DATA)
    text = dump_dataset(loaded)
    assert "date: '2008-04-03'" in text
    assert "date: '2025-03'" in text


def test_dump_is_stable() -> None:
    """Dumping the same data twice gives identical text."""
    loaded, _ = load_dataset(DATA)
    assert dump_dataset(loaded) == dump_dataset(parse_document(dump_dataset(loaded), "x.yaml")[0])


def test_empty_dataset_round_trips() -> None:
    """An empty dataset dumps to a document that reads back empty."""
    again, problems = parse_document(dump_dataset(Dataset()), "empty.yaml")
    assert (again, problems) == (Dataset(), [])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets)
def test_any_valid_dataset_round_trips(dataset: Dataset) -> None:
    """Any schema-valid dataset survives dump and parse unchanged."""
    again, problems = parse_document(dump_dataset(dataset), "export.yaml")
    assert [str(problem) for problem in problems] == []
    assert again == dataset
