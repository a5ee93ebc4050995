"""The gateway websocket: HELLO, IDENTIFY/READY, heartbeats, RESUME, dispatches and fault injection."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import secrets
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from . import json_codec
from .api_errors import ApiError
from .records import GatewayEvent
from .state import SimState

try:  # discord.py prefers zstd-stream when zstandard is installed; support it whenever we can
    import zstandard  # type: ignore[import-not-found, unused-ignore]
except ImportError:  # pragma: no cover - depends on the environment
    zstandard = None  # type: ignore[assignment, unused-ignore]

JsonDict = dict[str, Any]
TRANSPORTS = ("zlib-stream", "zstd-stream") if zstandard is not None else ("zlib-stream",)

GUILDS = 1 << 0
GUILD_MEMBERS = 1 << 1
GUILD_PRESENCES = 1 << 8
MESSAGE_CONTENT = 1 << 15
PRIVILEGED_INTENTS = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT
VALID_INTENTS = sum(1 << bit for bit in (*range(17), 20, 21, 24, 25))

CLOSE_REASONS = {
    4000: "Unknown error.",
    4001: "Unknown opcode.",
    4002: "Decode error.",
    4003: "Not authenticated.",
    4004: "Authentication failed.",
    4005: "Already authenticated.",
    4007: "Invalid seq.",
    4010: "Invalid shard.",
    4012: "Invalid API version.",
    4013: "Invalid intent(s).",
    4014: "Disallowed intent(s).",
}


class GatewayConnection:
    """One websocket: an ordered writer, plain or with transport compression (zlib-stream / zstd-stream)."""

    def __init__(
        self,
        conn_id: int,
        ws: web.WebSocketResponse,
        request: web.Request,
        *,
        compress: str | None,
        path: str,
    ) -> None:
        self.id = conn_id
        self.ws = ws
        self.request = request
        self.path = path
        self.compressor = zlib.compressobj() if compress == "zlib-stream" else None
        self.zstd = (
            zstandard.ZstdCompressor().compressobj() if compress == "zstd-stream" and zstandard else None
        )
        self.session: GatewaySession | None = None
        self.queue: asyncio.Queue[JsonDict] = asyncio.Queue()
        self.closed_by_server = False
        self.writer: asyncio.Task[None] | None = None

    def enqueue(self, payload: JsonDict) -> None:
        """Queue a frame; frames go out in order."""
        self.queue.put_nowait(payload)

    async def write_loop(self, on_sent: Any) -> None:
        """Send queued frames in order; one compression context per connection, flushed per message."""
        while True:
            payload = await self.queue.get()
            raw = json_codec.dumps(payload)
            try:
                if self.compressor is not None:
                    data = self.compressor.compress(raw) + self.compressor.flush(zlib.Z_SYNC_FLUSH)
                    await self.ws.send_bytes(data)
                elif self.zstd is not None:
                    data = self.zstd.compress(raw) + self.zstd.flush(zstandard.COMPRESSOBJ_FLUSH_BLOCK)
                    await self.ws.send_bytes(data)
                else:
                    await self.ws.send_str(raw.decode())
            except (ConnectionError, RuntimeError):
                return
            on_sent(self, payload)

    def abort(self) -> None:
        """Drop the TCP connection without a close frame (the session stays resumable)."""
        self.closed_by_server = True
        transport = self.request.transport
        if transport is not None:
            transport.abort()

    async def close(self, code: int) -> None:
        """Close with a gateway close code."""
        self.closed_by_server = True
        await self.ws.close(code=code, message=CLOSE_REASONS.get(code, "").encode())


@dataclass
class GatewaySession:
    """An identified gateway session (survives reconnects until invalidated)."""

    session_id: str
    shard_id: int
    shard_count: int
    shard_sent: bool
    intents: int
    identified_at: float
    properties: JsonDict
    seq: int = 0
    buffer: list[JsonDict] = field(default_factory=list)
    connection: GatewayConnection | None = None
    resumable: bool = True
    ready_sent: bool = False
    guilds_sent: set[int] = field(default_factory=set)
    resumes: int = 0

    @property
    def shard(self) -> tuple[int, int]:
        """(shard_id, shard_count)."""
        return (self.shard_id, self.shard_count)

    def owns(self, guild_id: int) -> bool:
        """Whether a guild belongs to this session's shard: (guild_id >> 22) % shard_count."""
        return (guild_id >> 22) % self.shard_count == self.shard_id

    @property
    def connected(self) -> bool:
        """Whether a live websocket carries this session."""
        return self.connection is not None and not self.connection.ws.closed


