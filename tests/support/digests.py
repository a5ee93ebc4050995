"""Digest helpers for tests: what the deliveries table holds."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.models import DigestDeliveryRow


async def delivery_statuses(engine: AsyncEngine, subscription_id: int) -> list[str]:
    """The status of every delivery of one subscription, oldest first."""
    stmt = (
        select(DigestDeliveryRow.status)
        .where(DigestDeliveryRow.subscription_id == subscription_id)
        .order_by(DigestDeliveryRow.id)
    )
    async with engine.connect() as conn:
        return list((await conn.scalars(stmt)).all())
