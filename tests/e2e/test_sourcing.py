"""Trust on the page, as members see it: tier badges, roles, caveats and whole corrections."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.discord_sim import DiscordSimulator
from tests.discord_sim.bot_process import BotLauncher
from tests.e2e.helpers import embed_text

CORRECTION = " ".join(f"Sentence {n} of the correction says what the record shows." for n in range(8))
DATASET = {
    "actors": [{"slug": "alpha", "name": "Alphaland", "kind": "state"}],
    "topics": [{"slug": "truce", "title": "Truce talks", "summary": "Talks on a truce."}],
    "positions": [
        {"id": "pos-alpha-truce", "actor": "alpha", "topic": "truce", "stance": "supports", "date": "2025-03-17",
         "status": "reported", "verification": "single-source", "summary": "Backs a truce.",
         "sources": [{"url": "https://www.reuters.com/a", "publisher": "Reuters", "date": "2025-03-17"}]},
    ],
    "events": [
        {"id": "ev-truce-claim", "date": "2025-03-18", "title": "Truce said to be signed", "status": "disputed",
         "status_note": CORRECTION, "actors": ["alpha"], "topics": ["truce"], "summary": "word " * 190,
         "sources": [
             {"url": "https://x.blogspot.com/p", "publisher": "A blog", "date": "2025-03-18", "role": "claim"},
             {"url": "https://www.cbc.ca/n", "publisher": "CBC News", "via": "Associated Press",
              "date": "2025-03-19", "role": "evidence"},
             {"url": "https://www.nato.int/t", "publisher": "NATO", "date": "2025-03-19", "role": "evidence"},
         ]},
    ] + [
        {"id": f"ev-truce-{n}", "date": f"2025-03-{n + 1:02d}", "title": f"Round {n}", "status": "reported",
         "topics": ["truce"], "summary": "word " * 190,
         "sources": [{"url": f"https://www.reuters.com/{n}", "publisher": "Reuters", "date": "2025-03-01"}]}
        for n in range(7)
    ],
}  # fmt: skip


async def test_members_see_tiers_roles_caveats_and_whole_corrections(
    sim: DiscordSimulator, bot_factory: BotLauncher, tmp_path: Path
) -> None:
    """/entry badges (by the data directory's tier table) and groups sources; /position and /brief flag the caveat; /timeline keeps the correction whole."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "entries.yaml").write_text(yaml.safe_dump(DATASET, allow_unicode=True))
    # The data directory's own table: Reuters is not listed, so it counts as press here.
    (data / "source-tiers.yaml").write_text("official: [nato.int]\naggregator: [blogspot.com]\n")
    bot_factory.start(extra_env={"DATA_DIR": str(data)})

    async def answer(command: str, options: dict[str, object]) -> str:
        message = (await (await sim.invoke_command("alpha", "member", command, options)).response()).message
        assert message is not None and not message.ephemeral and message.pings == ()
        return embed_text(message)

    entry = await answer("entry", {"id": "ev-truce-claim"})
    assert f"⚠️ **Disputed** — {CORRECTION}" in entry
    assert "Claimed in (1)\n1\\. 🔁 aggregator · [A blog](https://x.blogspot.com/p)" in entry
    assert "Settled by (2)\n2\\. 📡 wire · [CBC News](https://www.cbc.ca/n) (via Associated Press)" in entry
    assert "3\\. 🏛️ official · [NATO](https://www.nato.int/t)" in entry

    caveat = await answer("entry", {"id": "pos-alpha-truce"})
    assert "ℹ️ Single source: no second independent source has been found." in caveat
    assert "1\\. 🗞️ press · [Reuters]" in caveat

    position = await answer("position", {"actor": "alpha"})
    assert "ℹ️" in position
    brief = await answer("brief", {"topic": "truce"})
    assert any("**Alphaland**" in line and "ℹ️" in line for line in brief.split("\n"))
    assert "⚠️ **Disputed** — Sentence 0 of the correction" in brief

    timeline = await answer("timeline", {"topic": "truce", "actor": "alpha"})
    assert f"⚠️ **Disputed** — {CORRECTION}" in timeline
