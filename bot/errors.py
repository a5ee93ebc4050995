"""The project's own exceptions; the command tree's error handler turns them into ephemeral replies."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime


class BriefingError(Exception):
    """Base class: an expected failure with a message fit to show the user."""


class NotFound(BriefingError):
    """No actor, topic or entry matches what the user gave."""

    def __init__(self, kind: str, given: str, suggestions: Sequence[str] = ()) -> None:
        self.kind = kind
        self.given = given
        self.suggestions = tuple(suggestions)
        super().__init__(f"no {kind} matches {given!r}")


class Ambiguous(NotFound):
    """What the user gave is a word of several actors' or topics' names (and no slug, name or
    alias): `candidates` are their (slug, name), so the reply can ask which one."""

    def __init__(self, kind: str, given: str, candidates: Sequence[tuple[str, str]]) -> None:
        super().__init__(kind, given, [slug for slug, _ in candidates])
        self.candidates = tuple(candidates)


class InvalidInput(BriefingError):
    """A value the user typed is not acceptable; `field` names the option."""

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")


class Forbidden(BriefingError):
    """The user lacks the permission the action needs; `missing` says which."""

    def __init__(self, missing: str) -> None:
        self.missing = missing
        super().__init__(missing)


class AlreadyDecided(BriefingError):
    """Another curator already accepted or rejected this draft (or is accepting it right now)."""

    def __init__(self, draft_id: int, status: str, user_id: int) -> None:
        self.draft_id, self.status, self.user_id = draft_id, status, user_id
        verb = "being accepted" if status == "accepting" else status
        super().__init__(f"Draft {draft_id} is already {verb} by <@{user_id}>.")


class StaleEdit(BriefingError):
    """Someone saved the entry after the editor opened the form: saving would overwrite them."""

    def __init__(self, entry_id: str, user_id: int, at: datetime) -> None:
        self.entry_id = entry_id
        self.user_id = user_id
        self.at = at
        super().__init__(
            f"Not saved: `{entry_id}` was changed by <@{user_id}> at {at:%Y-%m-%d %H:%M} UTC "
            "after you opened the form — reopen the form (`/admin entry-edit`) to edit the new text."
        )
