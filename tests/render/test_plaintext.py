"""embed_to_text / pages_to_text: the CLI preview of an embed."""

from __future__ import annotations

import discord

from bot.render import embed_to_text, pages_to_text
from bot.render.plaintext import RULE


def _embed() -> discord.Embed:
    embed = discord.Embed(title="Title", description="See [Reuters](https://r.io/x) and \\*stars\\*")
    embed.add_field(name="Field", value="value `code`")
    embed.set_footer(text="Page 1/2")
    return embed


def test_shows_title_description_fields_footer_in_order() -> None:
    """All visible parts appear, in the order Discord shows them."""
    text = embed_to_text(_embed())
    order = [text.index(part) for part in ("Title", "See", "▸ Field", "value `code`", "— Page 1/2")]
    assert order == sorted(order)


def test_links_show_label_and_url() -> None:
    """A masked link reads `label <url>` so the preview shows where it goes."""
    assert "See Reuters <https://r.io/x>" in embed_to_text(_embed())


def test_escapes_are_removed() -> None:
    """Backslash escapes are dropped: the preview shows what the reader sees."""
    assert "and *stars*" in embed_to_text(_embed())


def test_author_is_shown_first() -> None:
    """An author line, when set, comes first."""
    embed = discord.Embed(title="T").set_author(name="Briefing bot")
    assert embed_to_text(embed).startswith("Briefing bot")


def test_empty_embed_gives_empty_text() -> None:
    """An embed with nothing in it previews as nothing."""
    assert embed_to_text(discord.Embed()) == ""


def test_pages_are_separated_by_a_rule() -> None:
    """Several pages are shown one after another, separated by a rule."""
    text = pages_to_text([_embed(), _embed()])
    assert text.count(RULE) == 1
    assert text.count("Title") == 2
