"""The benchmark run: data, databases, each section in its own process, then the report."""

from __future__ import annotations

import asyncio
import fcntl
import json
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import dbs, history, report
from bench.machine import cpu_ticks, describe, load_average, steal_note, steal_share
from bench.options import ROOT, Options, parse
from bench.synthetic import Manifest, Scale, generate
from tests.discord_sim.world import build_world


def log(text: str) -> None:
    """Progress on stderr."""
    print(text, file=sys.stderr, flush=True)


def child(opts: Options, args: list[str], timeout: float, out: Path | None = None) -> dict[str, Any]:
    """Run `python -m <args>` with the bot code of `opts.code`; its JSON result (from `out` or stdout)."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
    }
    done = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=opts.code,
        env=env,
        stdout=subprocess.PIPE,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:1])} failed with exit code {done.returncode}")
    text = out.read_text(encoding="utf-8") if out else done.stdout.decode()
    return json.loads(text)


def dataset(opts: Options, scale: float) -> Path:
    """The synthetic store at `scale` (made once per work directory; the simulator's servers included)."""
    root = opts.work / f"data-{scale:g}"
    if (root / "manifest.json").exists():
        return root
    guild_ids = [g.id for g in build_world().guilds]
    log(f"  generating a synthetic store at scale {scale:g} in {root}")
    generate(root, Scale().scaled(scale), guild_ids=guild_ids)
    return root


async def _new_db(opts: Options, kind: str, name: str) -> dbs.BenchDb:
    if kind == "sqlite":
        return dbs.sqlite_db(opts.work, name)
    settings = {"plan_cache_mode": "force_custom_plan"} if opts.pg_custom_plans else {}
    return await dbs.create_postgres(name, settings)


async def _drop(db: dbs.BenchDb) -> None:
    if db.kind == "postgres":
        await dbs.drop_postgres(db.name)
    elif db.path is not None:
        dbs.remove_sqlite(db.path)


def run_db(opts: Options, kind: str, data: Path | None, import_data: Path | None) -> list[report.Row]:
    """Every selected section on one database kind."""
    rows: list[report.Row] = []
    tag = f"bench_{os.getpid()}"
    if "import" in opts.sections and import_data is not None:
        db = asyncio.run(_new_db(opts, kind, f"{tag}_import"))
        log(f"  [{kind}] import from files (scale {opts.import_scale:g}) …")
        try:
            out = opts.work / f"import-{kind}.json"
            r = child(
                opts,
                [
                    "bench.importing",
                    "--db-url",
                    db.url,
                    "--root",
                    str(import_data),
                    "--timeout",
                    str(opts.import_timeout),
                    "--out",
                    str(out),
                ],
                opts.import_timeout + 3600,
                out,
            )
        finally:
            if not opts.keep:
                asyncio.run(_drop(db))
        rows += report.import_rows(kind, r, large=opts.import_scale >= 1.0)
    if "repeated" in opts.sections:
        rows += repeated_section(opts, kind, f"{tag}_repeated")
    if data is None or not {"inprocess", "e2e", "digest"} & set(opts.sections):
        return rows
    db = asyncio.run(_new_db(opts, kind, f"{tag}_store"))
    try:
        log(f"  [{kind}] loading the store straight into the database …")
        loaded = child(opts, ["bench.bulkload", "--db-url", db.url, "--root", str(data)], 3600)
        log(f"  [{kind}] {loaded['entries']:,} entries in {loaded['seconds']:.1f} s")
        manifest = str(data / "manifest.json")
        floor_embeds = opts.work / "floor-embeds.json"
        if "inprocess" in opts.sections or not floor_embeds.exists():
            log(f"  [{kind}] in-process queries and renders ({opts.n} per kind) …")
            out = opts.work / f"inprocess-{kind}.json"
            r = child(
                opts,
                [
                    "bench.inprocess",
                    "--db-url",
                    db.url,
                    "--manifest",
                    manifest,
                    "--n",
                    str(opts.n),
                    "--out",
                    str(out),
                    "--floor-embeds",
                    str(floor_embeds),
                ],
                7200,
                out,
            )
            if "inprocess" in opts.sections:
                rows += report.inprocess_rows(kind, r)
        if "e2e" in opts.sections:
            log(
                f"  [{kind}] floor comparison: {opts.interactions} interactions per bot, concurrency {opts.concurrency} …"
            )
            cfg = {
                "work_dir": str(opts.work / f"e2e-{kind}"),
                "manifest": manifest,
                "db_url": db.url,
                "floor_embeds": str(floor_embeds),
                "warmup": opts.warmup,
                "interactions": opts.interactions,
                "rounds": opts.rounds,
                "concurrency": opts.concurrency,
                "restarts": opts.restarts,
            }
            cfg_path, out = opts.work / f"e2e-{kind}-config.json", opts.work / f"e2e-{kind}.json"
            cfg_path.write_text(json.dumps(cfg), encoding="utf-8")
            r = child(opts, ["bench.loadgen", str(cfg_path), str(out)], 7200, out)
            rows += report.e2e_rows(kind, r)
        if "digest" in opts.sections:
            rows += digest_section(opts, kind, db, manifest)
    finally:
        if not opts.keep:
            asyncio.run(_drop(db))
    return rows


def repeated_section(opts: Options, kind: str, name: str) -> list[report.Row]:
    """The repeated answer against the floor, on a database holding the project's own data/ files."""
    db = asyncio.run(_new_db(opts, kind, name))
    try:
        log(f"  [{kind}] importing data/ of {opts.code} for the repeated-answer row …")
        env = {**os.environ, "DATABASE_URL": db.url}
        done = subprocess.run(
            [sys.executable, "-m", "bot", "import", "data"],
            cwd=opts.code,
            env=env,
            stdout=subprocess.DEVNULL,
            timeout=600,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"bot import data failed with exit code {done.returncode}")
        log(
            f"  [{kind}] repeated answer: {opts.repeated} × /position actor:russia per bot, "
            f"{opts.repeated_rounds} alternating rounds, concurrency {opts.concurrency} …"
        )
        cfg = {
            "mode": "repeated",
            "work_dir": str(opts.work / f"repeated-{kind}"),
            "db_url": db.url,
            "warmup": opts.warmup,
            "interactions": opts.repeated,
            "rounds": opts.repeated_rounds,
            "concurrency": opts.concurrency,
        }
        cfg_path, out = opts.work / f"repeated-{kind}-config.json", opts.work / f"repeated-{kind}.json"
        cfg_path.write_text(json.dumps(cfg), encoding="utf-8")
        r = child(opts, ["bench.loadgen", str(cfg_path), str(out)], 7200, out)
    finally:
        if not opts.keep:
            asyncio.run(_drop(db))
    return report.repeated_rows(kind, r)


def digest_section(opts: Options, kind: str, db: dbs.BenchDb, manifest: str) -> list[report.Row]:
    """Digest composition, or the placeholder row when the digest module is missing."""
    if not (opts.code / "bot" / "digest" / "scheduler.py").exists():
        return report.digest_rows(kind, None, opts.subs)
    log(f"  [{kind}] composing {opts.subs} digests …")
    out = opts.work / f"digest-{kind}.json"
    r = child(
        opts,
        [
            "bench.digests",
            "--db-url",
            db.url,
            "--manifest",
            manifest,
            "--subs",
            str(opts.subs),
            "--out",
            str(out),
        ],
        7200,
        out,
    )
    return report.digest_rows(kind, r, opts.subs)


def sizes(opts: Options, manifest: Manifest | None) -> str:
    """The sizes line of the report."""
    repeated = (
        f"repeated answer {opts.repeated:,} per bot in {opts.repeated_rounds} alternating rounds, "
        f"concurrency {opts.concurrency}, {opts.warmup} warm-up (store: the project's data/)"
    )
    if manifest is None:
        return repeated
    s = manifest.scale
    return (
        f"store {s['actors']:,} actors, {s['topics']:,} topics, {s['positions']:,} positions, {s['events']:,} events, "
        f"{s['servers']} servers with local entries ({manifest.bytes / 1e6:.0f} MB in {manifest.files} files); "
        f"import at scale {opts.import_scale:g}; floor comparison {opts.interactions:,} interactions per bot "
        f"in {opts.rounds} alternating rounds each, concurrency {opts.concurrency}, {opts.warmup} warm-up; "
        f"in-process {opts.n:,} requests per kind; {opts.subs:,} digest subscriptions; {repeated}"
    )


def main(argv: list[str]) -> int:
    """Run the benchmarks; print the table; keep the run in bench/history/ and rebuild BENCHMARKS.md."""
    command = shlex.join(["python", "bench/run.py", *argv])
    opts = parse(argv, command.strip())
    opts.work.mkdir(parents=True, exist_ok=True)
    lock = (opts.work / ".lock").open("w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        log(f"another benchmark is running in {opts.work}; wait for it (runs would skew each other)")
        return 2
    pg = asyncio.run(dbs.postgres_version()) if "postgres" in opts.dbs else ""
    if "postgres" in opts.dbs and not pg:
        log(
            f"PostgreSQL is not reachable at {dbs.POSTGRES_ADMIN_URL}; set BENCH_POSTGRES_URL or use --db sqlite"
        )
        return 2
    machine = describe(pg, opts.code)
    started, ticks = time.perf_counter(), cpu_ticks()
    log(f"benchmark: {command}\n  {machine.line()}")
    needs_store = bool({"inprocess", "e2e", "digest"} & set(opts.sections))
    data = dataset(opts, opts.scale) if needs_store or "import" in opts.sections else None
    import_data = dataset(opts, opts.import_scale) if "import" in opts.sections else data
    rows: list[report.Row] = []
    for kind in opts.dbs:
        rows += run_db(opts, kind, data, import_data)
    if "pictures" in opts.sections:
        log("  pictures: /map grid and /timeline chart, in a fresh process")
        rows += report.picture_rows(child(opts, ["bench.pictures"], timeout=600))
    notes = [
        f"took {time.perf_counter() - started:.0f} s; load average {machine.load_before} at start, {load_average()} at the end"
        + steal_note(steal_share(ticks, cpu_ticks())),
        "in-process figures are whole answers (store query + render) as a command handler awaits them",
        "latency in the floor comparison is the simulator's own record: INTERACTION_CREATE dispatched → initial callback accepted",
    ]
    if opts.code != ROOT:
        notes.append(f"bot code from {opts.code}")
    if opts.pg_custom_plans:
        notes.append("PostgreSQL databases set to plan_cache_mode = force_custom_plan (not the default)")
    text = report.section(
        command,
        machine.line(),
        sizes(opts, Manifest.load(data / "manifest.json") if data else None),
        rows,
        notes,
        opts.label,
    )
    print(text)
    if opts.write:
        path = history.record(text)
        log(f"kept as {path.relative_to(history.ROOT)}; {history.BENCHMARKS.name} rebuilt")
    return 0
