"""Settings: one frozen object built from the environment (after `load_dotenv()`), never at import."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///briefing.sqlite3"
DEFAULT_API_BASE_URL = "https://discord.com/api/v10"
DEFAULT_GATEWAY_URL = "wss://gateway.discord.gg/"
DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"


class ConfigError(Exception):
    """A setting is missing or malformed; the message names it in one line."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the bot reads from its environment."""

    token: str = field(repr=False)
    database_url: str = DEFAULT_DATABASE_URL
    sync_guild_ids: tuple[int, ...] = ()
    api_base_url: str | None = None
    gateway_url: str | None = None
    owner_ids: frozenset[int] = frozenset()
    log_level: str = "INFO"
    data_dir: Path = field(default_factory=lambda: DEFAULT_DATA_DIR)
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None
    cache_ttl_seconds: float = 5.0
    digest_tick_seconds: float = 60.0
    digest_clock_file: Path | None = None
    auto_migrate: bool = False
    health_port: int | None = None
    health_host: str = "127.0.0.1"
    source_poll_seconds: float = 900.0
    source_min_interval_seconds: float = 300.0
    source_allow_hosts: tuple[str, ...] = ()
    database_timeout_seconds: float = 10.0
    application_id: int | None = None

    def __repr__(self) -> str:  # never show the token
        return (
            f"Settings(database_url={_redact_url(self.database_url)!r}, sync_guild_ids={self.sync_guild_ids})"
        )


def _redact_url(url: str) -> str:
    parsed = urlparse(url)
    if parsed.password:
        return url.replace(f":{parsed.password}@", ":***@")
    return url


def _int_list(name: str, raw: str) -> tuple[int, ...]:
    values: list[int] = []
    for part in raw.replace(" ", "").split(","):
        if not part:
            continue
        if not part.isdigit() or int(part) <= 0:
            raise ConfigError(
                f"{name}: {part!r} is not a Discord id (a positive whole number); use a comma list"
            )
        values.append(int(part))
    return tuple(values)


def _url(name: str, raw: str, schemes: tuple[str, ...]) -> str:
    parsed = urlparse(raw)
    if parsed.scheme not in schemes or not parsed.netloc:
        raise ConfigError(
            f"{name}: {raw!r} is not a URL starting with {' or '.join(s + '://' for s in schemes)}"
        )
    return raw.rstrip("/")


def _positive_int(name: str, raw: str) -> int:
    if not raw.strip().isdigit() or int(raw) <= 0:
        raise ConfigError(f"{name}: {raw!r} is not a positive whole number")
    return int(raw)


def _seconds(name: str, raw: str, default: float, low: float, high: float) -> float:
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}: {raw!r} is not a number of seconds") from None
    if not low <= value <= high:
        raise ConfigError(f"{name}: must be between {low:g} and {high:g}")
    return value


def _flag(name: str, raw: str) -> bool:
    if raw.lower() in ("", "0", "false", "no", "off"):
        return False
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    raise ConfigError(f"{name}: {raw!r} is not 1 or 0")


