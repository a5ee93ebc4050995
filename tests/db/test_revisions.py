"""The revision scripts: one line of history from the baseline, and installed with the package."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from pathlib import Path

from bot.db.migrations import BASELINE, MIGRATIONS_DIR, revision_chain, script_directory

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_revisions_form_one_line_from_the_baseline() -> None:
    """There is one base (the baseline) and one head, and every revision lies on the line between."""
    scripts = script_directory()
    assert scripts.get_bases() == [BASELINE]
    assert len(scripts.get_heads()) == 1
    chain = revision_chain()
    assert chain[0] == BASELINE
    assert len(chain) == len(list(scripts.walk_revisions()))


def test_migration_scripts_are_package_data() -> None:
    """Every file Alembic loads by path (the template, each revision) is declared package data."""
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = pyproject["tool"]["setuptools"]["package-data"]["bot.db.migrations"]
    needed = [MIGRATIONS_DIR / "script.py.mako", *sorted((MIGRATIONS_DIR / "versions").glob("*.py"))]
    for path in needed:
        name = path.relative_to(MIGRATIONS_DIR).as_posix()
        assert any(fnmatch(name, pattern) for pattern in globs), f"{name} is not package data"
