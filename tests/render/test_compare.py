"""compare_embed: two actors side by side on one topic."""

from __future__ import annotations

import dataclasses

from bot.domain import Stance, Status
from bot.render import compare_embed
from bot.render.style import DISPUTED, NEUTRAL, STANCE_COLOUR
from tests.render.builders import (
    HOSTILE,
    actor,
    assert_sendable,
    foot,
    fval,
    huge_position,
    long_text,
    position,
    topic,
)

RU, UA = actor(), actor("ukraine", "Ukraine")


def test_side_by_side_inline_fields() -> None:
    """Each actor gets an inline field headed by their name."""
    embed = compare_embed(topic(), RU, position(), UA, position("ua", who=UA, stance=Stance.OPPOSES))
    assert embed.title == "Russia vs Ukraine — Ceasefire talks"
    assert [((f.name or ""), f.inline) for f in embed.fields] == [("Russia", True), ("Ukraine", True)]
    assert fval(embed, 0).startswith("**🟢 Supports**")
    assert fval(embed, 1).startswith("**🔴 Opposes**")


def test_missing_position_says_no_recorded_position() -> None:
    """None on either side reads 'No recorded position'."""
    embed = compare_embed(topic(), RU, position(), UA, None)
    assert "No recorded position for Ukraine" in fval(embed, 1)
    assert_sendable(embed)


def test_fields_show_date_id_and_sources() -> None:
    """Each side has the date at precision and a source link; no id (the menu opens the entry)."""
    value = fval(compare_embed(topic(), RU, position(stated="2024"), UA, None), 0)
    assert "📅 2024" in value
    assert "ru-ceasefire" not in value
    assert "[Reuters](https://news.example/1)" in value


def test_colour_agreement_disagreement_and_dispute() -> None:
    """Same stance → its colour; different → neutral; any disputed → disputed colour."""
    same = compare_embed(topic(), RU, position(), UA, position("u", who=UA))
    differ = compare_embed(topic(), RU, position(), UA, position("u", who=UA, stance=Stance.OPPOSES))
    disputed = compare_embed(topic(), RU, position(status=Status.DISPUTED), UA, None)
    assert same.colour == STANCE_COLOUR[Stance.SUPPORTS]
    assert differ.colour == NEUTRAL
    assert disputed.colour == DISPUTED


def test_both_missing() -> None:
    """Two missing positions still give a valid embed saying so twice."""
    embed = compare_embed(topic(), RU, None, UA, None)
    assert all("No recorded position" in (f.value or "") for f in embed.fields)


def test_maximal_positions_fit() -> None:
    """500-char names and titles with maximal positions on both sides fit."""
    big_a, big_b = actor(name=long_text(500)), actor("b", long_text(500, "b"))
    embed = compare_embed(topic(title=long_text(500)), big_a, huge_position(1), big_b, huge_position(2))
    assert_sendable(embed)


def test_hostile_text_cannot_break_markup() -> None:
    """Hostile names, summaries and notes are shown inertly."""
    evil = actor(name=HOSTILE)
    p = position(who=evil, summary=HOSTILE, status=Status.DISPUTED, status_note=HOSTILE)
    assert_sendable(compare_embed(topic(title=HOSTILE), evil, p, evil, None))


def test_leads_with_the_two_gists() -> None:
    """The description opens with each side's position in one line: its gist, or its summary's first
    sentence when it has none."""
    gisted = dataclasses.replace(position(), gist="Wants a truce first.")
    embed = compare_embed(topic(), RU, gisted, UA, position("ua", who=UA, stance=Stance.OPPOSES))
    lines = (embed.description or "").split("\n")
    assert lines[:2] == [
        "🟢 **Russia** — Supports: Wants a truce first.",
        "🔴 **Ukraine** — Opposes: Backs a ceasefire along current lines.",
    ]


def test_footer_points_at_the_menu_only_when_there_is_one() -> None:
    """The ids are not in the text: the footer sends the reader to the menu under the message, and
    says nothing of it when neither actor has a position (the answer then has no menu)."""
    assert foot(compare_embed(topic(), RU, position(), UA, None)) == (
        "Open an entry… below for every source and earlier statements"
    )
    assert foot(compare_embed(topic(), RU, None, UA, None)) == ""
