"""`python -m bot import` of a server's files (naming global actors) and of many servers at once."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.test_cli import REPO, bot

SOURCE = [{"url": "https://example.org/a", "publisher": "P"}]


def server_file(directory: Path, event_id: str, topic: str = "peacekeepers", actor: str = "") -> None:
    """A server's own actor plus an event naming it, a global actor and a global topic."""
    directory.mkdir(parents=True)
    actor = actor or f"local-{event_id}"
    doc = {
        "actors": [{"slug": actor, "name": f"Local {event_id}", "kind": "person"}],
        "events": [
            {
                "id": event_id,
                "date": "2025-06",
                "title": "A local note",
                "summary": "s",
                "actors": [actor, "russia"],
                "topics": [topic],
                "status": "reported",
                "sources": SOURCE,
            }
        ],
    }
    (directory / "local.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")


def test_server_files_naming_global_actors_import_with_guild(tmp_path: Path) -> None:
    """import DIR --guild ID accepts references to global entries and keeps the entries local."""
    db = tmp_path / "s.db"
    assert bot("import", str(REPO / "data"), db=db, cwd=tmp_path).returncode == 0
    server_file(tmp_path / "mine", "ev-local-1")
    done = bot("import", str(tmp_path / "mine"), "--guild", "123", db=db, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("added 2, changed 0")
    assert "ev-local-1" in bot("preview", "/entry ev-local-1", "--guild", "123", db=db, cwd=tmp_path).stdout
    elsewhere = bot("preview", "/entry ev-local-1", "--guild", "456", db=db, cwd=tmp_path)
    assert elsewhere.returncode == 1


def test_unknown_reference_in_a_server_file_is_refused_with_a_hint(tmp_path: Path) -> None:
    """A slug that exists nowhere is reported by file, entry and field; nothing is written."""
    db = tmp_path / "s.db"
    assert bot("import", str(REPO / "data"), db=db, cwd=tmp_path).returncode == 0
    server_file(tmp_path / "mine", "ev-local-1", topic="peacekeeper")
    done = bot("import", str(tmp_path / "mine"), "--guild", "123", db=db, cwd=tmp_path)
    assert done.returncode == 1
    assert (
        "local.yaml" in done.stdout
        and "topics[0]" in done.stdout
        and "did you mean 'peacekeepers'" in done.stdout
    )


def test_servers_imports_each_directory_into_its_own_scope(tmp_path: Path) -> None:
    """import ROOT --servers: one import per server directory; a refused server writes nothing."""
    db = tmp_path / "s.db"
    assert bot("import", str(REPO / "data"), db=db, cwd=tmp_path).returncode == 0
    root = tmp_path / "servers"
    server_file(root / "111", "ev-one")
    server_file(root / "222", "ev-two")
    done = bot("import", str(root), "--servers", db=db, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "server 111:\n  added 2" in done.stdout and "imported 2 of 2 servers" in done.stdout
    assert bot("preview", "/entry ev-two", "--guild", "222", db=db, cwd=tmp_path).returncode == 0
    assert bot("preview", "/entry ev-two", "--guild", "111", db=db, cwd=tmp_path).returncode == 1
    again = bot("import", str(root), "--servers", db=db, cwd=tmp_path)
    assert again.stdout.count("added 0, changed 0, unchanged 2") == 2
    server_file(root / "333", "ev-2008-04-03-bucharest-summit", actor="local-333")  # a global id
    clash = bot("import", str(root), "--servers", db=db, cwd=tmp_path)
    assert clash.returncode == 1 and "imported 2 of 3 servers" in clash.stdout
    assert "is a global entry" in clash.stdout
    assert "refused: 333" in clash.stderr


def test_two_directories_naming_one_server_are_refused_and_nothing_is_written(tmp_path: Path) -> None:
    """`0111/` and `111/` are both server 111: the import says so and writes nothing."""
    db = tmp_path / "s.db"
    assert bot("import", str(REPO / "data"), db=db, cwd=tmp_path).returncode == 0
    root = tmp_path / "servers"
    server_file(root / "111", "ev-one")
    server_file(root / "0111", "ev-two")
    done = bot("import", str(root), "--servers", db=db, cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "server 111 again (also" in done.stdout and "keep one" in done.stdout
    assert "nothing imported: 1 problem(s)" in done.stderr
    assert bot("preview", "/entry ev-one", "--guild", "111", db=db, cwd=tmp_path).returncode == 1
