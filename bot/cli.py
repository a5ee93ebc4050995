"""Command line: `run`, `preview`, `import`, `check-data`, `export`, `migrate`.

`preview` answers a slash command offline, through the same store and renderer as the bot,
with no token and no Discord: what a newcomer or a curator runs first.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shlex
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from dotenv import load_dotenv
from sqlalchemy.engine import make_url

from bot import answers, render
from bot.config import ConfigError, Settings, load_settings
from bot.dataset import Dataset, Problem, dump_dataset, load_dataset
from bot.db.engine import create_engine
from bot.db.migrations import head_revision
from bot.db.schema import SchemaError, SchemaStatus, schema_status, upgrade
from bot.errors import BriefingError
from bot.logs import setup_logging
from bot.tree import error_message

if TYPE_CHECKING:
    from bot.store.importing import ImportReport

# Positional order of each command's options, as in its slash-command definition.
PREVIEW_OPTIONS: dict[str, tuple[str, ...]] = {
    "position": ("actor", "topic"),
    "timeline": ("topic", "actor", "since", "until", "chart"),
    "brief": ("topic",),
    "compare": ("topic", "actor_a", "actor_b"),
    "search": ("query",),
    "entry": ("id",),
    "map": ("topics", "actors"),
    "actors": (),
    "topics": (),
}


LIST_LIMIT = 50  # entries listed after an import; the rest are counted


class PreviewUsageError(Exception):
    """The preview command line does not name a known command and options."""


def parse_preview(line: str) -> tuple[str, dict[str, str]]:
    """`/timeline nato-ukraine since:2024` → ("timeline", {"topic": "nato-ukraine", "since": "2024"})."""
    try:
        tokens = shlex.split(line)
    except ValueError as exc:
        raise PreviewUsageError(f"cannot read {line!r}: {exc}") from None
    if not tokens:
        raise PreviewUsageError('give a command, e.g. "/position russia"')
    name = tokens[0].lstrip("/").lower()
    if name not in PREVIEW_OPTIONS:
        raise PreviewUsageError(
            f"unknown command /{name}; one of: " + ", ".join("/" + c for c in PREVIEW_OPTIONS)
        )
    names = PREVIEW_OPTIONS[name]
    values: dict[str, str] = {}
    positional: list[str] = []
    for token in tokens[1:]:
        key, sep, value = token.partition(":")
        if sep and key in names:
            values[key] = value
        else:
            positional.append(token)
    if name == "search" and positional:
        values["query"] = " ".join([values.get("query", ""), *positional]).strip()
        positional = []
    free = [n for n in names if n not in values]
    if len(positional) > len(free):
        raise PreviewUsageError(f"/{name} takes {', '.join(names) or 'no options'}; too many values given")
    values.update(zip(free, positional, strict=False))
    return name, values


async def _answer_pages(
    settings: Settings, name: str, opts: dict[str, str], guild_id: int | None
) -> tuple[str, list[tuple[str, bytes]]]:
    from bot.runner import open_store
    from bot.seed import seed_if_empty

    store = await open_store(settings)
    try:
        await seed_if_empty(store, settings.data_dir)
        g = guild_id
        first: answers.Answer
        if name == "position":
            first = await answers.position(store, g, (opts.get("actor", ""), opts.get("topic", "")))
        elif name == "timeline":
            args = tuple(opts.get(k, "") for k in ("topic", "actor", "since", "until"))
            chart = opts.get("chart", "").lower() in ("true", "yes", "1")
            first = await answers.timeline(store, g, (*args, *((answers.CHART_ARG,) if chart else ())))
        elif name == "entry":
            first = await answers.entry(store, g, (opts.get("id", ""),))
        elif name == "actors":
            first = await answers.actors(store, g)
        elif name == "topics":
            first = await answers.topics(store, g)
        elif name == "brief":
            first = await answers.brief(store, g, opts.get("topic", ""))
        elif name == "compare":
            first = await answers.compare(
                store, g, opts.get("topic", ""), opts.get("actor_a", ""), opts.get("actor_b", "")
            )
        elif name == "map":
            first = await answers.stance_map(store, g, opts.get("actors", ""), opts.get("topics", ""))
        else:
            first = await answers.search(store, g, opts.get("query", ""))
        pages, files = [first.embed], list(first.files)
        for page in range(1, first.page_count):
            other = await answers.VIEWS[first.view](store, g, first.args, page)
            pages.append(other.embed)
            files += [(f"page{page + 1}-{n}", data) for n, data in other.files]
        return render.pages_to_text(pages), files
    finally:
        await store.engine.dispose()


def cmd_preview(args: argparse.Namespace) -> int:
    settings = load_settings(require_token=False)
    try:
        name, opts = parse_preview(" ".join(args.command))
    except PreviewUsageError as exc:
        print(f"preview: {exc}", file=sys.stderr)
        return 2
    missing = [
        o
        for o in PREVIEW_OPTIONS[name][:1]
        if name not in ("actors", "topics", "search", "map") and not opts.get(o)
    ]
    if missing or (name == "search" and not opts.get("query")):
        print(f"preview: /{name} needs {missing[0] if missing else 'query'}", file=sys.stderr)
        return 2
    try:
        text, files = asyncio.run(_answer_pages(settings, name, opts, args.guild))
    except BriefingError as exc:
        print(f"(only you can see this) {error_message(exc)}")
        return 1
    print(text)
    if files:
        out_dir = Path(args.image_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        for filename, data in files:
            path = out_dir / filename
            path.write_bytes(data)
            print(f"🖼️ attachment://{filename} written to {path.resolve()} ({len(data) // 1024} KB)")
    return 0


def cmd_run(_args: argparse.Namespace) -> int:
    from bot.runner import run_bot

    settings = load_settings()
    return asyncio.run(run_bot(settings))


def cmd_check_data(args: argparse.Namespace) -> int:
    _dataset, problems = load_dataset(Path(args.path))
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {args.path}", file=sys.stderr)
        return 1
    print(f"{args.path}: no problems")
    return 0


def _print_problems(problems: Sequence[object]) -> None:
    """Each problem on stdout, then the refusal on stderr."""
    for problem in problems:
        print(problem)
    print(f"nothing imported: {len(problems)} problem(s)", file=sys.stderr)


def _print_report(report: ImportReport, dry_run: bool, indent: str = "") -> None:
    """The counts, then at most LIST_LIMIT added/changed entries."""
    verb = "would add" if dry_run else "added"
    print(
        f"{indent}{verb} {len(report.added)}, {'would change' if dry_run else 'changed'} {len(report.changed)}, unchanged {report.unchanged}"
    )
    listed = [f"  + {line}" for line in report.added] + [f"  ~ {line}" for line in report.changed]
    for line in listed[:LIST_LIMIT]:
        print(indent + line)
    if len(listed) > LIST_LIMIT:
        print(f"{indent}  … and {len(listed) - LIST_LIMIT} more")


async def _import(settings: Settings, path: Path, dataset: Dataset, guild_id: int, dry_run: bool) -> int:
    from bot.runner import open_store

    store = await open_store(settings)
    try:
        report = await store.writes.import_dataset(
            dataset, guild_id=guild_id, dry_run=dry_run, reason=f"cli import {path}"
        )
    finally:
        await store.engine.dispose()
    if report.problems:
        _print_problems(report.problems)
        return 1
    _print_report(report, dry_run)
    return 0


def server_dirs(root: Path) -> list[tuple[int, Path]]:
    """The subdirectories of `root` named by a server id, as (id, path), by id."""
    found = [(int(p.name), p) for p in root.iterdir() if p.is_dir() and p.name.isdigit() and int(p.name) > 0]
    return sorted(found)


async def _import_servers(
    settings: Settings, root: Path, loaded: list[tuple[int, Dataset]], dry_run: bool
) -> int:
    """Each server's dataset into that server's own scope: one import (transaction) per server.

    A server whose import the store refuses (e.g. an id another server owns) writes nothing;
    the others are still imported, and the exit code is 1.
    """
    from bot.runner import open_store

    store = await open_store(settings)
    refused: list[int] = []
    try:
        for guild_id, dataset in loaded:
            report = await store.writes.import_dataset(
                dataset, guild_id=guild_id, dry_run=dry_run, reason=f"cli import {root / str(guild_id)}"
            )
            print(f"server {guild_id}:")
            if report.problems:
                refused.append(guild_id)
                for problem in report.problems:
                    print(f"  {problem}")
                print(f"  nothing imported for this server: {len(report.problems)} problem(s)")
            else:
                _print_report(report, dry_run, indent="  ")
    finally:
        await store.engine.dispose()
    done = len(loaded) - len(refused)
    print(f"{'checked' if dry_run else 'imported'} {done} of {len(loaded)} servers")
    if refused:
        print(f"refused: {', '.join(map(str, refused))}", file=sys.stderr)
        return 1
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Read and check the files first (nothing is written if any has a problem), then import.

    References to actors and topics the files do not define are left to the store, which knows
    what exists: a server's files name global actors, a global file may name stored ones.
    """
    settings = load_settings(require_token=False)
    path = Path(args.path)
    if not args.servers:
        dataset, problems = load_dataset(path, references=False)
        if problems:
            _print_problems(problems)
            return 1
        return asyncio.run(_import(settings, path, dataset, args.guild or 0, args.dry_run))
    if args.guild is not None:
        print(
            "import: with --servers each server's id is its directory's name; drop --guild", file=sys.stderr
        )
        return 2
    if not path.is_dir():
        _print_problems([f"{path}: not a directory"])
        return 1
    loaded: list[tuple[int, Dataset]] = []
    found: list[Problem] = []
    for guild_id, directory in server_dirs(path):
        dataset, problems = load_dataset(directory, references=False)
        loaded.append((guild_id, dataset))
        found += problems
    if found or not loaded:
        _print_problems(found or [f"{path}: no server directories (named by server id) in it"])
        return 1
    return asyncio.run(_import_servers(settings, path, loaded, args.dry_run))


