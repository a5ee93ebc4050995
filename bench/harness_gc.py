"""The load generator's own garbage collector, kept out of the rounds it times.

The simulators, the load generator and every recorded sample live in one process (bench.loadgen),
and what they keep grows round after round. A pass of Python's cyclic collector over it stops
every simulator thread at once: each interaction in flight then waits, whichever bot the round
measures, and the wait lands in that bot's latencies and throughput. Measured on the repeated
answer (6,000 per bot): in one run, passes inside the rounds reached 0.66-0.96 s (the worst for
each bot) and the run took 65 s instead of ~30 s. Over five alternating pairs of runs with and
without `collector_between_rounds`, the ratios moved no more than the machine's own noise: this
removes a cause of outliers, not a bias.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from bot.gc_pause import paused_gc


@contextmanager
def collector_between_rounds() -> Iterator[None]:
    """Run a round with no cyclic collection in this process: collect before it, keep everything
    alive then out of later passes (`gc.freeze`, as the bot does after its start-up), and keep the
    collector off until the round ends (bot.gc_pause). A round's cyclic garbage waits for the next
    one; reference counting still frees the rest as it goes."""
    gc.collect()
    gc.freeze()
    with paused_gc():
        yield
