"""A bare-bones gateway client for the simulator's own tests (no discord.py involved)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import zlib
from collections.abc import Callable
from typing import Any

import aiohttp

JsonDict = dict[str, Any]
ZLIB_SUFFIX = b"\x00\x00\xff\xff"


class RawGateway:
    """Connects, decompresses zlib-stream, collects frames, and lets a test send payloads."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.frames: list[JsonDict] = []
        self.close_code: int | None = None
        self._inflator = zlib.decompressobj()
        self._buffer = bytearray()
        self._reader: asyncio.Task[None] | None = None
        self._arrived = asyncio.Event()

    async def connect(self, url: str, *, compress: bool = True, query: str | None = None) -> None:
        """Open the socket (v=10, json, optional zlib-stream) and start reading."""
        q = (
            query
            if query is not None
            else "v=10&encoding=json" + ("&compress=zlib-stream" if compress else "")
        )
        self.ws = await self._session.ws_connect(f"{url}?{q}", max_msg_size=0)
        self._reader = asyncio.get_running_loop().create_task(self._read())

    async def _read(self) -> None:
        assert self.ws is not None
        async for msg in self.ws:
            if msg.type is aiohttp.WSMsgType.BINARY:
                self._buffer.extend(msg.data)
                if not msg.data.endswith(ZLIB_SUFFIX):
                    continue
                text = self._inflator.decompress(bytes(self._buffer)).decode()
                self._buffer.clear()
            elif msg.type is aiohttp.WSMsgType.TEXT:
                text = msg.data
            else:
                break
            self.frames.append(json.loads(text))
            self._arrived.set()
        self.close_code = self.ws.close_code
        self._arrived.set()

    async def send(self, payload: JsonDict) -> None:
        """Send one JSON frame."""
        assert self.ws is not None
        await self.ws.send_str(json.dumps(payload))

    async def identify(self, token: str, intents: int = 1, shard: list[int] | None = None) -> JsonDict:
        """IDENTIFY and return the READY dispatch."""
        data: JsonDict = {
            "token": token,
            "intents": intents,
            "properties": {"os": "linux", "browser": "t", "device": "t"},
        }
        if shard is not None:
            data["shard"] = shard
        await self.send({"op": 2, "d": data})
        return await self.wait_for(lambda f: f.get("t") == "READY")

    async def wait_for(self, predicate: Callable[[JsonDict], bool], timeout: float = 3.0) -> JsonDict:  # noqa: ASYNC109
        """The first received frame matching ``predicate`` (already received ones count)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            self._arrived.clear()
            for frame in self.frames:
                if predicate(frame):
                    return frame
            if self.close_code is not None and self._reader is not None and self._reader.done():
                raise AssertionError(f"gateway closed with {self.close_code}; frames: {self.frames}")
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"no matching gateway frame; frames: {self.frames}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), remaining)

    async def wait_closed(self, timeout: float = 3.0) -> int | None:  # noqa: ASYNC109
        """Wait until the server closed the socket; return the close code."""
        if self._reader is not None:
            await asyncio.wait_for(self._reader, timeout)
        return self.close_code

    async def close(self, code: int = 1000) -> None:
        """Close from the client side."""
        if self.ws is not None and not self.ws.closed:
            await self.ws.close(code=code)
        if self._reader is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._reader, 2)
