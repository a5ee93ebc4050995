"""Audited writes and digest windows agree on what happened before a given time.

An audited write stamps its audit rows when it starts and commits later. A digest that read its
window (changes up to time T) in between would not see rows stamped before T, and its next window
starts after T: those changes would be in no digest. A long import makes that gap seconds wide.

So an audited write holds the gate (shared) from before it takes its time stamp until it commits,
and a digest claim takes the gate (exclusively) before its window is fixed: the claim waits for the
writes in flight, and every write after it stamps a later time. On SQLite, BEGIN IMMEDIATE already
serializes all writers, claims included; on PostgreSQL the gate is a transaction advisory lock.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.locks import advisory_xact_lock, begin_write
from bot.store.receipts import record_receipt

AUDIT_GATE_KEY = 0x42_52_49_47  # an arbitrary constant naming the advisory lock


async def enter_audited_write(session: AsyncSession) -> None:
    """Start the session's transaction as an audited write (call before taking the time stamp).

    The write's interaction receipt (if a Discord interaction asked for it) joins the transaction.
    """
    await begin_write(session)
    await advisory_xact_lock(session, AUDIT_GATE_KEY, shared=True)
    await record_receipt(session)


async def close_audit_window(session: AsyncSession) -> None:
    """Start a digest claim's transaction: wait until no audited write is in flight."""
    await begin_write(session)
    await advisory_xact_lock(session, AUDIT_GATE_KEY)
