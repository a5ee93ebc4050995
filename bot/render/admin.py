"""Curator views: an entry's revision history and an import's dry-run report."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.domain import Revision
from bot.render.entry import _revision_line
from bot.render.pager import join_footer, page_label, paginate, section
from bot.render.style import DISPUTED, NEUTRAL
from bot.render.text import code, escape, plural, truncate

MAX_PROBLEM_LINE = 300


def history_pages(entry_id: str, revisions: Sequence[Revision]) -> list[discord.Embed]:
    """Every revision of an entry, oldest first: who, when, what changed (before → after), why."""
    lines = [_revision_line(r) for r in revisions] or ["No recorded changes."]
    return paginate(
        title=f"History of {code(entry_id, 80)}",
        description=f"{plural(len(revisions), 'recorded change')}, oldest first.",
        fields=section(f"Revisions ({len(revisions)})", lines),
        colour=NEUTRAL,
        footer=lambda n, c: join_footer(
            page_label(n, c),
            f"page:{n + 1} shows the next" if n < c else "",
            "/entry id:<id> shows the current text",
        ),
    )


def import_report_embed(
    filename: str,
    *,
    added: Sequence[str],
    changed: Sequence[str],
    unchanged: int,
    problems: Sequence[str],
    applied: bool,
) -> discord.Embed:
    """What an import would do (dry run), did, or why it was refused (file/entry/field: reason)."""
    if problems:
        title, colour = f"Import refused: {len(problems)} problem(s)", DISPUTED
        summary = "Nothing was written. Fix these and upload the file again."
    elif applied:
        title, colour = "Import applied", NEUTRAL
        summary = f"Added {len(added)}, changed {len(changed)}, unchanged {unchanged}."
    else:
        title, colour = "Import dry run: nothing written yet", NEUTRAL
        summary = f"Would add {len(added)}, change {len(changed)}; {unchanged} unchanged. Confirm to apply."
    fields = []
    if problems:
        fields += section(
            f"Problems ({len(problems)})", [f"• {escape(truncate(p, MAX_PROBLEM_LINE))}" for p in problems]
        )
    if added:
        fields += section(f"Added ({len(added)})", [f"+ {code(a, 90)}" for a in added])
    if changed:
        fields += section(f"Changed ({len(changed)})", [f"~ {code(c, 90)}" for c in changed])
    pages = paginate(
        title=title,
        description=f"File: {code(filename, 100)}\n{summary}",
        fields=fields,
        colour=colour,
        footer=lambda n, c: join_footer(page_label(n, c)),
    )
    if len(pages) > 1:
        first = pages[0]
        first.set_footer(text=f"{first.footer.text or ''} · first page of {len(pages)} shown".strip(" ·"))
    return pages[0]
