"""The packages keep to ARCHITECTURE.md's import rules: no module of bot/ mixes Discord objects with
SQL, the store and the database layer never import discord, the renderer never reaches the database,
and the Discord side holds no SQL."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import REPO_ROOT

MIGRATIONS = REPO_ROOT / "bot" / "db" / "migrations"


def _modules(*folders: str) -> Iterator[Path]:
    for folder in folders:
        for path in sorted((REPO_ROOT / folder).rglob("*.py")):
            if not path.is_relative_to(MIGRATIONS):
                yield path


def _imports(path: Path) -> set[str]:
    """Every module `path` imports, anywhere in it (functions and TYPE_CHECKING blocks too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0 and node.module, f"{path}: relative import"
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _offenders(folders: tuple[str, ...], *forbidden: str, allowed: tuple[str, ...] = ()) -> list[str]:
    """`file: module` for each import under `folders` of a forbidden package not in `allowed`."""
    found = []
    for path in _modules(*folders):
        for name in sorted(_imports(path)):
            bad = any(name == f or name.startswith(f + ".") for f in forbidden)
            if bad and not any(name == a or name.startswith(a + ".") for a in allowed):
                found.append(f"{path.relative_to(REPO_ROOT)}: {name}")
    return found


def _uses(path: Path, package: str) -> bool:
    return any(name == package or name.startswith(package + ".") for name in _imports(path))


def test_no_module_imports_both_discord_and_sqlalchemy() -> None:
    """No module of bot/ (migrations aside) or cogs/ imports both discord and sqlalchemy."""
    both = [
        str(path.relative_to(REPO_ROOT))
        for path in _modules("bot", "cogs")
        if _uses(path, "discord") and _uses(path, "sqlalchemy")
    ]
    assert both == []


def test_store_and_database_layer_never_import_discord() -> None:
    """bot/store and bot/db know nothing of Discord."""
    assert _offenders(("bot/store", "bot/db"), "discord", "bot.discord_app", "bot.render") == []


def test_renderer_never_touches_the_database() -> None:
    """bot/render imports no SQL, no store and nothing that fetches; from bot/db only the search
    highlight markers, from bot/sources only its plain data types."""
    offenders = _offenders(
        ("bot/render",),
        "sqlalchemy",
        "aiohttp",
        "bot.store",
        "bot.db",
        "bot.sources",
        allowed=("bot.db.search", "bot.sources.types"),
    )
    assert offenders == []


def test_discord_side_and_cogs_hold_no_sql() -> None:
    """bot/discord_app and cogs/ reach the database only through the store."""
    assert _offenders(("bot/discord_app", "cogs"), "sqlalchemy") == []


def test_the_command_line_loads_neither_discord_nor_aiohttp() -> None:
    """`python -m bot import …` and the other store commands start without the Discord client or
    the HTTP client (each costs ~0.1 s of every CLI run; the import's benchmark pays it twice)."""
    code = "import sys, bot.cli, bot.store.startup; print(sorted({m.split('.')[0] for m in sys.modules}))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO_ROOT
    )
    assert "'discord'" not in loaded.stdout and "'aiohttp'" not in loaded.stdout, loaded.stdout
