"""The Alembic environment of the store, configured in code (no alembic.ini needed at run time).

`env.py`, `script.py.mako` and `versions/` are Alembic's; this module is how the rest of the
package reaches them.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Connection

from bot.db.search import SEARCH_TABLE

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).resolve().parent
BASELINE = "0001"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config for this package; with `connection`, env.py migrates on it."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


@cache
def script_directory() -> ScriptDirectory:
    """The revisions shipped with this version (parsed once per process)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest revision; there must be exactly one."""
    head = script_directory().get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations found in {MIGRATIONS_DIR / 'versions'}")
    return head


# `revision = "0012"` / `down_revision: str | None = "0011"`, as Alembic writes them.
_DECLARATION_RE = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(.+?)\s*$", re.MULTILINE)


def declared_head(directory: Path | None = None) -> str | None:
    """The head as the revision files declare it, read without importing Alembic.

    It is the one revision that no file names as its `down_revision`. None when that is not
    clear-cut (a merge, a file that is not a plain revision, two heads): then ask Alembic.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in ((directory or MIGRATIONS_DIR) / "versions").glob("*.py"):
        found = dict(_DECLARATION_RE.findall(path.read_text(encoding="utf-8")))
        try:
            revision = ast.literal_eval(found["revision"])
            parent = ast.literal_eval(found["down_revision"])
        except (KeyError, ValueError, SyntaxError):
            return None
        if not isinstance(revision, str) or not (parent is None or isinstance(parent, str)):
            return None
        revisions.add(revision)
        if parent is not None:
            parents.add(parent)
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def revision_chain() -> list[str]:
    """Every revision from the baseline to head, oldest first."""
    return [s.revision for s in reversed(list(script_directory().walk_revisions()))]


def is_known(revision: str) -> bool:
    """Whether this version ships `revision` (an unknown one was written by a newer version)."""
    return revision in revision_chain()


def is_search_table(name: str) -> bool:
    """The search index and, on SQLite, the FTS5 shadow tables behind it."""
    return name == SEARCH_TABLE or name.startswith(SEARCH_TABLE + "_")


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Autogenerate filter: the search index is raw DDL that the models do not describe."""
    if type_ == "table" and name is not None:
        return not is_search_table(name)
    table = getattr(obj, "table", None)
    return not (table is not None and is_search_table(table.name))


def include_object_for(dialect: str) -> Callable[[Any, str | None, str, bool, Any], bool]:
    """`include_object`, also leaving out model indexes meant for another database (`ddl_if`)."""

    def include(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
        only_on = getattr(getattr(obj, "_ddl_if", None), "dialect", None)
        if type_ == "index" and not reflected and only_on is not None and only_on != dialect:
            return False
        return include_object(obj, name, type_, reflected, compare_to)

    return include