def cmd_export(args: argparse.Namespace) -> int:
    from bot.runner import open_store

    async def go() -> str:
        store = await open_store(load_settings(require_token=False))
        try:
            return dump_dataset(
                await store.reads.export(
                    args.guild or 0, include_global=args.guild is None or args.with_global
                )
            )
        finally:
            await store.engine.dispose()

    text = asyncio.run(go())
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


# --- `migrate`: move the database schema to this version's ------------------------------------


def _describe(status: SchemaStatus) -> str:
    if status.up_to_date:
        return "up to date"
    if status.empty:
        return "empty: `python -m bot migrate` (or the first start) creates the schema"
    if problem := status.problem():
        return problem
    if status.behind:
        return "behind: run `python -m bot migrate` (or set AUTO_MIGRATE=1)"
    return "tables from before migrations: `python -m bot migrate` records their revision"


def _no_sqlite_file(url: str) -> bool:
    """A SQLite URL whose file does not exist yet (connecting would create it)."""
    parsed = make_url(url)
    return (
        parsed.get_backend_name() == "sqlite"
        and bool(parsed.database)
        and not (parsed.database == ":memory:" or Path(parsed.database).exists())
    )


async def _migrate(url: str, *, status_only: bool) -> int:
    if status_only:
        print(f"database: {make_url(url).render_as_string(hide_password=True)}")
        if _no_sqlite_file(url):
            print(f"current:  none (no file yet)\nhead:     {head_revision()}\nstatus:   empty")
            return 1
    engine = create_engine(url)
    try:
        before = await schema_status(engine)
        if status_only:
            print(f"current:  {before.at}\nhead:     {before.head}\nstatus:   {_describe(before)}")
            return 0 if before.up_to_date else 1
        if before.up_to_date:
            print(f"the database schema is already at {before.head}: nothing to do")
            return 0
        await upgrade(engine)
        after = await schema_status(engine)
        print(f"migrated the database schema from {before.at} to {after.at}")
        return 0
    finally:
        await engine.dispose()


