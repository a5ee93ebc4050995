"""Gateway control for tests: sessions, fault injection (drop, op 7, op 9, close codes) and waits."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from .driver import DriverError
from .gateway import GatewayHub, GatewaySession
from .records import GatewayEvent
from .server import SimServer


@dataclass(frozen=True)
class SessionInfo:
    """A gateway session as seen from outside."""

    session_id: str
    shard: tuple[int, int]
    intents: int
    connected: bool
    resumable: bool
    resumes: int
    seq: int
    guilds_sent: frozenset[int]
    identified_at: float


class GatewayControls(SimServer):
    """The gateway half of the simulator's test API."""

    async def sessions(self) -> list[SessionInfo]:
        """Every gateway session the simulator knows."""

        def collect() -> list[SessionInfo]:
            return [
                SessionInfo(
                    s.session_id,
                    s.shard,
                    s.intents,
                    s.connected,
                    s.resumable,
                    s.resumes,
                    s.seq,
                    frozenset(s.guilds_sent),
                    s.identified_at,
                )
                for s in self._hub().sessions.values()
            ]

        return await self.call(collect)

    def _hub(self) -> GatewayHub:
        hub = self.state.gateway
        if hub is None:
            raise RuntimeError("simulator not started")
        return hub

    def _targets(self, shard_id: int | None) -> list[GatewaySession]:
        live = [s for s in self._hub().sessions.values() if s.resumable and s.connection is not None]
        if shard_id is not None:
            live = [s for s in live if s.shard_id == shard_id]
        if not live:
            raise DriverError(
                f"no connected gateway session{'' if shard_id is None else f' for shard {shard_id}'}"
            )
        return live

    def _each_target(
        self, shard_id: int | None, action: Callable[[GatewayHub, GatewaySession], None]
    ) -> None:
        hub = self._hub()
        for session in self._targets(shard_id):
            action(hub, session)

    async def drop_connection(self, shard_id: int | None = None) -> None:
        """Abruptly drop the TCP connection(s) (the client should RESUME)."""
        await self.call(lambda: self._each_target(shard_id, lambda hub, s: hub.drop(s)))

    async def send_reconnect(self, shard_id: int | None = None) -> None:
        """Send op 7 RECONNECT."""
        await self.call(lambda: self._each_target(shard_id, lambda hub, s: hub.send_op(s, 7)))

    async def send_invalid_session(self, resumable: bool, shard_id: int | None = None) -> None:
        """Send op 9 INVALID_SESSION (d=false invalidates the session: the client must IDENTIFY again)."""
        await self.call(lambda: self._each_target(shard_id, lambda hub, s: hub.send_op(s, 9, resumable)))

    async def request_heartbeat(self, shard_id: int | None = None) -> None:
        """Send op 1 (the client must heartbeat immediately)."""
        await self.call(lambda: self._each_target(shard_id, lambda hub, s: hub.send_op(s, 1, s.seq)))

    async def close_gateway(self, code: int = 4000, shard_id: int | None = None) -> None:
        """Close the socket(s) with a gateway close code."""

        async def close_all() -> None:
            for session in self._targets(shard_id):
                await self._hub().close(session, code)

        await self.run(close_all())

    async def wait_for_gateway_event(
        self,
        predicate: Callable[[GatewayEvent], bool],
        *,
        since: int | None = None,
        timeout: float | None = None,  # noqa: ASYNC109
        what: str = "a gateway event",
    ) -> GatewayEvent:
        """The first gateway log entry at or after index ``since`` matching ``predicate``."""
        start = self.state.window.gateway_events if since is None else since

        def probe() -> GatewayEvent | None:
            return next((e for e in self.state.gateway_events[start:] if predicate(e)), None)

        return await self.wait(probe, timeout or self.config.default_timeout, lambda: what)

    async def wait_for_dispatch(
        self,
        event: str,
        *,
        since: int | None = None,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> GatewayEvent:
        """Wait until the simulator has sent a dispatch (e.g. "READY", "RESUMED")."""
        return await self.wait_for_gateway_event(
            lambda e: e.direction == "send" and e.t == event,
            since=since,
            timeout=timeout,
            what=f"dispatch {event}",
        )

    async def wait_until_bot_ready(
        self,
        *,
        since: float,
        shard_ids: list[int] | None = None,
        shard_count: int = 1,
        command_guild_ids: list[int] | None = None,
        timeout: float = 30.0,  # noqa: ASYNC109
        is_alive: Callable[[], bool] | None = None,
    ) -> None:
        """Wait for READY + every GUILD_CREATE on the given shards (identified after ``since``) and for commands."""
        wanted = list(range(shard_count)) if shard_ids is None else list(shard_ids)
        guild_ids = command_guild_ids or []
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout

        def status() -> str | None:
            hub = self._hub()
            missing: list[str] = []
            for shard in wanted:
                sessions = [
                    s
                    for s in hub.sessions.values()
                    if s.identified_at >= since and s.shard == (shard, shard_count) and s.resumable
                ]
                owned = {g.id for g in self.state.world.guilds if (g.id >> 22) % shard_count == shard}
                if not any(s.ready_sent and owned <= s.guilds_sent for s in sessions):
                    missing.append(f"READY+GUILD_CREATE on shard {shard}/{shard_count}")
            for guild_id in guild_ids:
                if not self.state.commands.in_scope(guild_id):
                    missing.append(f"commands for guild {guild_id}")
            return "; ".join(missing) or None

        while True:
            missing = await self.call(status)
            if missing is None:
                return
            if is_alive is not None and not is_alive():
                raise AssertionError(f"bot process exited before it was ready (still missing: {missing})")
            if loop.time() > deadline:
                raise AssertionError(f"bot not ready after {timeout:.0f}s; missing: {missing}")
            await asyncio.sleep(0.05)
