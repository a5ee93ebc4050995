"""scripts/mutants.py on a tiny project: a caught bug is killed, an uncaught one survives, a mutant
whose original text moved is reported (never silently skipped), and the tests import the scratch copy."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import REPO_ROOT


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mutants_tool", REPO_ROOT / "scripts" / "mutants.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


tool = _load()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A package whose one test pins its VALUE, and a .venv the copy must leave out."""
    root = tmp_path / "project"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text("VALUE = 1  # the answer\n", encoding="utf-8")
    (root / "tests").mkdir()
    (root / "tests" / "test_value.py").write_text(
        "import pkg\n\n\ndef test_value() -> None:\n    assert pkg.VALUE == 1\n", encoding="utf-8"
    )
    (root / ".venv").mkdir()
    (root / ".venv" / "huge").write_text("not copied", encoding="utf-8")
    return root


def mutant(name: str, original: str, replacement: str) -> object:
    return tool.Mutant(name, "pkg/__init__.py", original, replacement, ("tests/test_value.py",))


def run(project: Path, *mutants: object) -> dict[str, object]:
    outcomes = tool.run_all(mutants, root=project, python=sys.executable, packages=("pkg",), select=None)
    return {o.mutant.name: o for o in outcomes}


def test_caught_bug_is_killed_uncaught_survives_moved_one_is_stale(project: Path) -> None:
    """Killed only when a test fails; the score counts only killed mutants, so the tool exits non-zero."""
    found = run(
        project,
        mutant("caught", "VALUE = 1", "VALUE = 2"),
        mutant("uncaught", "# the answer", "# another comment"),
        mutant("moved", "VALUE = 3", "VALUE = 4"),
        mutant("unimportable", "VALUE = 1", "VALUE = ("),
    )
    assert {name: o.status for name, o in found.items()} == {  # type: ignore[attr-defined]
        "caught": "killed",
        "uncaught": "survived",
        "moved": "stale",
        "unimportable": "error",  # no test failed: the tests could not even run
    }
    assert "test_value" in found["caught"].detail  # type: ignore[attr-defined]
    assert "not found" in found["moved"].detail  # type: ignore[attr-defined]
    assert tool.summarise(list(found.values()), 1.0) == 1
    assert (project / "pkg" / "__init__.py").read_text(encoding="utf-8") == "VALUE = 1  # the answer\n"


def test_original_text_must_occur_exactly_once(project: Path) -> None:
    """Text found twice is as stale as text not found: the edit would be ambiguous."""
    (project / "pkg" / "__init__.py").write_text("VALUE = 1\nOTHER = 1\n", encoding="utf-8")
    with pytest.raises(tool.NotApplicable, match="found 2 times"):
        tool.apply(project, mutant("twice", "= 1", "= 2"))
    (outcome,) = tool.check([mutant("twice", "= 1", "= 2")], project)
    assert outcome.status == "stale"


def test_scratch_copy_leaves_out_the_venv_and_is_what_python_imports(tmp_path: Path) -> None:
    """The real project's copy: no .venv or .git, and bot/cogs resolve to the copy, not the
    editable install of the checkout."""
    scratch = tmp_path / "copy"
    tool.copy_project(REPO_ROOT, scratch)
    assert not (scratch / ".venv").exists() and not (scratch / ".git").exists()
    found = tool.imported_from(sys.executable, scratch, tool.PACKAGES)
    assert set(found) == set(tool.PACKAGES)
    assert all(origin.startswith(f"{scratch}/") for origin in found.values()), found


def test_every_mutant_names_existing_tests_and_a_distinct_name() -> None:
    """The list itself: at least 30 mutants, unique names, each with tests that exist."""
    names = [m.name for m in tool.MUTANTS]
    assert len(names) >= 30 and len(set(names)) == len(names)
    for m in tool.MUTANTS:
        assert m.tests and m.original != m.replacement, m.name
        for test in m.tests:
            assert (REPO_ROOT / test.split("::")[0]).exists(), (m.name, test)


def test_every_mutant_of_the_project_still_applies() -> None:
    """Each listed mutant's original text occurs once in its file and its tests exist: a
    refactor that moves the code a mutant targets shows here, not only in a full mutants run."""
    stale = [
        f"{o.mutant.name}: {o.detail}" for o in tool.check(tool.MUTANTS, REPO_ROOT) if o.status != "applies"
    ]
    assert stale == []
