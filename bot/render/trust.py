"""What tells a reader how far to trust an entry: source tiers and roles, caveats, and corrections
that are shown whole or cut only at a sentence end."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from bot.dataset.tiers import Tier, TierTable, active_tiers
from bot.domain import Event, Position, Source, SourceRole, Status, Verification
from bot.render import hints
from bot.render.text import escape, inline, link, one_line

DISPUTED_LABEL: Final = "⚠️ **Disputed**"
CAVEAT: Final = "ℹ️"
TIER_BADGE: Final = {
    Tier.OFFICIAL: "🏛️ official",
    Tier.WIRE: "📡 wire",
    Tier.PRESS: "🗞️ press",
    Tier.AGGREGATOR: "🔁 aggregator",
}
VERIFICATION_TEXT: Final = {
    Verification.SINGLE_SOURCE: "Single source: no second independent source has been found.",
    Verification.UNVERIFIED: "Unverified: reported, but not confirmed by a source we could read.",
}
ROLE_SECTION: Final = {SourceRole.CLAIM: "Claimed in", SourceRole.EVIDENCE: "Settled by"}

# A sentence ends at . ! ? or … (with any closing quotes or brackets) before whitespace and a
# capital, digit or opening quote, or at the end of the text. A single capital before the full
# stop (an initial, or the "S." of "U.S.") does not end one.
_SENTENCE_END = re.compile(r"(?<!\\)(?<!\b[A-Z])[.!?…][\"'”’»)\]]*(?=\s+[\"'“‘«(\[]?[A-Z0-9]|\s*$)")


def sentence_ends(text: str) -> list[int]:
    """Offsets just after each sentence end of `text` (the last is `len(text)` when it ends one)."""
    return [match.end() for match in _SENTENCE_END.finditer(text)]


def pointer(entry_id: str) -> str:
    """What follows a shortened correction: `— /entry id:<id> for the full correction`."""
    return f"— {hints.entry(entry_id)} for the full correction"


def correction(note: str, entry_id: str, limit: int | None = None) -> str:
    """The disputed banner `⚠️ **Disputed** — <correction>` within `limit` characters.

    Whole when it fits (always, with no limit); otherwise as many whole sentences as fit, then the
    pointer to `/entry`; only the label and the pointer when not even one sentence fits; only the
    label when the pointer does not fit either. Never cut inside a sentence.
    """
    text = one_line(note)
    whole = f"{DISPUTED_LABEL} — {escape(text)}" if text else DISPUTED_LABEL
    if limit is None or len(whole) <= limit:
        return whole
    tail = pointer(entry_id)
    for end in reversed(sentence_ends(text)):
        shown = f"{DISPUTED_LABEL} — {escape(text[:end])} {tail}"
        if len(shown) <= limit:
            return shown
    shown = f"{DISPUTED_LABEL} {tail}"
    if len(shown) <= limit:
        return shown
    return DISPUTED_LABEL if len(DISPUTED_LABEL) <= limit else ""


def disputed_banner(entry: Position | Event, limit: int | None = None) -> str:
    """`correction` for a disputed entry; empty for others."""
    if entry.status is not Status.DISPUTED:
        return ""
    return correction(entry.status_note, entry.id, limit)


def has_caveat(entry: Position | Event) -> bool:
    """True when a verified/reported entry carries a note or a verification caveat (shown as ℹ️)."""
    if entry.verification is not None:
        return True
    return entry.status is not Status.DISPUTED and bool(one_line(entry.status_note))


def _flags(entry: Position | Event) -> list[str]:
    """The marks shown by an entry's name: ⚠️ when disputed, ℹ️ when it carries a caveat."""
    return [*(["⚠️"] if entry.status is Status.DISPUTED else []), *([CAVEAT] if has_caveat(entry) else [])]


def flags_after(entry: Position | Event) -> str:
    """` ⚠️ ℹ️` (those that apply), to follow a name."""
    return "".join(f" {flag}" for flag in _flags(entry))


def flags_before(entry: Position | Event) -> str:
    """`⚠️ ℹ️ ` (those that apply), to lead a title."""
    return "".join(f"{flag} " for flag in _flags(entry))


def caveat_lines(entry: Position | Event) -> list[str]:
    """The caveats in full: `ℹ️ <status note>` (not disputed entries) and `ℹ️ <verification>`."""
    lines = []
    if entry.status is not Status.DISPUTED and one_line(entry.status_note):
        lines.append(f"{CAVEAT} {escape(one_line(entry.status_note))}")
    if entry.verification is not None:
        lines.append(f"{CAVEAT} {VERIFICATION_TEXT[entry.verification]}")
    return lines


def tier_badge(source: Source, table: TierTable | None = None) -> str:
    """`🏛️ official`, `📡 wire`, `🗞️ press` or `🔁 aggregator` for one source."""
    return TIER_BADGE[(table or active_tiers()).of(source)]


def strongest_first(sources: Sequence[Source], table: TierTable | None = None) -> list[Source]:
    """`sources` by tier, official first, in their curated order within a tier: a line that shows
    only the first few then leads with the ones a careful reader trusts most."""
    tiers = table or active_tiers()
    return sorted(sources, key=lambda source: tiers.of(source).rank)


def publisher_link(source: Source) -> str:
    """`[Outlet](url)`, with ` (via Agency)` when it republishes an agency's copy."""
    text = link(source.publisher or source.title, source.url)
    if source.via.strip():
        text += f" (via {inline(source.via, 60)})"
    return text


def role_groups(sources: Sequence[Source]) -> list[tuple[str, list[tuple[int, Source]]]]:
    """Sources numbered from 1 and grouped: `Claimed in`, `Settled by`, then `Sources` without a role.

    Groups with no sources are left out; an entry whose sources have no roles gets one `Sources` group.
    """
    numbered = list(enumerate(sources, start=1))
    groups = [(ROLE_SECTION[role], [(n, s) for n, s in numbered if s.role is role]) for role in SourceRole]
    groups.append(("Sources", [(n, s) for n, s in numbered if s.role is None]))
    return [(name, items) for name, items in groups if items]
