"""The optional health and metrics server (HEALTH_PORT): /healthz and /metrics."""

from __future__ import annotations

import logging
import math

import discord
from aiohttp import web

from bot.db.health import database_reachable
from bot.metrics import Metrics
from bot.store import Store

log = logging.getLogger(__name__)


def gateway_connected(client: discord.Client) -> bool:
    """Whether every gateway connection of this process is up and the client is ready."""
    if client.is_closed() or not client.is_ready():
        return False
    shards = getattr(client, "shards", None)
    if isinstance(shards, dict) and shards:
        return all(not shard.is_closed() for shard in shards.values())
    ws = client.ws
    return ws is not None and ws.open


class HealthServer:
    """Serves /healthz (200 when gateway and database are fine, else 503) and /metrics."""

    def __init__(self, client: discord.Client, store: Store, metrics: Metrics, host: str, port: int) -> None:
        self.client, self.store, self.metrics = client, store, metrics
        self.host, self.port = host, port
        self._runner: web.AppRunner | None = None
        metrics.gauges["briefing_gateway_connected"] = lambda: float(gateway_connected(client))
        metrics.gauges["briefing_guilds"] = lambda: float(len(client.guilds))
        metrics.gauges["briefing_gateway_latency_seconds"] = lambda: _finite(client.latency)

    async def start(self) -> None:
        """Listen on host:port."""
        app = web.Application()
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/metrics", self.metrics_page)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        log.info("health server on http://%s:%d (/healthz, /metrics)", self.host, self.port)

    async def stop(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def healthz(self, _request: web.Request) -> web.Response:
        checks = {
            "gateway": gateway_connected(self.client),
            "database": await database_reachable(self.store.engine),
        }
        status = 200 if all(checks.values()) else 503
        return web.json_response({"ok": status == 200, **checks}, status=status)

    async def metrics_page(self, _request: web.Request) -> web.Response:
        return web.Response(text=self.metrics.render(), content_type="text/plain", charset="utf-8")


def _finite(value: float) -> float:
    return value if math.isfinite(value) else -1.0
