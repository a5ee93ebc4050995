"""Import dry runs waiting for Apply: each expires, and a server holds only a few, of bounded size.

A parsed dataset costs many times its file's size in memory (six 2 MB dry runs once took the
process from 91 to 254 MB), so a server keeps at most MAX_PER_SERVER of them and MAX_BYTES of
uploaded files; a new dry run pushes out the server's oldest. Knows nothing of Discord.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

LIFETIME = timedelta(minutes=10)
MAX_PER_SERVER = 3
MAX_BYTES = 8 * 1024 * 1024


@dataclass(eq=False)
class Pending:
    """One dry run: its server, its file's size, when it expires, and how to let it go."""

    guild_id: int
    size: int
    expires_at: datetime
    release: Callable[[], None] = field(default=lambda: None)
    released: bool = False

    def expired(self, now: datetime) -> bool:
        """Past its lifetime: Apply must not write it."""
        return now >= self.expires_at


class PendingImports:
    """The dry runs of every server, oldest first."""

    def __init__(
        self,
        *,
        lifetime: timedelta = LIFETIME,
        max_per_server: int = MAX_PER_SERVER,
        max_bytes: int = MAX_BYTES,
    ) -> None:
        self.lifetime, self.max_per_server, self.max_bytes = lifetime, max_per_server, max_bytes
        self._by_guild: dict[int, list[Pending]] = {}

    def add(self, guild_id: int, size: int, now: datetime, release: Callable[[], None]) -> Pending:
        """Hold a new dry run, first dropping expired ones and then the oldest until the bounds hold."""
        for old in [p for p in self._by_guild.get(guild_id, []) if p.expired(now)]:
            self.drop(old)
        held = self._by_guild.setdefault(guild_id, [])
        while held and (
            len(held) >= self.max_per_server or sum(p.size for p in held) + size > self.max_bytes
        ):
            self.drop(held[0])
        held = self._by_guild.setdefault(guild_id, [])  # drop() forgets a server left with none
        pending = Pending(guild_id, size, now + self.lifetime, release)
        held.append(pending)
        return pending

    def drop(self, pending: Pending) -> None:
        """Let a dry run go (applied, cancelled, expired or pushed out); idempotent."""
        held = self._by_guild.get(pending.guild_id, [])
        if pending in held:
            held.remove(pending)
        if not held:
            self._by_guild.pop(pending.guild_id, None)
        if not pending.released:
            pending.released = True
            pending.release()

    def held(self, guild_id: int) -> list[Pending]:
        """The server's dry runs still held, oldest first."""
        return list(self._by_guild.get(guild_id, []))
