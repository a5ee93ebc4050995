"""Command-line options of bench/run.py, with the quick and full defaults."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ("import", "inprocess", "e2e", "repeated", "digest", "pictures")

# (quick, full) defaults of each size option
DEFAULTS: dict[str, tuple[float, float]] = {
    "scale": (0.02, 1.0),
    "import_scale": (0.01, 1.0),
    "interactions": (400, 2400),
    "rounds": (2, 4),
    "warmup": (40, 80),
    "n": (100, 1000),
    "subs": (100, 1000),
    "restarts": (1, 2),
    "repeated": (600, 6000),
    "repeated_rounds": (2, 6),
}


@dataclass
class Options:
    """Everything a run needs to know."""

    quick: bool
    dbs: tuple[str, ...]
    scale: float
    import_scale: float
    import_timeout: float
    interactions: int
    rounds: int
    concurrency: int
    warmup: int
    n: int
    subs: int
    restarts: int
    repeated: int
    repeated_rounds: int
    sections: tuple[str, ...]
    work: Path
    keep: bool
    write: bool
    label: str
    code: Path
    pg_custom_plans: bool
    command: str


def parser() -> argparse.ArgumentParser:
    """The argument parser (sizes default to the --full values unless --quick)."""
    p = argparse.ArgumentParser(
        prog="python bench/run.py",
        description="Benchmarks of the briefing bot: floor comparison, store at scale, start-up, memory, "
        "import, digests. Prints a table and appends it to BENCHMARKS.md. See bench/README.md.",
    )
    size = p.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="small sizes: a smoke run of about a minute")
    size.add_argument("--full", action="store_true", help="the full sizes (the default)")
    p.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    p.add_argument(
        "--scale", type=float, help="store size, 1.0 = 5,000 actors … 100,000 events (full 1.0, quick 0.02)"
    )
    p.add_argument(
        "--import-scale", type=float, help="size of the store imported from files (full 1.0, quick 0.01)"
    )
    p.add_argument(
        "--import-timeout", type=float, default=900.0, help="stop the import after this many seconds"
    )
    p.add_argument(
        "--interactions", type=int, help="interactions per bot in the floor comparison (full 2400)"
    )
    p.add_argument("--rounds", type=int, help="alternating rounds per bot (full 4)")
    p.add_argument("--concurrency", type=int, default=8, help="interactions in flight (default 8)")
    p.add_argument("--warmup", type=int, help="uncounted interactions per bot before the rounds (full 80)")
    p.add_argument("--n", type=int, help="in-process requests per kind (full 1000)")
    p.add_argument("--subs", type=int, help="digest subscriptions (full 1000)")
    p.add_argument("--restarts", type=int, help="timed restarts of the bot after the comparison (full 2)")
    p.add_argument(
        "--repeated",
        type=int,
        help="interactions per bot in the repeated-answer row, /position actor:russia (full 6000)",
    )
    p.add_argument(
        "--repeated-rounds", type=int, help="alternating rounds per bot in the repeated-answer row (full 6)"
    )
    p.add_argument(
        "--only", default=",".join(SECTIONS), help=f"comma list of sections: {', '.join(SECTIONS)}"
    )
    p.add_argument("--work", type=Path, default=Path("/tmp/briefing-bench"), help="scratch directory")
    p.add_argument("--keep", action="store_true", help="keep the benchmark databases")
    p.add_argument("--no-write", action="store_true", help="print only; do not append to BENCHMARKS.md")
    p.add_argument(
        "--label", default="", help="a note for the BENCHMARKS.md heading, e.g. 'after the search fix'"
    )
    p.add_argument(
        "--code", type=Path, default=ROOT, help="run the bot code found in this directory (before/after)"
    )
    p.add_argument(
        "--pg-custom-plans",
        action="store_true",
        help="set plan_cache_mode = force_custom_plan on the PostgreSQL benchmark databases (see README)",
    )
    return p


def parse(argv: list[str], command: str) -> Options:
    """Options from the command line."""
    args = parser().parse_args(argv)
    quick = bool(args.quick)

    def pick(name: str) -> float:
        given = getattr(args, name)
        return given if given is not None else DEFAULTS[name][0 if quick else 1]

    sections = tuple(s for s in args.only.split(",") if s)
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        parser().error(f"unknown section(s) {', '.join(sorted(unknown))}; use {', '.join(SECTIONS)}")
    return Options(
        quick=quick,
        dbs=("sqlite", "postgres") if args.db == "both" else (args.db,),
        scale=pick("scale"),
        import_scale=pick("import_scale"),
        import_timeout=args.import_timeout,
        interactions=int(pick("interactions")),
        rounds=int(pick("rounds")),
        concurrency=args.concurrency,
        warmup=int(pick("warmup")),
        n=int(pick("n")),
        subs=int(pick("subs")),
        restarts=int(pick("restarts")),
        repeated=int(pick("repeated")),
        repeated_rounds=int(pick("repeated_rounds")),
        sections=sections,
        work=args.work,
        keep=args.keep,
        write=not args.no_write,
        label=args.label,
        code=args.code.resolve(),
        pg_custom_plans=args.pg_custom_plans,
        command=command,
    )
