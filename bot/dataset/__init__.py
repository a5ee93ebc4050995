"""The curated dataset in `data/`: schema, loading, validation and export.

Pure Python (no database, no Discord). Typical use::

    dataset, problems = load_dataset("data")          # a directory or one file, validated
    dataset, problems = parse_document(blob, "x.yaml")  # an upload; then:
    problems += validate(dataset, known_actors=..., known_topics=...)
    text = dump_dataset(dataset)                       # YAML that reads back equal
"""

from bot.dataset import limits
from bot.dataset.dump import dump_dataset
from bot.dataset.load import load_dataset
from bot.dataset.parse import parse_data, parse_document
from bot.dataset.problems import Problem
from bot.dataset.records import Dataset, EventRecord, Origin, PositionRecord
from bot.dataset.validate import validate
from bot.domain import Actor, FuzzyDate, Source, Topic

__all__ = [
    "Actor",
    "Dataset",
    "EventRecord",
    "FuzzyDate",
    "Origin",
    "PositionRecord",
    "Problem",
    "Source",
    "Topic",
    "dump_dataset",
    "limits",
    "load_dataset",
    "parse_data",
    "parse_document",
    "validate",
]
