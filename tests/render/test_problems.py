"""embed_problems / message_problems report every broken Discord limit."""

from __future__ import annotations

import discord

from bot.render import embed_problems, message_problems, pages_problems


def test_clean_embed_has_no_problems() -> None:
    """A small ordinary embed passes."""
    embed = discord.Embed(title="t", description="d").add_field(name="n", value="v")
    assert embed_problems(embed) == []


def test_reports_each_oversized_part() -> None:
    """Title, description, field name/value, footer and author over their limits are each named."""
    embed = discord.Embed(title="t" * 257, description="d" * 4097)
    embed.add_field(name="n" * 257, value="v" * 1025)
    embed.set_footer(text="f" * 2049)
    embed.set_author(name="a" * 257)
    problems = " | ".join(embed_problems(embed))
    for part in ("title", "description", "field 1 name", "field 1 value", "footer", "author", "embed totals"):
        assert part in problems


def test_reports_too_many_fields() -> None:
    """26 fields are one too many."""
    embed = discord.Embed()
    for i in range(26):
        embed.add_field(name=str(i), value="v")
    assert any("26 fields" in p for p in embed_problems(embed))


def test_reports_empty_field_name_and_value() -> None:
    """Empty or blank field parts are rejected by Discord, so they are reported."""
    embed = discord.Embed().add_field(name=" ", value="")
    assert embed_problems(embed) == ["field 1 name is empty", "field 1 value is empty"]


def test_reports_total_over_6000() -> None:
    """Parts each within limits can still break the 6000 total."""
    embed = discord.Embed(description="d" * 4000)
    for _ in range(3):
        embed.add_field(name="n", value="v" * 1000)
    assert embed_problems(embed) == ["embed totals 7003 characters (limit 6000)"]


def test_message_problems_counts_total_across_embeds() -> None:
    """Two embeds of 4000 characters each are fine alone but not in one message."""
    embeds = [discord.Embed(description="d" * 4000), discord.Embed(description="d" * 4000)]
    assert message_problems(embeds) == ["embeds total 8000 characters (limit 6000)"]


def test_message_problems_counts_embeds() -> None:
    """Eleven embeds are one too many for a message."""
    assert message_problems([discord.Embed(title="x") for _ in range(11)]) == [
        "11 embeds in one message (limit 10)"
    ]


def test_pages_problems_checks_each_page_alone() -> None:
    """Pages are sent one at a time, so only per-embed limits apply, labelled by page."""
    pages = [discord.Embed(description="d" * 4000), discord.Embed(title="t" * 300)]
    assert pages_problems(pages) == ["page 2: title is 300 characters (limit 256)"]
