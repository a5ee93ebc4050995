"""The README opens with the five-step quick start, before any internals."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import REPO_ROOT
from tests.test_cli import bot

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_five_step_quick_start() -> None:
    """The first section is the quick start: application → token → invite → start → first command."""
    sections = re.findall(r"^## (.+)$", README, flags=re.MULTILINE)
    assert sections[0] == "Quick start"
    body = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    steps = re.findall(r"^(\d)\. (.+)$", body, flags=re.MULTILINE)
    assert [n for n, _ in steps] == ["1", "2", "3", "4", "5"]
    wanted = ["application", "token", "invite", "docker compose up", "command"]
    for (_n, text), word in zip(steps, wanted, strict=True):
        assert word in text.lower(), (text, word)
    assert "scripts/run.sh" in body
    for section in ("Backups and upgrades", "Deploying"):
        assert section in sections


def test_brief_sample_is_what_preview_prints(tmp_path: Path) -> None:
    """The README's /brief sample is the preview's answer on the shipped data, entry ids left out:
    a data change that moves the answer fails here until the sample is printed again."""
    start = README.index("```\n📋 Briefing — Peace talks")
    sample = README[start + 4 : README.index("```", start + 4)].rstrip("\n")
    done = bot("preview", "/brief peace-talks", db=tmp_path / "s.db", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    printed = "\n".join(re.sub(r"  →  \S+$", "", line) for line in done.stdout.rstrip("\n").splitlines())
    assert sample == printed, (
        "README's /brief sample is stale: paste the output of "
        '`python -m bot preview "/brief peace-talks"` (after `python -m bot import data/`) '
        "into it, without the `  →  <id>` at the end of the menu lines"
    )
