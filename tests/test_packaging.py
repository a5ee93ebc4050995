"""Packaging: license in PEP 639 form matching LICENSE; asyncpg only as the postgres extra."""

from __future__ import annotations

import tomllib

from tests.conftest import REPO_ROOT

PYPROJECT = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_license_is_an_spdx_expression_matching_the_license_file() -> None:
    """`license = "MIT"` (not the deprecated table), the file shipped, and it is the MIT text."""
    project = PYPROJECT["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]
    assert (REPO_ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert any(r.startswith("setuptools>=77") for r in PYPROJECT["build-system"]["requires"])


def test_asyncpg_is_the_postgres_extra_and_dev_has_it() -> None:
    """SQLite-only installs skip asyncpg; `.[postgres]` and `.[dev]` (for the PostgreSQL tests) get it."""
    project = PYPROJECT["project"]
    assert not any(d.startswith("asyncpg") for d in project["dependencies"])
    assert any(d.startswith("asyncpg") for d in project["optional-dependencies"]["postgres"])
    assert "briefing-bot[postgres]" in project["optional-dependencies"]["dev"]
