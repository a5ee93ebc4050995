"""A copy of the shipped migrations plus one test-only revision, to play "this code is newer".

The extra revision rebuilds `actors` the way SQLite batch migrations do (copy, drop, rename)
while other tables reference it, so it also proves such rebuilds keep every row.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.db.migrations import MIGRATIONS_DIR

EXTRA_REVISION = "9001"

_SCRIPT = '''"""test only: rebuild actors with one more column"""

import sqlalchemy as sa
from alembic import op

revision = "{revision}"
down_revision = "{down_revision}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    sqlite = op.get_context().dialect.name == "sqlite"
    with op.batch_alter_table("actors", recreate="always" if sqlite else "auto") as batch:
        batch.add_column(sa.Column("note", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("actors") as batch:
        batch.drop_column("note")
'''


def write_extended_migrations(directory: Path, *, down_revision: str) -> str:
    """Write env.py, the template and every shipped revision plus the extra one; return its id."""
    (directory / "versions").mkdir(parents=True)
    for name in ("env.py", "script.py.mako"):
        shutil.copy(MIGRATIONS_DIR / name, directory / name)
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        shutil.copy(script, directory / "versions" / script.name)
    text = _SCRIPT.format(revision=EXTRA_REVISION, down_revision=down_revision)
    (directory / "versions" / f"{EXTRA_REVISION}_test_rebuild_actors.py").write_text(text)
    return EXTRA_REVISION
