"""The visual vocabulary: stance and status labels, markers and embed colours, used by every view."""

from __future__ import annotations

import discord

from bot.domain import ActorKind, Stance, Status

STANCE_MARKER: dict[Stance, str] = {
    Stance.SUPPORTS: "🟢",
    Stance.OPPOSES: "🔴",
    Stance.CONDITIONAL: "🟡",
    Stance.AMBIGUOUS: "⚪",
}
STANCE_LABEL: dict[Stance, str] = {
    Stance.SUPPORTS: "Supports",
    Stance.OPPOSES: "Opposes",
    Stance.CONDITIONAL: "Conditional",
    Stance.AMBIGUOUS: "Ambiguous",
}
STANCE_COLOUR: dict[Stance, discord.Colour] = {
    Stance.SUPPORTS: discord.Colour(0x2ECC71),
    Stance.OPPOSES: discord.Colour(0xE74C3C),
    Stance.CONDITIONAL: discord.Colour(0xF1C40F),
    Stance.AMBIGUOUS: discord.Colour(0xBDC3C7),
}
STATUS_LABEL: dict[Status, str] = {
    Status.VERIFIED: "✅ Verified",
    Status.REPORTED: "📰 Reported",
    Status.DISPUTED: "⚠️ Disputed",
}
KIND_LABEL: dict[ActorKind, str] = {
    ActorKind.STATE: "🏛️ State",
    ActorKind.ORGANISATION: "🏢 Organisation",
    ActorKind.ALLIANCE: "🤝 Alliance",
    ActorKind.PERSON: "👤 Person",
}

NEUTRAL = discord.Colour(0x5865F2)
"""Lists, timelines, search: no single stance to show."""
DISPUTED = discord.Colour(0xE67E22)
"""Anything whose main subject is disputed: never mistaken for a stance colour."""
EMPTY = discord.Colour(0x4F545C)
"""Nothing recorded."""

SERVER_NOTE = "🏠 server note"
SUPERSEDED = "🕰️ superseded"
REMOVED = "🗑️ removed"
POSITION_KIND = "📌 Position"
EVENT_KIND = "🗓️ Event"


def stance_text(stance: Stance) -> str:
    """`🟢 Supports`: the marker and label used everywhere a stance is shown."""
    return f"{STANCE_MARKER[stance]} {STANCE_LABEL[stance]}"


def stance_colour(stance: Stance, status: Status = Status.REPORTED) -> discord.Colour:
    """The embed colour for one stance; disputed entries get the disputed colour instead."""
    return DISPUTED if status is Status.DISPUTED else STANCE_COLOUR[stance]
