"""Receipts: a write done for one Discord interaction is done once, whatever retries or replays.

The Discord side names the interaction it is writing for (`for_request`); every audited write
transaction then records a receipt keyed by the interaction id in the same transaction
(`record_receipt`, called by `enter_audited_write`). If the receipt is already there, the write
was committed before — by this process before a timeout, or by another one — and `AlreadySaved`
stops it from being written twice. The store knows only "a request id", nothing of Discord.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import InteractionReceiptRow
from bot.errors import BriefingError


@dataclass(slots=True)
class Request:
    """The interaction a write is done for."""

    interaction_id: int
    guild_id: int
    user_id: int
    command: str
    recorded: bool = False  # a receipt was added to this request's first write transaction


class AlreadySaved(BriefingError):
    """This interaction's write was committed before; nothing was written again."""

    def __init__(self) -> None:
        super().__init__("Already saved: this request was handled before, so nothing was written again.")


_current: ContextVar[Request | None] = ContextVar("briefing_request", default=None)


@contextlib.contextmanager
def for_request(request: Request) -> Iterator[Request]:
    """Within this block, audited writes record (and check) `request`'s receipt."""
    token = _current.set(request)
    try:
        yield request
    finally:
        _current.reset(token)


async def record_receipt(session: AsyncSession) -> None:
    """Add the current request's receipt to the session's transaction; AlreadySaved if it exists."""
    request = _current.get()
    if request is None or request.recorded:
        return
    if await session.get(InteractionReceiptRow, request.interaction_id) is not None:
        raise AlreadySaved
    session.add(
        InteractionReceiptRow(
            interaction_id=request.interaction_id,
            guild_id=request.guild_id,
            user_id=request.user_id,
            command=request.command[:100],
        )
    )
    request.recorded = True
