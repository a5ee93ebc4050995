"""Small builders for dataset tests: a valid document to break one field at a time."""

from __future__ import annotations

import copy
from typing import Any

import yaml

from bot.dataset import Dataset, Problem, parse_document

SOURCE = {"url": "https://www.nato.int/cps/en/natohq/official_texts_8443.htm", "publisher": "NATO"}


def valid_document() -> dict[str, Any]:
    """A small document with one entry of each kind; parses without problems."""
    return copy.deepcopy(
        {
            "actors": [
                {"slug": "russia", "name": "Russia", "kind": "state", "aliases": ["ru"]},
                {"slug": "ukraine", "name": "Ukraine", "kind": "state"},
            ],
            "topics": [{"slug": "nato-ukraine", "title": "Ukraine's NATO membership"}],
            "positions": [
                {
                    "id": "pos-russia-nato-ukraine-2025-02-18",
                    "actor": "russia",
                    "topic": "nato-ukraine",
                    "stance": "opposes",
                    "date": "2025-02-18",
                    "status": "reported",
                    "summary": "NATO must disavow the Bucharest promise.",
                    "sources": [dict(SOURCE)],
                }
            ],
            "events": [
                {
                    "id": "ev-2008-04-03-bucharest-summit",
                    "date": "2008-04-03",
                    "title": "Bucharest summit",
                    "status": "verified",
                    "actors": ["ukraine"],
                    "topics": ["nato-ukraine"],
                    "summary": "Allies say Ukraine will become a member.",
                    "sources": [dict(SOURCE)],
                }
            ],
        }
    )


class _NoAliasDumper(yaml.SafeDumper):
    """Writes shared objects out in full: the loader refuses YAML aliases."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def as_yaml(document: object) -> str:
    """The document as YAML text (dates stay quoted strings)."""
    return yaml.dump(document, Dumper=_NoAliasDumper, sort_keys=False, allow_unicode=True)


def parse(document: object, filename: str = "upload.yaml") -> tuple[Dataset, list[Problem]]:
    """Serialise `document` as YAML and parse it back."""
    return parse_document(as_yaml(document), filename)


def only(problems: list[Problem]) -> Problem:
    """The single problem in the list (fails the test otherwise)."""
    assert len(problems) == 1, [str(problem) for problem in problems]
    return problems[0]
