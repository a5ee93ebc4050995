"""Plain message texts (not embeds): `not_found_text` and `error_text`."""

from __future__ import annotations

from collections.abc import Sequence

from bot.render import limits
from bot.render.budget import fit_lines
from bot.render.text import code, inline

GIVEN_LIMIT = 100
SUGGESTIONS_LIMIT = 600


def not_found_text(kind: str, given: str, suggestions: Sequence[str]) -> str:
    """`No actor matches `foo`. Did you mean: `russia`, `ukraine`?` (hostile input cannot break it)."""
    shown = code(given, GIVEN_LIMIT) if given.strip() else "an empty name"
    text = f"No {inline(kind, 40) or 'entry'} matches {shown}."
    if suggestions:
        options = [code(s, 60) for s in suggestions]
        room = min(SUGGESTIONS_LIMIT, limits.CONTENT - len(text) - len(" Did you mean: ?"))
        text += f" Did you mean: {fit_lines(options, room, sep=', ')}?"
    return text


def error_text(reference: str) -> str:
    """The apology for an unexpected error, quoting `reference` for the admins' logs."""
    return (
        "Sorry — something went wrong on our side and it has been logged. "
        f"Please try again; if it keeps happening, tell a server admin and quote {code(reference, 60)}."
    )
