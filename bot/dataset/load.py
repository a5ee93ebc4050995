"""Loading the curated dataset from `data/` (a directory of files, or one file)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from bot.dataset import limits
from bot.dataset.parse import parse_document
from bot.dataset.problems import Problem
from bot.dataset.records import Dataset, merge
from bot.dataset.tiers import TIERS_FILE
from bot.dataset.validate import validate
from bot.domain import Actor, Topic
from bot.gc_pause import paused_gc

DATA_SUFFIXES = frozenset({".yaml", ".yml", ".json"})
NOT_ENTRIES = frozenset({TIERS_FILE})
"""Files of a data directory that hold settings, not entries."""


def data_files(directory: Path) -> list[Path]:
    """The data files of a directory, in sorted name order (hidden files skipped)."""
    return sorted(
        path
        for path in directory.iterdir()
        if path.is_file()
        and path.suffix.lower() in DATA_SUFFIXES
        and not path.name.startswith(".")
        and path.name not in NOT_ENTRIES
    )


def load_dataset(
    path: str | Path,
    known_actors: Iterable[str | Actor] = (),
    known_topics: Iterable[str | Topic] = (),
    *,
    references: bool = True,
) -> tuple[Dataset, list[Problem]]:
    """Read a directory of data files (sorted by name) or a single file, then `validate` it.

    Problems name the file, entry, field and reason; entries with problems are left out.
    `references=False` leaves references to actors/topics defined elsewhere unchecked (the
    store checks them when the dataset is imported).
    """
    root = Path(path)
    if root.is_dir():
        files = data_files(root)
    elif root.is_file():
        files = [root]
    else:
        return Dataset(), [Problem(str(root), "", "", "no such file or directory")]
    parts: list[Dataset] = []
    problems: list[Problem] = []
    with paused_gc():
        for file in files:
            dataset, found = _read(file)
            parts.append(dataset)
            problems.extend(found)
        merged = merge(parts)
        problems.extend(validate(merged, known_actors, known_topics, references=references))
    return merged, problems


def _read(file: Path) -> tuple[Dataset, list[Problem]]:
    name = str(file)
    try:
        size = file.stat().st_size
        if size > limits.MAX_DOCUMENT_BYTES:
            reason = f"the document is {size:,} bytes; the limit is {limits.MAX_DOCUMENT_BYTES:,}"
            return Dataset(), [Problem(name, "", "", reason)]
        data = file.read_bytes()
    except OSError as exc:
        return Dataset(), [Problem(name, "", "", f"cannot be read ({exc.strerror or exc})")]
    return parse_document(data, name)
