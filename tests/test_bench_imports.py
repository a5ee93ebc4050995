"""Every benchmark module still imports: bench/ is not type-checked, so a moved function in bot/
would otherwise only show when someone runs the benchmark (bench/bulkload.py once imported
prepare_schema from where it no longer lived)."""

import importlib
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
MODULES = sorted(f"bench.{p.stem}" for p in BENCH.glob("*.py") if p.stem != "__init__")


@pytest.mark.parametrize("module", MODULES)
def test_benchmark_module_imports(module: str) -> None:
    importlib.import_module(module)


def test_the_benchmark_modules_are_found() -> None:
    assert {"bench.bulkload", "bench.run", "bench.inprocess"} <= set(MODULES)