def load_settings(env: Mapping[str, str] | None = None, *, require_token: bool = True) -> Settings:
    """Build settings from `env` (default: os.environ); raise ConfigError naming the first bad value."""
    env = os.environ if env is None else env

    def get(name: str) -> str:
        return env.get(name, "").strip()

    token = get("DISCORD_TOKEN")
    if require_token and not token:
        raise ConfigError("DISCORD_TOKEN is not set: put the bot token in the environment or in .env")
    if token and (" " in token or len(token) < 10):
        raise ConfigError("DISCORD_TOKEN is malformed: expected the bot token from the Developer Portal")

    database_url = get("DATABASE_URL") or DEFAULT_DATABASE_URL
    scheme = database_url.split("://", 1)[0]
    if scheme not in ("sqlite+aiosqlite", "postgresql+asyncpg"):
        raise ConfigError(
            f"DATABASE_URL: scheme {scheme!r} is not supported; use sqlite+aiosqlite:///path "
            "or postgresql+asyncpg://user@host/db"
        )

    log_level = (get("LOG_LEVEL") or "INFO").upper()
    if log_level not in logging.getLevelNamesMapping():
        raise ConfigError(f"LOG_LEVEL: {log_level!r} is not one of DEBUG, INFO, WARNING, ERROR, CRITICAL")

    shard_count = _positive_int("SHARD_COUNT", get("SHARD_COUNT")) if get("SHARD_COUNT") else None
    shard_ids: tuple[int, ...] | None = None
    if get("SHARD_IDS"):
        if shard_count is None:
            raise ConfigError("SHARD_IDS is set but SHARD_COUNT is not: set both")
        shard_ids = tuple(int(x) for x in get("SHARD_IDS").replace(" ", "").split(",") if x.isdigit())
        raw_parts = [x for x in get("SHARD_IDS").replace(" ", "").split(",") if x]
        if len(shard_ids) != len(raw_parts) or any(s >= shard_count for s in shard_ids):
            raise ConfigError(f"SHARD_IDS: {get('SHARD_IDS')!r} must be shard numbers below SHARD_COUNT")

    cache_ttl = _seconds("CACHE_TTL_SECONDS", get("CACHE_TTL_SECONDS"), 5.0, 0, 3600)
    digest_tick = _seconds("DIGEST_TICK_SECONDS", get("DIGEST_TICK_SECONDS"), 60.0, 0.05, 3600)
    db_timeout = _seconds("DATABASE_TIMEOUT_SECONDS", get("DATABASE_TIMEOUT_SECONDS"), 10.0, 0.1, 600)

    health_port = _positive_int("HEALTH_PORT", get("HEALTH_PORT")) if get("HEALTH_PORT") else None
    if health_port is not None and health_port > 65535:
        raise ConfigError(f"HEALTH_PORT: {health_port} is not a TCP port (1–65535)")

    source_poll = _seconds("SOURCE_POLL_SECONDS", get("SOURCE_POLL_SECONDS"), 900.0, 0.05, 86400)
    source_min = _seconds("SOURCE_MIN_INTERVAL_SECONDS", get("SOURCE_MIN_INTERVAL_SECONDS"), 300.0, 0, 86400)
    allow_hosts = tuple(p.strip().lower() for p in get("SOURCE_ALLOW_HOSTS").split(",") if p.strip())
    for entry in allow_hosts:
        host, _, port = entry.rpartition(":") if entry.count(":") == 1 else (entry, "", "")
        if not host or (port and not port.isdigit()) or " " in entry:
            raise ConfigError(f"SOURCE_ALLOW_HOSTS: {entry!r} is not host or host:port")

    return Settings(
        token=token,
        database_url=database_url,
        sync_guild_ids=_int_list("SYNC_GUILD_IDS", get("SYNC_GUILD_IDS")),
        api_base_url=_url("DISCORD_API_BASE_URL", get("DISCORD_API_BASE_URL"), ("http", "https"))
        if get("DISCORD_API_BASE_URL")
        else None,
        gateway_url=_url("DISCORD_GATEWAY_URL", get("DISCORD_GATEWAY_URL"), ("ws", "wss"))
        if get("DISCORD_GATEWAY_URL")
        else None,
        owner_ids=frozenset(_int_list("OWNER_IDS", get("OWNER_IDS"))),
        log_level=log_level,
        data_dir=Path(get("DATA_DIR")) if get("DATA_DIR") else DEFAULT_DATA_DIR,
        shard_count=shard_count,
        shard_ids=shard_ids,
        cache_ttl_seconds=cache_ttl,
        digest_tick_seconds=digest_tick,
        digest_clock_file=Path(get("DIGEST_CLOCK_FILE")) if get("DIGEST_CLOCK_FILE") else None,
        auto_migrate=_flag("AUTO_MIGRATE", get("AUTO_MIGRATE")),
        health_port=health_port,
        health_host=get("HEALTH_HOST") or "127.0.0.1",
        source_poll_seconds=source_poll,
        source_min_interval_seconds=source_min,
        source_allow_hosts=allow_hosts,
        database_timeout_seconds=db_timeout,
        application_id=_int_list("APPLICATION_ID", get("APPLICATION_ID"))[0]
        if get("APPLICATION_ID")
        else None,
    )
