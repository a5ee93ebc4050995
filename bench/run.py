"""Run the benchmarks: `python bench/run.py [--quick | --full] [--db sqlite|postgres|both] …` (see --help)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.pipeline import main  # after the path set-up that makes `bench` importable

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
