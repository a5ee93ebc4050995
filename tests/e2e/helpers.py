"""Small readers for what a user sees in a simulated Discord message."""

from __future__ import annotations

from typing import Any

from tests.discord_sim import DiscordSimulator
from tests.discord_sim.handles import InteractionHandle
from tests.discord_sim.messages import SimMessage


def embed_text(message: SimMessage) -> str:
    """Every visible string of the message's embeds, joined (for 'the user can read X' checks)."""
    parts: list[str] = [message.content or ""]
    for embed in message.embeds:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        for f in embed.get("fields") or []:
            parts += [f.get("name") or "", f.get("value") or ""]
        parts.append((embed.get("footer") or {}).get("text") or "")
    return "\n".join(parts)


def buttons(message: SimMessage) -> list[dict[str, Any]]:
    """The message's buttons, in order."""
    return [c for row in message.components for c in row.get("components", []) if c.get("type") == 2]


def button(message: SimMessage, label_part: str) -> dict[str, Any]:
    """The first button whose label contains `label_part`."""
    for b in buttons(message):
        if label_part in (b.get("label") or ""):
            return b
    raise AssertionError(f"no button labelled {label_part!r} in {[b.get('label') for b in buttons(message)]}")


async def answer(handle: InteractionHandle) -> SimMessage:
    """What the user ends up reading: the immediate reply, or the deferred one once it is filled in."""
    response = await handle.response()
    if response.deferred:
        return await handle.original()
    assert response.message is not None, response.type_name
    return response.message


def callbacks(sim: DiscordSimulator, handle: InteractionHandle) -> list[tuple[dict[str, str], int]]:
    """The (query, status) of each response callback the bot sent for `handle`."""
    prefix = f"/interactions/{handle.id}/"
    return [(r.query, r.status) for r in sim.requests if r.method == "POST" and r.path.startswith(prefix)]
