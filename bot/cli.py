"""Command line: `run`, `preview`, `import`, `check-data`, `export`, `migrate`, `invite`, `backup`.

`preview` answers a slash command offline, through the same store and renderer as the bot,
with no token and no Discord: what a newcomer or a curator runs first.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import shlex
import sys
import tempfile
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from dotenv import load_dotenv
from sqlalchemy.engine import make_url

from bot.config import ConfigError, Settings, load_settings
from bot.dataset import Dataset, Problem, dump_dataset, load_dataset
from bot.db.engine import create_engine
from bot.db.explain import sqlite_problem
from bot.db.migrations import head_revision
from bot.db.schema import SchemaError, SchemaStatus, schema_status, upgrade
from bot.domain import (
    Actor,
    ActorsQuery,
    BriefQuery,
    CompareQuery,
    EntryQuery,
    MapQuery,
    PositionQuery,
    Query,
    SearchQuery,
    Topic,
    TopicsQuery,
)
from bot.errors import Ambiguous, BriefingError
from bot.failures import EXIT_RUNTIME, EXIT_USAGE, explain, output_error
from bot.gc_pause import paused_gc
from bot.logs import setup_logging

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


#: The verbs that open the database (checked for a usable SQLite path first).
DATABASE_VERBS = frozenset({"run", "preview", "import", "export", "migrate", "backup"})
#: check-data opens the database only with --against-store or --guild (see cmd_check_data).

LIST_LIMIT = 50  # entries listed after an import; the rest are counted


class PreviewUsageError(Exception):
    """The preview command line does not name a known command and options."""


_OPTION_NAME = re.compile(r"[a-z][a-z_]*")


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
        elif sep and name != "search" and _OPTION_NAME.fullmatch(key):
            # No slug, id or date holds a colon: `actr:russia` is a misspelt option, not a value.
            known = f"its options: {', '.join(names)}" if names else "it takes none"
            raise PreviewUsageError(f"/{name} has no option {key!r}; {known}")
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


def _preview_query(name: str, opts: dict[str, str]) -> Query:
    """The query `/name` asks with these options (InvalidInput for a malformed date)."""
    from bot.discord_app import answers

    if name == "position":
        return PositionQuery(opts.get("actor", ""), opts.get("topic") or None)
    if name == "timeline":
        chart = opts.get("chart", "").lower() in ("true", "yes", "1")
        dates = (opts.get("since"), opts.get("until"))
        return answers.timeline_query(opts.get("topic", ""), opts.get("actor"), *dates, chart)
    if name == "entry":
        return EntryQuery(opts.get("id", ""))
    if name == "actors":
        return ActorsQuery()
    if name == "topics":
        return TopicsQuery()
    if name == "brief":
        return BriefQuery(opts.get("topic", ""))
    if name == "compare":
        return CompareQuery(opts.get("topic", ""), opts.get("actor_a", ""), opts.get("actor_b", ""))
    if name == "map":
        return MapQuery.from_options(opts.get("actors"), opts.get("topics"))
    return SearchQuery(opts.get("query", ""))


async def _answer_pages(
    settings: Settings, name: str, opts: dict[str, str], guild_id: int | None, html_title: str | None = None
) -> tuple[str, list[tuple[str, bytes]], str]:
    """The answer as text, its attachments, and (with `html_title`) as an HTML page."""
    from bot import render
    from bot.discord_app import answers
    from bot.seed import seed_if_empty
    from bot.store.startup import open_store

    store = await open_store(settings)
    try:
        await seed_if_empty(store, settings.data_dir)
        g = guild_id
        first = await answers.answer_for(store, g, _preview_query(name, opts))
        pages, files = [first.embed], list(first.files)
        menus = [first.entries]
        messages = [first.embeds()]
        for number, other in enumerate(await answers.later_pages(store, g, first), start=1):
            pages.append(other.embed)
            menus.append(other.entries)
            messages.append(other.embeds())
            files += [(f"page{number + 1}-{n}", data) for n, data in other.files]
        page_html = ""
        if html_title is not None:
            from bot.render.webpage import answer_html

            page_html = answer_html(
                messages, menus=menus, files=first.files, paged=first.page_count > 1, title=html_title
            )
        return render.pages_to_text(pages, menus), files, page_html
    finally:
        await store.engine.dispose()


def _private_reply(name: str, opts: dict[str, str], error: BriefingError) -> str:
    """What only the asking member would see for `error`: for a word of several names, with the
    "Which one?" menu's options when Discord would show one under it."""
    from bot import render
    from bot.discord_app.paging import CHOICE_PLACEHOLDER, choice_options
    from bot.discord_app.tree import error_message

    if isinstance(error, Ambiguous):
        options = choice_options(_preview_query(name, opts), error)
        if options:
            text = render.ambiguous_text(error.kind, error.given, error.candidates, menu=True)
            return text + render.menu_text(CHOICE_PLACEHOLDER, [label for label, _ in options])
    return error_message(error) or str(error)


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
        command = " ".join(args.command)
        html_title = command if args.html else None
        text, files, page_html = asyncio.run(_answer_pages(settings, name, opts, args.guild, html_title))
    except BriefingError as exc:
        print(f"(only you can see this) {_private_reply(name, opts, exc)}")
        return 1
    print(text)
    if args.html:
        Path(args.html).write_text(page_html, encoding="utf-8")
        print(f"🌐 written as Discord draws it (dark theme) to {Path(args.html).resolve()}")
    if files:
        out_dir = Path(args.image_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        for filename, data in files:
            path = out_dir / filename
            path.write_bytes(data)
            print(f"🖼️ attachment://{filename} written to {path.resolve()} ({len(data) // 1024} KB)")
    return 0


def cmd_run(_args: argparse.Namespace) -> int:
    from bot.discord_app.runner import run_bot

    settings = load_settings()
    return asyncio.run(run_bot(settings))


async def _store_names(settings: Settings, guild_id: int | None) -> tuple[list[Actor], list[Topic]]:
    """The actors and topics the store shows `guild_id` (None: the global ones), for reference checks."""
    from bot.store.startup import open_store

    store = await open_store(settings)
    try:
        snap = await store.catalog.get()
        return list(snap.actors.all(guild_id or None)), list(snap.topics.all(guild_id or None))
    finally:
        await store.engine.dispose()


def cmd_check_data(args: argparse.Namespace) -> int:
    """Every problem of the file or directory in one pass; with --against-store/--guild, references
    are checked against what the store holds (as `import` does), not only the files themselves."""
    if args.against_store or args.guild is not None:
        actors, topics = asyncio.run(_store_names(load_settings(require_token=False), args.guild))
        dataset, problems = load_dataset(Path(args.path), actors, topics)
    else:
        dataset, problems = load_dataset(Path(args.path))
    problems += _sourcing(dataset, Path(args.path), strict=args.strict)
    for problem in problems:
        print(_located(problem))
    if problems:
        print(f"{len(problems)} problem(s) in {args.path}", file=sys.stderr)
        return 1
    print(f"{args.path}: no problems")
    return 0


def _sourcing(dataset: Dataset, path: Path, *, strict: bool) -> list[Problem]:
    """Print each entry's best source tier; with `strict`, the sourcing problems (see bot.dataset.sourcing).

    The tiers go to stderr: stdout stays the list of problems, the same list `import` prints.
    """
    from bot.dataset.sourcing import strict_problems, tier_report, tiers_for

    table, problems = tiers_for(path)
    for line in tier_report(dataset, table):
        print(line, file=sys.stderr)
    if strict:
        problems += strict_problems(dataset, table)
    return problems


def _print_problems(problems: Sequence[object]) -> None:
    """Each problem on stdout (with its line in the file when known), then the refusal on stderr."""
    for problem in problems:
        print(_located(problem))
    print(f"nothing imported: {len(problems)} problem(s)", file=sys.stderr)


def _located(problem: object) -> str:
    """A problem as the CLI prints it: `file:line: entry: field: reason` when the line is known."""
    return problem.located() if isinstance(problem, Problem) else str(problem)


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
    from bot.store.startup import open_store

    store = await open_store(settings, bulk=True)
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
    """Each server's dataset into that server's own scope (one transaction, a savepoint per server).

    A server whose import the store refuses (e.g. an id another server owns) writes nothing;
    the others are still imported, and the exit code is 1.
    """
    from bot.store.startup import open_store

    store = await open_store(settings, bulk=True)
    refused: list[int] = []
    try:
        reports = await store.writes.import_servers(
            loaded, dry_run=dry_run, reason=lambda guild_id: f"cli import {root / str(guild_id)}"
        )
    finally:
        await store.engine.dispose()
    for (guild_id, _), report in zip(loaded, reports, strict=True):
        print(f"server {guild_id}:")
        if report.problems:
            refused.append(guild_id)
            for problem in report.problems:
                print(f"  {problem}")
            print(f"  nothing imported for this server: {len(report.problems)} problem(s)")
        else:
            _print_report(report, dry_run, indent="  ")
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
    with paused_gc():  # the whole dataset stays alive to the end: nothing for the collector to find
        return _cmd_import(args)


def _cmd_import(args: argparse.Namespace) -> int:
    settings = load_settings(require_token=False)
    path = Path(args.path)
    if not args.servers:
        dataset, problems = load_dataset(path, references=False)
        if problems:
            # The whole list, references checked against the store as the import itself would:
            # exactly what `check-data --guild ID` (or --against-store) prints.
            actors, topics = asyncio.run(_store_names(settings, args.guild))
            _print_problems(load_dataset(path, actors, topics)[1])
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
    found: list[Problem | str] = []
    named: dict[int, Path] = {}  # server id → its directory
    for guild_id, directory in server_dirs(path):
        if guild_id in named:  # "0123" and "123": one server, two directories
            found.append(f"{directory}: server {guild_id} again (also {named[guild_id].name}/): keep one")
            continue
        named[guild_id] = directory
        dataset, problems = load_dataset(directory, references=False)
        loaded.append((guild_id, dataset))
        found += problems
    if found or not loaded:
        _print_problems(found or [f"{path}: no server directories (named by server id) in it"])
        return 1
    return asyncio.run(_import_servers(settings, path, loaded, args.dry_run))


def cmd_export(args: argparse.Namespace) -> int:
    from bot.store.startup import open_store

    async def go() -> str:
        store = await open_store(load_settings(require_token=False), bulk=True)
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
        write_output(Path(args.output), text)
    else:
        sys.stdout.write(text)
    return 0


def write_output(path: Path, text: str) -> None:
    """Write `text` to `path` whole or not at all (a temporary file beside it, then renamed)."""
    tmp = path.with_name(f".{path.name}.partial")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise output_error(path, exc) from exc


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
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return False
    return not Path(database).exists()


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


def cmd_invite(_args: argparse.Namespace) -> int:
    from bot.discord_app.permissions import invite_url

    settings = load_settings(require_token=False)
    if settings.application_id is None:
        print(
            "invite: set APPLICATION_ID (Developer Portal → your application → General Information → "
            "Application ID); the bot also logs this link when it connects",
            file=sys.stderr,
        )
        return EXIT_USAGE
    print(invite_url(settings.application_id))
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from bot.backup import NotSQLite, backup_sqlite

    settings = load_settings(require_token=False)
    target = Path(args.path)
    try:
        pages = backup_sqlite(settings.database_url, target)
    except NotSQLite as exc:
        print(f"backup: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"backed up {make_url(settings.database_url).database} to {target} ({pages} pages)")
    return 0


def cmd_schema(_args: argparse.Namespace) -> int:
    from bot.dataset.jsonschema import schema_text

    sys.stdout.write(schema_text())
    return 0


def version() -> str:
    """This package's version, as installed (or from pyproject.toml in a checkout)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("briefing-bot")
    except PackageNotFoundError:
        import tomllib

        pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
        return str(tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="The briefing bot.")
    parser.add_argument("--version", action="version", version=f"briefing-bot {version()}")
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
    p.add_argument(
        "--html",
        metavar="FILE",
        default=None,
        help="also write the answer as Discord draws it (dark theme) to FILE, pictures included",
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
    p = sub.add_parser(
        "check-data",
        help="validate a dataset; print each entry's best source tier and every problem; exit 1 if any",
    )
    p.add_argument("path", help="a data file, or a directory of them")
    p.add_argument(
        "--strict",
        action="store_true",
        help="also refuse aggregator-only entries, single non-official sources and sources without a date",
    )
    p.add_argument(
        "--against-store",
        action="store_true",
        help="check references against the store's actors and topics too (as import does)",
    )
    p.add_argument(
        "--guild",
        type=int,
        default=None,
        help="check as this server's own file, against what the store shows it (implies --against-store)",
    )
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
    p = sub.add_parser(
        "invite",
        help="print the link that adds the bot to a server (needs APPLICATION_ID)",
        description="Print the OAuth2 link that adds the bot to a server, with the scopes bot and "
        "applications.commands and exactly the permissions the bot uses.",
        epilog="example: APPLICATION_ID=123456789012345678 python -m bot invite",
    )
    p.set_defaults(fn=cmd_invite)
    p = sub.add_parser(
        "backup",
        help="copy the SQLite store to PATH while the bot runs (PostgreSQL: use pg_dump)",
        description="Copy the SQLite database to PATH with SQLite's online backup API: consistent "
        "even while the bot is writing. For PostgreSQL, use pg_dump.",
        epilog="example: python -m bot backup backups/briefing-$(date +%%F).sqlite3",
    )
    p.add_argument("path", help="the backup file to write (replaced whole if it exists)")
    p.set_defaults(fn=cmd_backup)
    sub.add_parser("schema", help="print the dataset files' JSON Schema").set_defaults(fn=cmd_schema)
    from bot.sources_cli import add_parser as add_sources_parser  # local: keeps `preview` start-up light

    add_sources_parser(sub)
    describe_verbs(sub.choices)
    return parser


#: What each verb does (its --help description) and an example, shown under its options.
VERB_HELP: dict[str, tuple[str, str]] = {
    "run": (
        "Connect to Discord and serve the slash commands (needs DISCORD_TOKEN).",
        "python -m bot run",
    ),
    "preview": (
        "Print what the bot would answer to a slash command, offline: same store and rendering, "
        "no token, no Discord.",
        'python -m bot preview "/timeline nato-ukraine since:2025"',
    ),
    "import": (
        "Import a dataset file or directory into the store (upsert by id: importing twice changes "
        "nothing). Every file is checked first; nothing is written if any has a problem.",
        "python -m bot import data/ --dry-run",
    ),
    "check-data": (
        "Check a dataset file or directory and print every problem (file, entry, field, reason); "
        "exit 1 if there are any.",
        "python -m bot check-data data/",
    ),
    "export": (
        "Write the store as a dataset file that `import` accepts unchanged.",
        "python -m bot export -o store.yaml",
    ),
    "migrate": (
        "Upgrade the database schema to this version's (prints from → to); --status only reports.",
        "python -m bot migrate --status",
    ),
    "invite": (
        "Print the OAuth2 link that adds the bot to a server, with the scopes bot and "
        "applications.commands and exactly the permissions the bot uses (needs APPLICATION_ID).",
        "APPLICATION_ID=123456789012345678 python -m bot invite",
    ),
    "sources": (
        "Watched feeds: `sources poll [--once]` fetches the due sources now and prints what each "
        "drafted (or its error); `sources list` prints every source of every server and its state.",
        "python -m bot sources poll --once",
    ),
    "backup": (
        "Copy the SQLite store to PATH with SQLite's online backup API, consistent while the bot "
        "runs. For PostgreSQL, use pg_dump.",
        "python -m bot backup backups/briefing.sqlite3",
    ),
    "schema": (
        "Print the JSON Schema of the dataset files, for editors' completion and checks.",
        "python -m bot schema > data.schema.json",
    ),
}


def preview_commands() -> str:
    """Each slash command `preview` answers, with its options (the first required unless [bracketed])."""
    lines = ["commands and their options (positional in this order, or name:value):"]
    for name, options in PREVIEW_OPTIONS.items():
        required = {"actors": 0, "topics": 0, "compare": 3}.get(name, 1)
        shown = [o if i < required else f"[{o}]" for i, o in enumerate(options)]
        lines.append(f"  /{name} {' '.join(shown)}".rstrip())
    return "\n".join(lines)


def describe_verbs(parsers: dict[str, argparse.ArgumentParser]) -> None:
    """Give every verb's --help its description and an example (preview: each command's options too)."""
    for name, parser in parsers.items():
        description, example = VERB_HELP.get(name, (parser.description or "", ""))
        parser.description = parser.description or description
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        extra = preview_commands() + "\n\n" if name == "preview" else ""
        parser.epilog = f"{extra}example:\n  {example}" if example else parser.epilog


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `python -m bot` and the `briefing-bot` script."""
    # `.env` of the working directory, not of the package's folder; the environment wins over it.
    load_dotenv(Path.cwd() / ".env", override=False)
    args = build_parser().parse_args(argv)
    try:
        startup = load_settings(require_token=False)
        level, database_url = startup.log_level, startup.database_url
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    secrets = [s for s in [os.environ.get("DISCORD_TOKEN", "")] if s]
    setup_logging(level if args.verb == "run" else "WARNING", secrets)
    if args.verb in DATABASE_VERBS and (problem := sqlite_problem(database_url)):
        print(f"database: cannot open the SQLite file ({database_url}): {problem}", file=sys.stderr)
        return EXIT_RUNTIME
    try:
        code = int(args.fn(args))
        sys.stdout.flush()  # here, so that a closed pipe is reported below, not at exit
        return code
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except SchemaError as exc:
        print(exc, file=sys.stderr)
        return EXIT_RUNTIME
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if isinstance(exc, BrokenPipeError):
            _silence_stdout()  # the reader (`| head`) has what it wanted: say nothing
            return EXIT_RUNTIME
        known = explain(exc, database_url=database_url)
        if known is None:
            raise
        print(known[0], file=sys.stderr)
        if level == "DEBUG":
            traceback.print_exc()
        return known[1]


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not fail on the closed pipe."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
