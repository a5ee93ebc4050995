"""A TCP proxy on loopback that can freeze: a silent network cut between the bot and PostgreSQL.

While frozen, connections stay open but nothing is forwarded in either direction and what
arrives is dropped (lost packets); new connections are accepted and hang. `thaw()` closes every
connection made before (their streams lost bytes) and forwards new ones again. The shared
PostgreSQL server is never stopped or signalled: only this proxy's own sockets are affected.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator


class LoopbackProxy:
    """Forward 127.0.0.1:<port> to `target_host:target_port`, in its own thread and event loop."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self.frozen = False
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="loopback-proxy", daemon=True)
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    def start(self) -> LoopbackProxy:
        """Listen on a free loopback port (see `port`)."""
        self._thread.start()
        self._call(self._listen())
        return self

    def stop(self) -> None:
        """Close every connection and the listener; end the thread."""
        self._call(self._close_all(listener=True))
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    def freeze(self) -> None:
        """Stop forwarding (silently): the far side sees no answer, no reset, nothing."""
        self.frozen = True

    def thaw(self) -> None:
        """Close the connections that lived through the freeze and forward new ones again."""
        self._call(self._close_all(listener=False))
        self.frozen = False

    @contextlib.contextmanager
    def frozen_network(self) -> Iterator[None]:
        """Frozen within the block, thawed after."""
        self.freeze()
        try:
            yield
        finally:
            self.thaw()

    # -- the loop's side ---------------------------------------------------------------------

    def _call(self, coro: object) -> None:
        asyncio.run_coroutine_threadsafe(coro, self._loop).result(10)  # type: ignore[arg-type]

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _close_all(self, *, listener: bool) -> None:
        for writer in list(self._writers):
            writer.close()
        self._writers.clear()
        if listener and self._server is not None:
            self._server.close()

    async def _accept(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        self._writers.add(client_w)
        while self.frozen:  # a connect during the cut: accepted by the kernel, then silence
            if client_w.is_closing():
                return
            await asyncio.sleep(0.05)
        try:
            server_r, server_w = await asyncio.open_connection(*self.target)
        except OSError:
            client_w.close()
            return
        self._writers.add(server_w)
        await asyncio.gather(self._pipe(client_r, server_w), self._pipe(server_r, client_w))

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                if self.frozen:
                    continue  # lost on the wire
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()
