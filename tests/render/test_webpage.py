"""answer_html: an answer as Discord draws it, for `preview --html`."""

from __future__ import annotations

import re

from bot.domain import Briefing, Stance
from bot.render import brief_embed, entry_choices
from bot.render.webpage import answer_html, markdown
from tests.render.builders import HOSTILE, actor, event, position, topic


def test_markdown_renders_and_stored_text_cannot_inject_markup() -> None:
    """Bold, links and escapes become tags or plain characters; HTML in stored text stays text."""
    assert markdown("**neutral** \\*not bold\\*") == "<strong>neutral</strong> &#42;not bold&#42;"
    assert markdown("[AP](https://ap.example/x)") == '<a href="https://ap.example/x">AP</a>'
    assert markdown("[x](javascript:alert(1))") == "[x](javascript:alert(1))"
    assert "<script" not in markdown("<script>alert(1)</script>" + HOSTILE)
    assert markdown("grid:\n```\nRU  C **O**\n```") == "grid:\n<pre><code>RU  C **O**</code></pre>"


def test_brief_page_has_no_raw_markdown_and_no_ids_in_the_list() -> None:
    """The /brief page shows bold names, the menu's labels, and neither `**` nor an entry id."""
    b = Briefing(
        topic(),
        (
            position("ru-cf-2025", stance=Stance.CONDITIONAL),
            position("ua-cf", who=actor("ukraine", "Ukraine")),
        ),
        (event("ev-jeddah"),),
        1,
    )
    page = answer_html([[brief_embed(b)]], menus=[entry_choices([*b.positions, *b.latest_events])])
    text = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    assert "<strong>Russia</strong>" in text and "Open an entry…" in text
    assert "**" not in text and "\\*" not in text
    assert not any(i in text for i in ("ru-cf-2025", "ua-cf", "ev-jeddah"))
