"""An exception's chain of causes and its reason in words; shared by the failure explainers of
`bot/db` and `bot/discord_app` (stdlib only)."""

from __future__ import annotations


def exception_chain(exc: BaseException) -> list[BaseException]:
    """The exception, what it wraps (`orig`) and its causes, outermost first, without loops."""
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop(0)
        if current is None or any(current is s for s in seen):
            continue
        seen.append(current)
        todo += [getattr(current, "orig", None), current.__cause__, current.__context__]
    return seen


def reason(exc: BaseException) -> str:
    """The OS's words for an OSError, else the first line of the message (else the type's name)."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
