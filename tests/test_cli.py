"""The command line: offline preview, check-data, idempotent import, export round trip."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent


def bot(*args: str, db: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot ARGS` with a SQLite store at `db` and no Discord token."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(cwd),
        "PYTHONPATH": str(REPO),
        "DATABASE_URL": f"sqlite+aiosqlite:///{db}",
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_preview_answers_offline(tmp_path: Path) -> None:
    """preview prints the /position answer (same store and renderer) with no token and no Discord."""
    done = bot("preview", "/position russia topic:peacekeepers", db=tmp_path / "s.db", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Russia" in done.stdout
    assert "https://" in done.stdout
    assert "pos-russia-peacekeepers-" in done.stdout


def test_preview_prints_every_timeline_page(tmp_path: Path) -> None:
    """A multi-page answer is printed page after page."""
    done = bot("preview", "/timeline nato-ukraine", db=tmp_path / "s.db", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Page 1/" in done.stdout
    assert "Page 2/" in done.stdout


def test_preview_unknown_actor_and_command(tmp_path: Path) -> None:
    """Unknown names get the same 'did you mean' text; an unknown command exits 2."""
    done = bot("preview", "/position rusia", db=tmp_path / "s.db", cwd=tmp_path)
    assert done.returncode == 1
    assert "russia" in done.stdout
    done = bot("preview", "/nonsense", db=tmp_path / "s.db", cwd=tmp_path)
    assert done.returncode == 2
    assert "unknown command" in done.stderr


def test_preview_shows_the_which_one_menu_where_discord_would(tmp_path: Path) -> None:
    """A word of several names: the private reply as the member sees it, with the menu's options
    under it for /brief (each the topic it would answer with); a /map naming a topic by more than a
    slug, which no option could carry, in text."""
    done = bot("preview", "/brief ukraine", db=tmp_path / "s.db", cwd=tmp_path)
    assert done.returncode == 1
    reply, menu = done.stdout.split("[Open one… ▾]")
    assert "is in the name of 4 topics. Which one?" in reply and "Pick it below, or give its slug." in reply
    assert "  • Military aid and intelligence for Ukraine (military-aid)" in menu.splitlines()
    assert len(menu.strip().splitlines()) == 4
    done = bot("preview", '/map "topics:ukraine, NATO membership"', db=tmp_path / "s.db", cwd=tmp_path)
    assert done.returncode == 1
    assert "Give its slug, or pick it from the list as you type." in done.stdout
    assert "▾" not in done.stdout


def test_preview_names_a_misspelt_option(tmp_path: Path) -> None:
    """An option name the command lacks is a usage error listing its options (exit 2), not a
    value looked up as an actor; /search keeps such words as part of its query."""
    done = bot(
        "preview", "/compare actors:russia,ukraine topic:nato-ukraine", db=tmp_path / "s.db", cwd=tmp_path
    )
    assert done.returncode == 2
    assert (
        done.stderr.strip()
        == "preview: /compare has no option 'actors'; its options: topic, actor_a, actor_b"
    )
    done = bot("preview", "/search note: ceasefire", db=tmp_path / "s.db", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "`note: ceasefire`" in done.stdout


def test_check_data_accepts_shipped_data(tmp_path: Path) -> None:
    """check-data on data/ reports no problems."""
    done = bot("check-data", str(REPO / "data"), db=tmp_path / "s.db", cwd=tmp_path)
    assert done.returncode == 0, done.stdout
    assert "no problems" in done.stdout


def test_check_data_names_file_entry_field(tmp_path: Path) -> None:
    """A bad file: exit 1 and one line per problem with file, entry, field and reason."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        yaml.safe_dump(
            {
                "events": [
                    {
                        "id": "ev-x",
                        "date": "2025-13",
                        "title": "t",
                        "summary": "s",
                        "topics": ["nato-ukraine"],
                        "status": "reported",
                        "sources": [{"url": "ftp://x", "publisher": "p"}],
                    }
                ]
            }
        )
    )
    done = bot("check-data", str(bad), db=tmp_path / "s.db", cwd=tmp_path)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert any("bad.yaml" in x and "events[0]" in x and "date" in x for x in lines)
    assert any("bad.yaml" in x and "url" in x for x in lines)


def test_import_twice_changes_nothing_and_export_round_trips(tmp_path: Path) -> None:
    """import data/ twice: the second adds and changes nothing; export → import is a no-op too."""
    db = tmp_path / "s.db"
    first = bot("import", str(REPO / "data"), db=db, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    second = bot("import", str(REPO / "data"), db=db, cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert second.stdout.startswith("added 0, changed 0")
    out = tmp_path / "export.yaml"
    assert bot("export", "-o", str(out), db=db, cwd=tmp_path).returncode == 0
    again = bot("import", str(out), db=db, cwd=tmp_path)
    assert again.stdout.startswith("added 0, changed 0"), again.stdout + again.stderr


def test_import_bad_file_writes_nothing(tmp_path: Path) -> None:
    """An import with one bad entry is refused whole."""
    db = tmp_path / "s.db"
    bad = tmp_path / "mixed.yaml"
    bad.write_text(
        yaml.safe_dump(
            {
                "actors": [{"slug": "fresh", "name": "Fresh", "kind": "state"}],
                "events": [
                    {
                        "id": "ev-y",
                        "date": "2025",
                        "title": "t",
                        "summary": "s",
                        "topics": ["no-such-topic"],
                        "status": "reported",
                        "sources": [{"url": "https://x.org", "publisher": "p"}],
                    }
                ],
            }
        )
    )
    done = bot("import", str(bad), db=db, cwd=tmp_path)
    assert done.returncode == 1
    assert "no-such-topic" in done.stdout
    preview = bot("preview", "/position fresh", db=db, cwd=tmp_path)
    assert preview.returncode == 1  # the actor was not written either


def test_offline_verbs_start_without_discord_or_the_renderer(tmp_path: Path) -> None:
    """import, check-data, migrate and export never load discord.py or the renderer: loading them
    would add about half a second to every run of these commands (a curator's import loop)."""
    script = (
        "import contextlib, io, sys\n"
        "from bot.cli import main\n"
        f"for argv in (['import', {str(REPO / 'data')!r}], ['check-data', {str(REPO / 'data')!r}],"
        " ['migrate', '--status'], ['export']):\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        "        assert main(argv) == 0, argv\n"
        "print(sorted(m for m in ('discord', 'bot.render', 'PIL') if m in sys.modules))\n"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(REPO)}
    env["DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 's.db'}"
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
