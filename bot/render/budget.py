"""Fitting lists of lines into character budgets: stop cleanly with "… and N more", or split into chunks."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.render.text import truncate


def and_more(count: int) -> str:
    """The default marker for what did not fit."""
    return f"… and {count} more"


def fit_lines(
    lines: Sequence[str],
    limit: int,
    *,
    sep: str = "\n",
    more: Callable[[int], str] = and_more,
) -> str:
    """Join as many `lines` as fit in `limit` characters; if some are left out, end with `more(n)`.

    A first line too long on its own is truncated rather than dropped; the result never exceeds `limit`.
    """
    out: list[str] = []
    used = 0
    total = len(lines)
    for index, line in enumerate(lines):
        left_after = total - index - 1
        reserve = len(sep) + len(more(left_after)) if left_after else 0
        cost = len(line) + (len(sep) if out else 0)
        if used + cost + reserve <= limit:
            out.append(line)
            used += cost
            continue
        if not out:
            shortened = truncate(line, limit - reserve)
            if shortened:
                out.append(shortened)
                used += len(shortened)
                if not left_after:
                    break
                index += 1
        rest = total - index
        if rest:
            out.append(more(rest))
        break
    return truncate(sep.join(out), limit)


def pack_lines(lines: Sequence[str], limit: int, *, sep: str = "\n") -> list[str]:
    """Split `lines` into chunks of at most `limit` characters, keeping every line (over-long ones shortened)."""
    chunks: list[str] = []
    current: list[str] = []
    used = 0
    for raw in lines:
        line = truncate(raw, limit)
        cost = len(line) + (len(sep) if current else 0)
        if current and used + cost > limit:
            chunks.append(sep.join(current))
            current, used = [], 0
            cost = len(line)
        current.append(line)
        used += cost
    if current:
        chunks.append(sep.join(current))
    return chunks


def share_budget(sizes: Sequence[int], total: int) -> list[int]:
    """Split `total` among items wanting `sizes`: small items get all they want, large ones share the rest."""
    shares = [0] * len(sizes)
    pending = sorted(range(len(sizes)), key=lambda i: sizes[i])
    left = max(0, total)
    while pending:
        fair = left // len(pending)
        index = pending[0]
        if sizes[index] <= fair:
            shares[index] = sizes[index]
            left -= sizes[index]
            pending.pop(0)
            continue
        for index in pending:
            shares[index] = fair
        break
    return shares
