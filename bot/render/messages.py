"""Plain message texts (not embeds): `not_found_text`, `ambiguous_text` and `error_text`."""

from __future__ import annotations

from collections.abc import Sequence

from bot.render import limits
from bot.render.budget import fit_lines
from bot.render.text import code, inline

GIVEN_LIMIT = 100
SUGGESTIONS_LIMIT = 600


#: Where to look next, by what was not found.
NEXT_STEP: dict[str, str] = {
    "actor": "See `/actors`",
    "topic": "See `/topics`",
    "entry": "Find it with `/search`",
    "subscription": "See `/digest list`",
}


def not_found_text(kind: str, given: str, suggestions: Sequence[str]) -> str:
    """`No actor matches `atlantis`. See `/actors`, or try: `russia`.` (hostile input cannot break it)."""
    shown = code(given, GIVEN_LIMIT) if given.strip() else "an empty name"
    text = f"No {inline(kind, 40) or 'entry'} matches {shown}."
    step = NEXT_STEP.get(kind)
    if suggestions:
        options = [code(s, 60) for s in suggestions]
        lead = f" {step}, or try: " if step else " Try: "
        room = min(SUGGESTIONS_LIMIT, limits.CONTENT - len(text) - len(lead) - 1)
        text += f"{lead}{fit_lines(options, room, sep=', ')}."
    elif step:
        text += f" {step}."
    return text


CANDIDATES_LIMIT = 1200
"""Characters of an ambiguous name's list of candidates (the rest is counted, not shown)."""


def ambiguous_text(
    kind: str, given: str, candidates: Sequence[tuple[str, str]], *, menu: bool = False
) -> str:
    """Which of several actors or topics a word of their names meant: one line per (slug, name),
    and how to say which (`menu`: a menu under the message opens one). Hostile names and input
    cannot break it."""
    what = inline(kind, 40) or "item"
    lines = [f"• {code(slug, 60)} — {inline(name, 100)}" for slug, name in candidates]
    head = f"{code(given, GIVEN_LIMIT)} is in the name of {len(candidates)} {what}s. Which one?"
    how = (
        "Pick it below, or give its slug." if menu else "Give its slug, or pick it from the list as you type."
    )
    step = how + (f" {NEXT_STEP[kind]}." if kind in NEXT_STEP else "")
    room = min(CANDIDATES_LIMIT, limits.CONTENT - len(head) - len(step) - 2)
    return f"{head}\n{fit_lines(lines, room)}\n{step}"


def error_text(reference: str) -> str:
    """The apology for an unexpected error, quoting `reference` for the admins' logs."""
    return (
        "Sorry — something went wrong on our side and it has been logged. "
        f"Please try again; if it keeps happening, tell a server admin and quote {code(reference, 60)}."
    )
