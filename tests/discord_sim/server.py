"""Runs the simulator's aiohttp server on its own thread and event loop, and bridges calls into it."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from typing import Any, Self, TypeVar

from aiohttp import web

from .gateway import GatewayHub
from .rest import RestApi
from .state import SimConfig, SimState

T = TypeVar("T")


class SimServer:
    """Owns the thread, the loop and the listening socket; every state access runs on that loop."""

    def __init__(self, config: SimConfig | None = None) -> None:
        self.state = SimState(config)
        self.config = self.state.config
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._startup_error: BaseException | None = None
        self.port = 0

    # --- lifecycle -----------------------------------------------------------------------------
    def start(self) -> None:
        """Start serving on 127.0.0.1:<free port> (blocks until listening)."""
        ready = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self._startup())
            except BaseException as exc:  # surfaced to the caller of start()
                self._startup_error = exc
                ready.set()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self._shutdown())
            loop.close()

        self._thread = threading.Thread(target=run, name="discord-sim", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("discord simulator did not start within 10 s")
        if self._startup_error is not None:
            raise RuntimeError("discord simulator failed to start") from self._startup_error

    async def _startup(self) -> None:
        hub = GatewayHub(self.state)
        self.state.gateway = hub
        self._runner = web.AppRunner(
            RestApi(self.state, hub).application(), access_log=None, shutdown_timeout=1.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert isinstance(server, asyncio.Server)
        self.port = server.sockets[0].getsockname()[1]
        self.state.http_base = f"http://127.0.0.1:{self.port}"
        self.state.ws_base = f"ws://127.0.0.1:{self.port}"
        self.state.store.http_base = self.state.http_base
        self.state.bump()

    async def _shutdown(self) -> None:
        hub = self.state.gateway
        if hub is not None:
            for conn in list(hub.connections.values()):
                if not conn.ws.closed:
                    conn.abort()
        if self._runner is not None:
            await self._runner.cleanup()

    def stop(self) -> None:
        """Stop serving and join the thread."""
        if self._loop is not None and self._thread is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(15)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- bridging ------------------------------------------------------------------------------
    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        """The simulator's event loop."""
        if self._loop is None:
            raise RuntimeError("simulator not started")
        return self._loop

    async def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run a coroutine on the simulator loop and await it from any other loop."""
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coro, self.loop))

    def run_sync(self, coro: Coroutine[Any, Any, T], timeout: float = 30.0) -> T:
        """Run a coroutine on the simulator loop from synchronous code (fixtures)."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    async def call(self, fn: Callable[[], T]) -> T:
        """Run a plain function on the simulator loop (safe access to its state)."""

        async def inner() -> T:
            return fn()

        return await self.run(inner())

    def call_sync(self, fn: Callable[[], T]) -> T:
        """``call`` for synchronous code."""

        async def inner() -> T:
            return fn()

        return self.run_sync(inner())

    async def wait(self, probe: Callable[[], T | None], timeout: float, describe: Callable[[], str]) -> T:  # noqa: ASYNC109
        """Wait (on the simulator loop) until ``probe`` returns non-None; SimTimeout otherwise."""
        return await self.run(self.state.wait_for(probe, timeout, describe))
