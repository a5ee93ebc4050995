"""Import of a synthetic store from its files, through the real import path.

    python -m bench.importing --db-url URL --root DIR [--timeout 900] [--out result.json]

Both go through the command line exactly as a curator runs it, timed from process start to
exit: the global files (`python -m bot import DIR/global`), then every server's own files at once
(`python -m bot import DIR/servers --servers`: each directory, named by its server's id, into that
server's scope). Reading and validating the global files is also timed on its own.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.procinfo import peak_rss_mb
from bot.dataset import load_dataset


def import_cli(db_url: str, arguments: list[str], timeout: float) -> dict[str, Any]:
    """`python -m bot import ARGUMENTS` in a child process; wall time, exit code, the child's peak RSS."""
    env = {**os.environ, "DATABASE_URL": db_url}
    command = [sys.executable, "-m", "bot", "import", *arguments]
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=Path.cwd(), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return {"timed_out": True, "seconds": time.perf_counter() - start, "command": " ".join(command[1:])}
    seconds = time.perf_counter() - start
    lines = out.decode(errors="replace").splitlines()
    return {
        "timed_out": False,
        "seconds": seconds,
        "exit_code": proc.returncode,
        "summary": lines[0] if lines else err.decode(errors="replace")[-500:],
        "last": lines[-1] if lines else "",
        "added": sum(int(m.group(1)) for m in map(_ADDED.match, lines) if m),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "command": " ".join(command[1:]),
    }


_ADDED = re.compile(r"\s*added (\d+),")


def parse_only(directory: Path) -> dict[str, Any]:
    """Reading and validating the global files, without a database."""
    start = time.perf_counter()
    dataset, problems = load_dataset(directory)
    return {"seconds": time.perf_counter() - start, "entries": len(dataset), "problems": len(problems)}


def run(db_url: str, root: Path, timeout: float) -> dict[str, Any]:
    """Parse-only timing, then the global import, then the servers' (both through the CLI)."""
    result: dict[str, Any] = {"parse": parse_only(root / "global")}
    result["global"] = import_cli(db_url, [str(root / "global")], timeout)
    if not result["global"]["timed_out"] and result["global"]["exit_code"] == 0:
        servers = import_cli(db_url, [str(root / "servers"), "--servers"], timeout)
        if servers["timed_out"] or servers["exit_code"] != 0:
            raise RuntimeError(f"import --servers failed: {servers}")
        dirs = [p for p in (root / "servers").iterdir() if p.is_dir()]
        result["servers"] = {"servers": len(dirs), "entries": servers["added"], **servers}
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
