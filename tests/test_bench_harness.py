"""What the benchmark records about its own conditions: CPU steal, and its collector kept out of rounds."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from bench.harness_gc import collector_between_rounds
from bench.machine import CpuTicks, cpu_ticks, steal_note, steal_share


def test_steal_is_a_share_of_the_time_the_machine_wanted() -> None:
    """75 ticks run and 25 stolen: a quarter of what the machine wanted went to other guests."""
    share = steal_share(CpuTicks(busy=1000, steal=40), CpuTicks(busy=1075, steal=65))
    assert share == 0.25
    assert "CPU steal 25 %" in steal_note(share)


def test_no_steal_note_without_readings() -> None:
    """No CPU time between the readings (or no /proc/stat): no share, and nothing in the run's note."""
    assert steal_share(CpuTicks(0, 0), CpuTicks(0, 0)) is None
    assert steal_note(None) == ""


@pytest.mark.skipif(not Path("/proc/stat").exists(), reason="no /proc/stat here (Linux only)")
def test_cpu_ticks_count_forward() -> None:
    """Readings of this machine only grow (both are totals since boot)."""
    before = cpu_ticks()
    sum(range(2_000_000))  # some CPU time
    after = cpu_ticks()
    assert after.busy >= before.busy > 0
    assert after.steal >= before.steal


def test_no_collection_during_a_round_and_the_collector_back_after() -> None:
    """Inside a round the cyclic collector is off and what lived before is frozen; after it, even a
    round that failed, the collector is back on."""
    gc.unfreeze()
    assert gc.isenabled()
    try:
        with collector_between_rounds():
            assert not gc.isenabled()
            assert gc.get_freeze_count() > 0
        assert gc.isenabled()
        with pytest.raises(TimeoutError), collector_between_rounds():
            raise TimeoutError("a round that did not finish")
        assert gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()
