"""One round of interactions against one bot, run on the simulator's own event loop.

Latency is the simulator's own record: from the moment it dispatched INTERACTION_CREATE to the
moment it accepted the initial callback (what InteractionHandle.response().elapsed gives, read off
the interaction's record). The simulator's share of that time (serialising and sending the
gateway frame; validating and storing the callback) is taken from its records and reported
apart, so its overhead is visible.

To keep the simulator's own load low, interactions are built and dispatched directly on its
loop (no thread hop per request), and one watcher — not one waiter per interaction — notices
completed callbacks; each interaction's response is read once, when it is complete.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from bench.workload import Query
from tests.discord_sim import DiscordSimulator, InteractionHandle, SimTimeout
from tests.discord_sim.driver import build_command_interaction, dispatch_interaction
from tests.discord_sim.interactions import InteractionState
from tests.discord_sim.validate_messages import EPHEMERAL

ROUND_LIMIT = 600.0  # seconds a round may take
OVERDUE = 3.5  # seconds: past Discord's 3 s deadline (the simulator refuses a late callback anyway)


@dataclass
class Sample:
    """One interaction's outcome."""

    kind: str
    interaction_id: int
    elapsed: float  # dispatch → initial callback accepted (seconds)
    ok: bool
    sim_overhead: float = 0.0  # the simulator's own processing inside `elapsed`
    detail: str = ""


class Watcher:
    """Resolves a future per in-flight interaction when its initial callback (or a refusal) is recorded."""

    def __init__(self, sim: DiscordSimulator) -> None:
        self.sim = sim
        self.pending: dict[int, tuple[InteractionState, asyncio.Future[None]]] = {}
        self.closed = False

    def track(self, inter: InteractionState) -> asyncio.Future[None]:
        """A future done once `inter` is answered, refused or overdue."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.pending[inter.id] = (inter, future)
        return future

    def _probe(self) -> bool | None:
        now = self.sim.state.now()
        for key, (inter, future) in list(self.pending.items()):
            if inter.initial_type is not None or inter.rejections or now - inter.created_at > OVERDUE:
                del self.pending[key]
                future.set_result(None)
        return True if self.closed and not self.pending else None

    async def run(self, timeout: float) -> None:  # noqa: ASYNC109 - the simulator's own bounded wait
        """Watch until closed and nothing is pending (runs on the simulator's loop)."""
        await self.sim.state.wait_for(self._probe, timeout, lambda: f"{len(self.pending)} interactions")


def _dispatch(sim: DiscordSimulator, q: Query) -> InteractionState:
    guild = sim.guild(q.guild_id)
    member = guild.person("member")
    inter = build_command_interaction(
        sim.state,
        guild,
        member,
        guild.general,
        q.command,
        q.options,
        focused=q.focused or None,
        ignore_default_permissions=q.kind == "autocomplete",
    )
    dispatch_interaction(sim.state, inter)
    return inter


async def _one(sim: DiscordSimulator, watcher: Watcher, q: Query) -> Sample:
    inter = _dispatch(sim, q)
    await watcher.track(inter)
    # Read the outcome off the interaction's own record: a snapshot of the answer (a deep copy of
    # the whole message) is harness work Discord does not do, and it grew with the message.
    if inter.initial_type is not None:
        if q.kind == "autocomplete":
            ok = inter.initial_type == 8 and inter.choices is not None
        else:
            stored = sim.state.store.messages.get(inter.original_message_id or 0)
            ok = inter.initial_type == 4 and stored is not None and not stored.flags & EPHEMERAL
        if ok:
            return Sample(q.kind, inter.id, (inter.initial_at or inter.created_at) - inter.created_at, True)
    return await _failed(sim, inter, q)


async def _failed(sim: DiscordSimulator, inter: InteractionState, q: Query) -> Sample:
    """A refused, late or unexpected answer, described through the handle tests use."""
    handle = InteractionHandle(sim, inter)
    try:
        response = await handle.response()
    except SimTimeout as exc:
        return Sample(q.kind, handle.id, float("nan"), False, detail=str(exc)[:300])
    detail = f"{q.label()}: {response.type_name} {response.message and response.message.content!r}"
    return Sample(q.kind, handle.id, response.elapsed, False, detail=detail[:300])


async def run_round(
    sim: DiscordSimulator, queries: list[Query], concurrency: int
) -> tuple[list[Sample], float, float]:
    """Send `queries` with `concurrency` users in flight; returns samples, wall and CPU seconds."""
    pending = iter(queries)
    samples: list[Sample] = []
    req_mark = len(sim.state.requests)
    gw_mark = len(sim.state.gateway_events)
    watcher = Watcher(sim)

    async def user() -> None:
        for q in pending:  # one shared iterator: each query is sent once
            samples.append(await _one(sim, watcher, q))

    wall, cpu = time.perf_counter(), time.process_time()
    watching = asyncio.ensure_future(watcher.run(ROUND_LIMIT))
    await asyncio.gather(*(user() for _ in range(concurrency)))
    watcher.closed = True
    sim.state.bump()
    await watching
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    _attach_overhead(sim, samples, req_mark, gw_mark)
    return samples, wall, cpu


def _attach_overhead(sim: DiscordSimulator, samples: list[Sample], req_mark: int, gw_mark: int) -> None:
    """Fill `sim_overhead`: (frame sent − dispatched) + (callback accepted − callback received)."""
    state = sim.state
    received = {
        r.path.split("/")[2]: r.at
        for r in state.requests[req_mark:]
        if r.path.startswith("/interactions/") and r.path.endswith("/callback")
    }
    hub = state.gateway
    seq_of: dict[str, tuple[str, int]] = {}
    if hub is not None:
        for session in hub.sessions.values():
            for frame in session.buffer[-(len(samples) * 2 + 50) :]:
                if frame.get("t") == "INTERACTION_CREATE":
                    seq_of[str(frame["d"]["id"])] = (session.session_id, int(frame["s"]))
    sent = {
        (e.session_id, e.s): e.at
        for e in state.gateway_events[gw_mark:]
        if e.direction == "send" and e.t == "INTERACTION_CREATE"
    }
    for s in samples:
        inter = state.interactions.get(s.interaction_id)
        key = seq_of.get(str(s.interaction_id))
        got = received.get(str(s.interaction_id))
        if inter is None or key is None or key not in sent or got is None or inter.initial_at is None:
            continue
        s.sim_overhead = (sent[key] - inter.created_at) + (inter.initial_at - got)
