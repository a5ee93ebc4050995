"""actors_pages and topics_pages: browsing what exists."""

from __future__ import annotations

from bot.domain import ActorKind
from bot.render import actors_pages, topics_pages
from tests.render.builders import HOSTILE, actor, assert_sendable, desc, foot, long_text, texts, topic


def test_actor_line_has_name_slug_kind_and_aliases() -> None:
    """Each actor is one line: bold name, slug in code, kind and aliases."""
    page = actors_pages([actor(aliases=("RU", "Russian Federation"))])[0]
    assert page.title == "👥 Actors"
    assert desc(page) == "**Russia** `russia` · 🏛️ State · aka RU, Russian Federation"


def test_local_actor_is_marked() -> None:
    """A server-only actor carries the server-note marker."""
    page = actors_pages([actor("eu", "EU", kind=ActorKind.ALLIANCE, guild_id=3)])[0]
    assert desc(page) == "**EU** `eu` · 🤝 Alliance · 🏠 server note"


def test_topic_line_has_title_slug_and_summary_start() -> None:
    """Each topic shows its title, slug and the start of its summary."""
    page = topics_pages([topic()])[0]
    assert page.title == "🧭 Topics"
    assert desc(page) == "**Ceasefire talks** `ceasefire`\nTalks on a ceasefire."


def test_empty_lists_say_so() -> None:
    """No actors or topics give a clear sentence."""
    assert desc(actors_pages([])[0]) == "No actors recorded yet."
    assert desc(topics_pages([])[0]) == "No topics recorded yet."


def test_many_actors_are_paged_and_all_listed() -> None:
    """200 actors are paged with a page count and each slug appears once."""
    actors = [actor(f"a-{i:03d}", f"Actor {i}") for i in range(200)]
    pages = actors_pages(actors)
    assert len(pages) > 1
    assert foot(pages[0]).startswith(f"Page 1/{len(pages)} · 200 actors")
    everything = texts(pages)
    assert all(everything.count(f"`a-{i:03d}`") == 1 for i in range(200))
    assert_sendable(pages)


def test_maximal_actors_and_topics_fit() -> None:
    """500-char names, titles and aliases and 5000-char summaries fit every page."""
    actors = [
        actor(f"a{i}", long_text(500), aliases=tuple(long_text(500) for _ in range(20))) for i in range(60)
    ]
    topics = [topic(f"t{i}", long_text(500), long_text(5000)) for i in range(60)]
    assert_sendable(actors_pages(actors))
    assert_sendable(topics_pages(topics))


def test_hostile_names_cannot_break_markup() -> None:
    """Markup in names, aliases, titles, summaries and slugs is shown inertly."""
    assert_sendable(actors_pages([actor("a`b", HOSTILE, aliases=(HOSTILE,))]))
    assert_sendable(topics_pages([topic("a`b", HOSTILE, HOSTILE)]))
