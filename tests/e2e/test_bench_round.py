"""bench/e2e_round.py reads each answer off the simulator's record: an answer members see counts,
a private reply (here: an unknown actor) counts as a failed interaction with its reason."""

from __future__ import annotations

import math

from bench.e2e_round import run_round
from bench.workload import Query
from tests.discord_sim import DiscordSimulator
from tests.discord_sim.bot_process import BotProcess


async def test_round_counts_public_answers_and_fails_private_ones(
    sim: DiscordSimulator, bot: BotProcess
) -> None:
    """One round against our bot: two good answers counted with their latency, one private reply failed."""
    guild = sim.guild("alpha").id
    queries = [
        Query("position", guild, {"actor": "russia"}, command="position"),
        Query("autocomplete", guild, {"actor": "ru"}, focused="actor", command="position"),
        Query("position", guild, {"actor": "atlantis"}, command="position"),
    ]
    samples, wall, _cpu = await sim.run(run_round(sim, queries, 2))
    by_kind = {(s.kind, s.ok): s for s in samples}
    assert len(samples) == 3 and wall > 0
    answered = by_kind[("position", True)]
    assert 0 < answered.elapsed < 3 and not answered.detail
    assert by_kind[("autocomplete", True)].elapsed > 0
    refused = by_kind[("position", False)]
    assert not math.isnan(refused.elapsed)  # answered in time, but privately
    assert "CHANNEL_MESSAGE_WITH_SOURCE" in refused.detail and "atlantis" in refused.detail
