"""The benchmark record: one file per run in bench/history/, and BENCHMARKS.md's current table.

Each run of bench/run.py writes its section (command, machine, sizes, table, notes) to a file of
its own; BENCHMARKS.md is then rebuilt from all of them and keeps only the latest figure of each
row (figure, database), with the run it came from. A run whose label marks it as the "before"
side of an A/B measured older code, so its figures never become current; a `--quick` run (small
sizes) never replaces a full-scale figure, though it shows where no full-scale run measured the row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HISTORY = ROOT / "bench" / "history"
BENCHMARKS = ROOT / "BENCHMARKS.md"

_HEADING = re.compile(r"^## (\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2}) UTC(?: — (.*))?$")
_BEFORE = re.compile(r"(^|[—,:] ?)before\b", re.IGNORECASE)
_QUICK = re.compile(r"(^|\s)--quick(\s|$)")
HEADER = """# Benchmarks

`python bench/run.py` measures the figures below (bench/README.md says what each one means and
how it is measured). This page keeps the **latest figure of each row**, with the run it comes
from; every run's full record — the exact command, the machine, the sizes, its whole table and
notes — is a file of its own in [`bench/history/`](bench/history/). Runs labelled as the "before"
side of an A/B measured older code and are kept there only. Figures from a busy machine (see the
load average and the CPU steal in each run's notes) are noisy: compare runs made on the same
machine in the same hour, and two runs of the same code can land on either side of a target.
"""


@dataclass(frozen=True)
class Run:
    """One run's record, as read back from its file."""

    path: Path
    stamp: str  # "2026-11-27 06:39 UTC"
    label: str
    command: str
    rows: list[list[str]]  # figure, db, result, target, met

    @property
    def is_before(self) -> bool:
        """The 'before' side of an A/B: older code, never the current figure."""
        return bool(_BEFORE.search(self.label))

    @property
    def is_quick(self) -> bool:
        """A smoke run at small sizes (`--quick`): its figures never replace a full-scale one."""
        return bool(_QUICK.search(self.command))


def file_name(heading: str) -> str:
    """`2026-11-27T0639Z-after-code-at-b38f667.md` from a section's heading line."""
    match = _HEADING.match(heading.strip())
    if not match:
        raise ValueError(f"not a run heading: {heading!r}")
    day, hour, minute, label = match.groups()
    slug = re.sub(r"[^a-z0-9]+", "-", (label or "run").lower()).strip("-")[:60].rstrip("-")
    return f"{day}T{hour}{minute}Z-{slug or 'run'}.md"


def split_sections(text: str) -> list[str]:
    """The run sections (`## …` to the next) of a BENCHMARKS.md written by earlier versions."""
    sections: list[str] = []
    for block in re.split(r"(?m)^(?=## \d{4}-\d{2}-\d{2} )", text):
        if _HEADING.match(block.splitlines()[0] if block else ""):
            sections.append(block.rstrip("\n") + "\n")
    return sections


def write_run(section: str, directory: Path = HISTORY) -> Path:
    """Store one run's section as its own file (a second run in the same minute gets a suffix)."""
    directory.mkdir(parents=True, exist_ok=True)
    name = file_name(section.splitlines()[0])
    path = directory / name
    n = 2
    while path.exists():
        path = directory / name.replace(".md", f"-{n}.md")
        n += 1
    path.write_text("# " + section.lstrip("#").lstrip(), encoding="utf-8")
    return path


def read_run(path: Path) -> Run:
    """A run file back into its heading, command and table rows."""
    lines = path.read_text(encoding="utf-8").splitlines()
    match = _HEADING.match("#" + lines[0])
    if not match:
        raise ValueError(f"{path}: the first line is not a run heading")
    day, hour, minute, label = match.groups()
    command = next((ln[len("Command: `") : -1] for ln in lines if ln.startswith("Command: `")), "")
    rows = []
    for line in lines:
        if line.startswith("| ") and not line.startswith(("| figure ", "|---")):
            cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            if len(cells) == 5:
                rows.append(cells)
    return Run(path, f"{day} {hour}:{minute} UTC", label or "", command, rows)


def current_table(runs: list[Run], root: Path = ROOT) -> str:
    """BENCHMARKS.md: the latest figure per (figure, db) over the runs, and the runs it cites."""
    latest: dict[tuple[str, str], tuple[list[str], Run]] = {}
    order: list[tuple[str, str]] = []
    for run in sorted(runs, key=lambda r: (r.stamp, r.path.name)):
        if run.is_before:
            continue
        for cells in run.rows:
            key = (cells[0], cells[1])
            if key in latest and run.is_quick and not latest[key][1].is_quick:
                continue
            if key not in latest:
                order.append(key)
            latest[key] = (cells, run)
    # A figure later split into qualified rows ("X" → "X, new question") is no longer current.
    order = [k for k in order if not any(o[1] == k[1] and o[0].startswith(k[0] + ", ") for o in order)]
    first = {k: i for i, k in enumerate(order)}
    order.sort(key=lambda k: (k[1] != "sqlite", first[k]))
    cited: dict[Path, int] = {}
    lines = ["| figure | db | latest result | target | met | run |", "|---|---|---|---|---|---|"]
    for key in order:
        cells, run = latest[key]
        ref = cited.setdefault(run.path, len(cited) + 1)
        shown = [c.replace("|", "\\|") for c in cells]
        lines.append("| " + " | ".join([*shown, f"[{run.stamp[:10]} ({ref})](#runs)"]) + " |")
    runs_cited = ["## Runs", ""]
    by_ref = {n: p for p, n in cited.items()}
    run_of = {r.path: r for r in runs}
    for n in sorted(by_ref):
        run = run_of[by_ref[n]]
        rel = run.path.relative_to(root).as_posix()
        runs_cited.append(f"{n}. {run.stamp} — [{run.label or 'run'}]({rel}): `{run.command}`")
    return "\n".join([HEADER, "## Current figures", "", *lines, "", *runs_cited, ""])


def rebuild(directory: Path = HISTORY, out: Path = BENCHMARKS) -> None:
    """Rewrite BENCHMARKS.md from every run file in `directory`."""
    runs = [read_run(p) for p in sorted(directory.glob("*.md"))]
    out.write_text(current_table(runs, out.parent), encoding="utf-8")


def record(section: str, directory: Path = HISTORY, out: Path = BENCHMARKS) -> Path:
    """Keep a new run: its own file, then the current table rebuilt."""
    path = write_run(section, directory)
    rebuild(directory, out)
    return path
