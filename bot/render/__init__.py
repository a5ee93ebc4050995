"""The renderer: pure functions from domain objects to Discord embeds and message texts.

It is the only package that knows Discord's size limits: every function returns embeds that
`embed_problems` finds nothing wrong with, shortening text cleanly and continuing on further
pages instead of failing. It never touches the database and does no I/O.
"""

from bot.render.brief import brief_embed
from bot.render.budget import and_more, fit_lines, pack_lines, share_budget
from bot.render.catalog import actors_pages, topics_pages
from bot.render.chart import CHART_FILENAME, chart_embed, timeline_chart_png
from bot.render.choices import MAX_OPTIONS, MENU_PLACEHOLDER, Choice, entry_choices
from bot.render.entry import entry_pages
from bot.render.messages import ambiguous_text, error_text, not_found_text
from bot.render.plaintext import embed_to_text, menu_text, pages_to_text
from bot.render.positions import (
    POSITIONS_PER_PAGE,
    compare_embed,
    positions_embed,
)
from bot.render.problems import embed_problems, message_problems, pages_problems
from bot.render.search import MAX_HITS_SHOWN, search_embed
from bot.render.stance_map import (
    MAP_FILENAME,
    MAP_MAX_ACTORS,
    MAP_MAX_TOPICS,
    stance_map_embed,
    stance_map_png,
)
from bot.render.style import stance_colour, stance_text
from bot.render.text import escape, safe_url, split_text, truncate
from bot.render.timeline import TIMELINE_PAGE_SIZE, timeline_embed

__all__ = [
    "CHART_FILENAME",
    "MAP_FILENAME",
    "MAP_MAX_ACTORS",
    "MAP_MAX_TOPICS",
    "MAX_HITS_SHOWN",
    "MAX_OPTIONS",
    "MENU_PLACEHOLDER",
    "POSITIONS_PER_PAGE",
    "TIMELINE_PAGE_SIZE",
    "Choice",
    "actors_pages",
    "ambiguous_text",
    "and_more",
    "brief_embed",
    "chart_embed",
    "compare_embed",
    "embed_problems",
    "embed_to_text",
    "entry_choices",
    "entry_pages",
    "error_text",
    "escape",
    "fit_lines",
    "menu_text",
    "message_problems",
    "not_found_text",
    "pack_lines",
    "pages_problems",
    "pages_to_text",
    "positions_embed",
    "safe_url",
    "search_embed",
    "share_budget",
    "split_text",
    "stance_colour",
    "stance_map_embed",
    "stance_map_png",
    "stance_text",
    "timeline_chart_png",
    "timeline_embed",
    "topics_pages",
    "truncate",
]
