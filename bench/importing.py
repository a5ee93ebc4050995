"""Import of a synthetic store from its files, through the real import path.

    python -m bench.importing --db-url URL --root DIR [--timeout 900] [--out result.json]

The global files go through the command line exactly as a curator runs it
(`python -m bot import DIR/global`, timed from process start to exit); each server's own files
then go through the store API (`load_dataset` + `Writes.import_dataset` with the server's id),
as the admin import does. Reading and validating the global files is also timed on its own.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.procinfo import peak_rss_mb
from bot.dataset import load_dataset
from bot.db.engine import create_engine
from bot.store import Store


def import_global(db_url: str, directory: Path, timeout: float) -> dict[str, Any]:
    """`python -m bot import DIR` in a child process; wall time, exit code, the child's peak RSS."""
    env = {**os.environ, "DATABASE_URL": db_url}
    command = [sys.executable, "-m", "bot", "import", str(directory)]
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=Path.cwd(), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return {"timed_out": True, "seconds": time.perf_counter() - start, "command": " ".join(command[1:])}
    seconds = time.perf_counter() - start
    first = out.decode(errors="replace").splitlines()[:1]
    return {
        "timed_out": False,
        "seconds": seconds,
        "exit_code": proc.returncode,
        "summary": first[0] if first else err.decode(errors="replace")[-500:],
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "command": " ".join(command[1:]),
    }


async def import_servers(db_url: str, dirs: list[Path]) -> dict[str, Any]:
    """Each server directory (named by its id) imported into that server's scope through the store API."""
    store = Store(create_engine(db_url))
    entries = 0
    start = time.perf_counter()
    try:
        for directory in dirs:
            guild_id = int(directory.name)
            known_actors = await store.reads.actors(guild_id)
            known_topics = await store.reads.topics(guild_id)
            dataset, problems = load_dataset(directory, known_actors, known_topics)
            report = await store.writes.import_dataset(dataset, guild_id=guild_id, reason="bench import")
            if problems or report.problems:
                raise RuntimeError(f"server {guild_id}: {(problems or report.problems)[:3]}")
            entries += len(report.added)
    finally:
        await store.engine.dispose()
    return {"servers": len(dirs), "entries": entries, "seconds": time.perf_counter() - start}


def parse_only(directory: Path) -> dict[str, Any]:
    """Reading and validating the global files, without a database."""
    start = time.perf_counter()
    dataset, problems = load_dataset(directory)
    return {"seconds": time.perf_counter() - start, "entries": len(dataset), "problems": len(problems)}


def run(db_url: str, root: Path, timeout: float) -> dict[str, Any]:
    """Parse-only timing, then the global import (CLI), then the servers (API)."""
    result: dict[str, Any] = {"parse": parse_only(root / "global")}
    result["global"] = import_global(db_url, root / "global", timeout)
    if not result["global"]["timed_out"] and result["global"]["exit_code"] == 0:
        dirs = sorted(p for p in (root / "servers").iterdir() if p.is_dir())
        result["servers"] = asyncio.run(import_servers(db_url, dirs))
        result["total_s"] = result["global"]["seconds"] + result["servers"]["seconds"]
        result["entries"] = result["parse"]["entries"] + result["servers"]["entries"]
    result["peak_rss_mb"] = peak_rss_mb()
    return result


def main(argv: list[str] | None = None) -> int:
    """Command line (the benchmark runs this in its own process)."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db-url", required=True)
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    text = json.dumps(run(args.db_url, args.root, args.timeout), indent=1)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