class GatewayHub:
    """All gateway connections and sessions."""

    def __init__(self, state: SimState) -> None:
        self.state = state
        self.sessions: dict[str, GatewaySession] = {}
        self.connections: dict[int, GatewayConnection] = {}
        self._conn_ids = itertools.count(1)

    # --- bookkeeping ---------------------------------------------------------------------------
    def _log(
        self,
        conn: GatewayConnection | None,
        direction: str,
        payload: JsonDict | None = None,
        detail: str = "",
    ) -> None:
        session = conn.session if conn is not None else None
        self.state.gateway_events.append(
            GatewayEvent(
                at=self.state.now(),
                connection=conn.id if conn is not None else 0,
                direction=direction,
                op=None if payload is None else payload.get("op"),
                t=None if payload is None else payload.get("t"),
                s=None if payload is None else payload.get("s"),
                session_id=None if session is None else session.session_id,
                shard=None if session is None else session.shard,
                detail=detail,
            )
        )
        self.state.bump()

    def _on_sent(self, conn: GatewayConnection, payload: JsonDict) -> None:
        self._log(conn, "send", payload)
        session = conn.session
        if session is not None and payload.get("t") == "READY":
            session.ready_sent = True
        if session is not None and payload.get("t") == "GUILD_CREATE":
            session.guilds_sent.add(int(payload["d"]["id"]))

    async def _reject(self, conn: GatewayConnection, code: int) -> None:
        reason = CLOSE_REASONS.get(code, "")
        self.state.record_violation(None, ApiError(0, code, reason), detail=f"gateway close {code}")
        self._log(conn, "close", detail=f"{code} {reason}")
        await conn.close(code)

    # --- dispatching ---------------------------------------------------------------------------
    def dispatch(self, session: GatewaySession, event: str, data: JsonDict) -> None:
        """Send a DISPATCH with the session's next sequence number (buffered for RESUME replay)."""
        session.seq += 1
        payload = {"op": 0, "t": event, "s": session.seq, "d": data}
        session.buffer.append(payload)
        if session.connection is not None and not session.connection.ws.closed:
            session.connection.enqueue(payload)

    def session_for_guild(self, guild_id: int) -> GatewaySession | None:
        """The newest valid session whose shard owns the guild."""
        candidates = [s for s in self.sessions.values() if s.resumable and s.owns(guild_id)]
        return max(candidates, key=lambda s: s.identified_at, default=None)

    def dispatch_to_guild(
        self,
        guild_id: int,
        event: str,
        data: JsonDict | Callable[[], JsonDict],
        *,
        intent: int | None = None,
    ) -> bool:
        """Dispatch to the shard owning a guild (if it subscribed to ``intent``); False if none.
        ``data`` may be a function: it is only called when some shard takes the event."""
        session = self.session_for_guild(guild_id)
        if session is None or (intent is not None and not session.intents & intent):
            return False
        self.dispatch(session, event, data() if callable(data) else data)
        return True

    def live_sessions(self) -> list[GatewaySession]:
        """Sessions that are still valid (connected or resumable)."""
        return [s for s in self.sessions.values() if s.resumable]

    # --- fault injection -----------------------------------------------------------------------
    def drop(self, session: GatewaySession) -> None:
        """Kill the TCP connection abruptly (client should RESUME)."""
        if session.connection is not None:
            self._log(session.connection, "drop")
            session.connection.abort()

    def send_op(self, session: GatewaySession, op: int, d: Any = None) -> None:
        """Send a non-dispatch opcode (1 heartbeat request, 7 reconnect, 9 invalid session)."""
        if op == 9 and d is False:
            session.resumable = False
        if session.connection is not None:
            session.connection.enqueue({"op": op, "d": d, "s": None, "t": None})

    async def close(self, session: GatewaySession, code: int) -> None:
        """Close the session's socket with a close code."""
        if session.connection is not None:
            self._log(session.connection, "close", detail=str(code))
            await session.connection.close(code)

    # --- the websocket handler -----------------------------------------------------------------
    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        """aiohttp handler for /gateway and /gateway-resume."""
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        compress = request.query.get("compress")
        conn = GatewayConnection(next(self._conn_ids), ws, request, compress=compress, path=request.path)
        self.connections[conn.id] = conn
        self._log(conn, "open", detail=str(request.rel_url))
        conn.writer = asyncio.get_running_loop().create_task(conn.write_loop(self._on_sent))
        try:
            if request.query.get("v") != "10":
                await self._reject(conn, 4012)
                return ws
            if request.query.get("encoding", "json") != "json" or compress not in (None, *TRANSPORTS):
                await self._reject(conn, 4002)
                return ws
            conn.enqueue(
                {
                    "op": 10,
                    "d": {"heartbeat_interval": self.state.config.heartbeat_interval_ms},
                    "s": None,
                    "t": None,
                }
            )
            async for msg in ws:
                if msg.type is not WSMsgType.TEXT:
                    await self._reject(conn, 4002)
                    break
                try:
                    payload = json_codec.loads(msg.data)
                except ValueError:
                    await self._reject(conn, 4002)
                    break
                self._log(conn, "recv", payload if isinstance(payload, dict) else None)
                if not isinstance(payload, dict) or not await self._handle_op(conn, payload):
                    break
        finally:
            await self._finish(conn)
        return ws

    async def _finish(self, conn: GatewayConnection) -> None:
        session = conn.session
        code = conn.ws.close_code
        if session is not None and session.connection is conn:
            session.connection = None
            if code in (1000, 1001) and not conn.closed_by_server:
                session.resumable = False
        await asyncio.sleep(0.05)  # let queued frames drain before the writer stops
        if conn.writer is not None:
            conn.writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await conn.writer
        self._log(conn, "closed", detail=f"code={code}")

    async def _handle_op(self, conn: GatewayConnection, payload: JsonDict) -> bool:
        op = payload.get("op")
        data = payload.get("d")
        if op == 1:
            conn.enqueue({"op": 11, "s": None, "t": None, "d": None})
            return True
        if op == 2:
            return await self._identify(conn, data if isinstance(data, dict) else {})
        if op == 6:
            return await self._resume(conn, data if isinstance(data, dict) else {})
        if op not in (3, 4, 8):
            await self._reject(conn, 4001)
            return False
        if conn.session is None:
            await self._reject(conn, 4003)
            return False
        if op == 8 and isinstance(data, dict):
            self._member_chunk(conn.session, data)
        return True

    async def _identify(self, conn: GatewayConnection, d: JsonDict) -> bool:
        state = self.state
        if conn.session is not None:
            await self._reject(conn, 4005)
            return False
        if d.get("token") != state.config.token:
            await self._reject(conn, 4004)
            return False
        intents = d.get("intents")
        if not isinstance(intents, int) or isinstance(intents, bool) or intents & ~VALID_INTENTS:
            await self._reject(conn, 4013)
            return False
        if intents & PRIVILEGED_INTENTS & ~state.config.privileged_intents:
            await self._reject(conn, 4014)
            return False
        shard = d.get("shard")
        shard_id, shard_count = 0, 1
        if shard is not None:
            valid = (
                isinstance(shard, list)
                and len(shard) == 2
                and all(isinstance(x, int) for x in shard)
                and shard[1] >= 1
                and 0 <= shard[0] < shard[1]
            )
            if not valid:
                await self._reject(conn, 4010)
                return False
            shard_id, shard_count = shard
        session = GatewaySession(
            session_id=secrets.token_hex(16),
            shard_id=shard_id,
            shard_count=shard_count,
            shard_sent=shard is not None,
            intents=intents,
            identified_at=state.now(),
            properties=dict(d.get("properties") or {}),
        )
        self.sessions[session.session_id] = session
        session.connection = conn
        conn.session = session
        owned = [g for g in state.world.guilds if session.owns(g.id)]
        ready: JsonDict = {
            "v": 10,
            "user": {**state.world.bot.payload(), "verified": True, "mfa_enabled": False, "email": None},
            "guilds": [{"id": str(g.id), "unavailable": True} for g in owned],
            "session_id": session.session_id,
            "session_type": "normal",
            "resume_gateway_url": f"{state.ws_base}/gateway-resume",
            "application": {"id": str(state.world.application_id), "flags": self._application_flags()},
            "private_channels": [],
            "presences": [],
            "relationships": [],
            "user_settings": {},
            "guild_join_requests": [],
            "auth": {},
            "_trace": ['["discord-sim",{"micros":0}]'],
        }
        if session.shard_sent:
            ready["shard"] = [shard_id, shard_count]
        self.dispatch(session, "READY", ready)
        if intents & GUILDS:
            for guild in owned:
                self.dispatch(
                    session,
                    "GUILD_CREATE",
                    guild.guild_create_payload(
                        joined_at=guild.bot_member.joined_at,
                        include_all_members=bool(intents & GUILD_MEMBERS),
                        bot_user_id=state.world.bot.id,
                    ),
                )
        return True

    def _application_flags(self) -> int:
        flags = 0
        privileged = self.state.config.privileged_intents
        if privileged & GUILD_PRESENCES:
            flags |= 1 << 13
        if privileged & GUILD_MEMBERS:
            flags |= 1 << 15
        if privileged & MESSAGE_CONTENT:
            flags |= 1 << 19
        return flags

    async def _resume(self, conn: GatewayConnection, d: JsonDict) -> bool:
        if conn.session is not None:
            await self._reject(conn, 4005)
            return False
        if d.get("token") != self.state.config.token:
            await self._reject(conn, 4004)
            return False
        session = self.sessions.get(str(d.get("session_id")))
        if session is None or not session.resumable:
            conn.enqueue({"op": 9, "d": False, "s": None, "t": None})
            return True
        seq = d.get("seq") or 0
        if not isinstance(seq, int) or seq > session.seq:
            await self._reject(conn, 4007)
            return False
        old = session.connection
        if old is not None and old is not conn:
            old.abort()
        session.connection = conn
        conn.session = session
        session.resumes += 1
        for payload in session.buffer:
            if payload["s"] > seq:
                conn.enqueue(payload)
        self.dispatch(session, "RESUMED", {"_trace": ['["discord-sim",{"micros":0}]']})
        return True

    def _member_chunk(self, session: GatewaySession, d: JsonDict) -> None:
        try:
            guild = self.state.world.guild(int(d.get("guild_id", 0)))
        except (KeyError, ValueError):
            return
        wanted = {int(u) for u in d.get("user_ids") or []}
        query = str(d.get("query") or "").lower()
        if wanted:
            members = [m for m in guild.members.values() if m.id in wanted]
        else:
            members = [m for m in guild.members.values() if m.user.username.lower().startswith(query)]
        limit = d.get("limit") or 0
        if limit:
            members = members[:limit]
        chunk: JsonDict = {
            "guild_id": str(guild.id),
            "members": [m.payload() for m in members],
            "chunk_index": 0,
            "chunk_count": 1,
        }
        found = {m.id for m in members}
        if wanted - found:
            chunk["not_found"] = [str(u) for u in wanted - found]
        if d.get("nonce") is not None:
            chunk["nonce"] = d["nonce"]
        self.dispatch(session, "GUILD_MEMBERS_CHUNK", chunk)