def cmd_migrate(args: argparse.Namespace) -> int:
    settings = load_settings(require_token=False)
    return asyncio.run(_migrate(settings.database_url, status_only=args.status))


# --- end of `migrate` ---------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="The briefing bot.")
    sub = parser.add_subparsers(dest="verb", required=True)
    sub.add_parser("run", help="connect to Discord and serve (needs DISCORD_TOKEN)").set_defaults(fn=cmd_run)
    p = sub.add_parser("preview", help='print what the bot would answer, e.g. preview "/position russia"')
    p.add_argument("command", nargs="+", help="a slash command line, options positional or name:value")
    p.add_argument("--guild", type=int, default=None, help="answer as this server (its own entries too)")
    p.add_argument(
        "--image-dir",
        default=str(Path(tempfile.gettempdir()) / "briefing-preview"),
        help="where attached pictures (/map, /timeline chart:true) are written (default: %(default)s)",
    )
    p.set_defaults(fn=cmd_preview)
    p = sub.add_parser("import", help="import a dataset file or directory (upsert by id; idempotent)")
    p.add_argument("path")
    p.add_argument(
        "--guild", type=int, default=None, help="import as this server's own entries (default: global)"
    )
    p.add_argument(
        "--servers",
        action="store_true",
        help="PATH holds one directory per server, named by its id: import each into that server's scope",
    )
    p.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")
    p.set_defaults(fn=cmd_import)
    p = sub.add_parser("check-data", help="validate a dataset; print every problem; exit 1 if any")
    p.add_argument("path")
    p.set_defaults(fn=cmd_check_data)
    p = sub.add_parser("export", help="write the store as a dataset file that `import` accepts unchanged")
    p.add_argument(
        "--guild", type=int, default=None, help="this server's own entries (default: the global ones)"
    )
    p.add_argument("--with-global", action="store_true", help="with --guild: include the global entries too")
    p.add_argument("-o", "--output", help="file to write (default: stdout)")
    p.set_defaults(fn=cmd_export)
    p = sub.add_parser("migrate", help="upgrade the database schema to this version's (prints from → to)")
    p.add_argument(
        "--status",
        action="store_true",
        help="print the schema's state, change nothing; exit 1 if not at head",
    )
    p.set_defaults(fn=cmd_migrate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `python -m bot` and the `briefing-bot` script."""
    load_dotenv()
    args = build_parser().parse_args(argv)
    try:
        level = load_settings(require_token=False).log_level
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    secrets = [s for s in [os.environ.get("DISCORD_TOKEN", "")] if s]
    setup_logging(level if args.verb == "run" else "WARNING", secrets)
    try:
        return int(args.fn(args))
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    except SchemaError as exc:
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
