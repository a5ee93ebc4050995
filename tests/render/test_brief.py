"""brief_embed: the one-screen view of a topic."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.domain import Briefing, Stance, Status
from bot.render import brief_embed
from tests.render.builders import (
    HOSTILE,
    actor,
    assert_sendable,
    desc,
    event,
    foot,
    fval,
    huge_event,
    huge_position,
    long_text,
    position,
    texts,
    topic,
)


def _brief(**kwargs: object) -> Briefing:
    values: dict[str, object] = {
        "topic": topic(summary="Negotiations on a ceasefire."),
        "positions": (
            position("ru-cf", stance=Stance.CONDITIONAL, stated="2025-03"),
            position("ua-cf", who=actor("ukraine", "Ukraine"), status=Status.DISPUTED, guild_id=7),
        ),
        "latest_events": (event("ev-1"), event("ev-2", title="Talks stall", status=Status.DISPUTED)),
        "event_count": 12,
    }
    values.update(kwargs)
    return Briefing(**values)  # type: ignore[arg-type]


def test_title_and_summary() -> None:
    """The title names the topic and the description holds its summary."""
    embed = brief_embed(_brief())
    assert embed.title == "📋 Briefing — Ceasefire talks"
    assert desc(embed) == "Negotiations on a ceasefire."


def test_one_line_per_actor_with_stance_gist_and_date() -> None:
    """Each actor's stance is one line: marker, name, label, the gist, date at precision — no id."""
    gisted = replace(position("ru-cf", stance=Stance.CONDITIONAL, stated="2025-03"), gist="Wants a *halt*.")
    lines = fval(brief_embed(_brief(positions=(gisted,))), 0).split("\n")
    assert lines[0] == "🟡 **Russia** — Conditional: Wants a \\*halt\\*. (Mar 2025)"
    assert "ru-cf" not in texts(brief_embed(_brief()))


def test_without_a_gist_the_summary_first_sentence_stands_in() -> None:
    """No gist yet: the summary's first sentence, cut at a word boundary — never nothing."""
    long = replace(position("x"), summary="word " * 60 + "end. Second sentence.")
    line = fval(brief_embed(_brief(positions=(long,))), 0)
    shown = line.split(": ", 1)[1].rsplit(" (", 1)[0]
    assert shown.endswith("…") and len(shown) <= 120
    assert "Second" not in line and " wor…" not in line


def test_disputed_and_local_stances_are_marked() -> None:
    """A disputed stance carries ⚠️ by the name; a server-only one its note on its line."""
    line = fval(brief_embed(_brief()), 0).split("\n")[1]
    assert line.startswith("🟢 **Ukraine** ⚠️ — Supports: ")
    assert "🏠 server note" in line


def test_latest_events_are_short_lines() -> None:
    """Latest events show date, title and id, with disputed ones flagged."""
    field = brief_embed(_brief()).fields[-1]
    assert (field.name or "") == "Latest events"
    assert (field.value or "").split("\n") == [
        "📅 11 Mar 2025 — Jeddah talks",
        "📅 11 Mar 2025 — ⚠️ Talks stall",
    ]


def test_footer_counts_events_and_hints_timeline() -> None:
    """The footer gives the event count and the command for the full timeline."""
    assert foot(brief_embed(_brief())).startswith("12 events · /timeline topic:ceasefire for all")


def test_empty_briefing_says_nothing_recorded() -> None:
    """No positions and no events give clear placeholder lines."""
    embed = brief_embed(_brief(positions=(), latest_events=(), event_count=0))
    assert fval(embed, 0) == "No recorded positions yet."
    assert fval(embed, 1) == "No events recorded yet."
    assert_sendable(embed)


def test_sixty_huge_positions_fit_and_the_rest_are_counted() -> None:
    """With 60 maximal positions every shown actor is whole and the rest are counted as `… and N more`."""
    positions = tuple(huge_position(i, who=actor(f"a{i}", long_text(500))) for i in range(60))
    embed = brief_embed(
        _brief(
            topic=topic(title=long_text(500), summary=long_text(5000)),
            positions=positions,
            latest_events=tuple(huge_event(i) for i in range(20)),
        )
    )
    assert_sendable(embed)
    text = texts(embed)
    shown = text.count("** ⚠️ — ")
    more = re.search(r"… and (\d+) more actors", text)
    assert more is not None
    assert shown + int(more.group(1)) == 60


def test_many_events_are_counted_not_dropped() -> None:
    """Events beyond the field's room end with `… and N more`."""
    events = tuple(huge_event(i) for i in range(20))
    embed = brief_embed(_brief(latest_events=events))
    assert "more" in fval(embed, -1).split("\n")[-1]


def test_hostile_text_cannot_break_markup() -> None:
    """Markdown, mentions and javascript: links in names and summary are shown inertly."""
    embed = brief_embed(
        _brief(
            topic=topic(title=HOSTILE, summary=HOSTILE),
            positions=(position("x", who=actor(name=HOSTILE)),),
            latest_events=(event(title=HOSTILE),),
        )
    )
    assert_sendable(embed)
