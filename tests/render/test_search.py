"""search_embed: ranked search results."""

from __future__ import annotations

from bot.domain import SearchHit, Status
from bot.render import search_embed
from bot.render.search import MAX_HITS_SHOWN
from tests.render.builders import (
    HOSTILE,
    actor,
    assert_sendable,
    day,
    desc,
    foot,
    found,
    fval,
    long_text,
    max_id,
    topic,
)


def _hit(n: int = 1, **kwargs: object) -> SearchHit:
    values: dict[str, object] = {
        "entry_id": f"hit-{n}",
        "kind": "event",
        "title": f"Result {n}",
        "snippet": "…talks in Jeddah on a ceasefire…",
        "date": day("2025-03-11"),
        "status": Status.REPORTED,
    }
    values.update(kwargs)
    return SearchHit(**values)  # type: ignore[arg-type]


def test_results_are_ranked_fields() -> None:
    """Hits appear in rank order, numbered, titled."""
    embed = search_embed("ceasefire", found([_hit(1), _hit(2, kind="position")]))
    assert [(f.name or "") for f in embed.fields] == ["1. Result 1", "2. Result 2"]
    assert desc(embed).startswith("2 results for `ceasefire`")


def test_hit_shows_kind_date_status_snippet_and_id() -> None:
    """Each result shows its kind, date at precision, status, snippet and id in code."""
    value = fval(search_embed("x", found([_hit(1, kind="position", date=day("2024-05"))])), 0)
    assert value.startswith("…talks in Jeddah on a ceasefire…")
    assert value.endswith("📌 Position · 📅 May 2024 · 📰 Reported") and "hit-1" not in value


def test_snippet_across_parts_of_an_entry_shows_where_each_ends() -> None:
    """A snippet running from one key point into the next shows a separator between them, so
    they do not read as one sentence; a match stays bold."""
    snippet = '…a path of "rampant \x02militarisation\x03"\n5% target said to require a "monster"\nNATO…'
    value = fval(search_embed("militarisation", found([_hit(kind="position", snippet=snippet)])), 0)
    assert value.startswith(
        '…a path of "rampant **militarisation**" · 5% target said to require a "monster" · NATO…'
    )


def test_matches_next_to_each_other_read_as_one_bold_phrase() -> None:
    """ "NATO 3.0" matches three tokens; the reader sees **NATO 3.0**, not **NATO** **3**.**0**. Matches
    farther apart, or in different parts of the entry, stay apart."""
    snippet = 'a "\x02NATO\x03 \x023\x03.\x020\x03" in which \x02NATO\x03 allies act \x02now\x03\n\x02now\x03'
    value = fval(search_embed("NATO 3.0", found([_hit(snippet=snippet)])), 0)
    assert value.startswith('a "**NATO 3.0**" in which **NATO** allies act **now** · **now**'), value


def test_disputed_hit_is_flagged() -> None:
    """A disputed result is flagged in its heading and status."""
    field = search_embed("x", found([_hit(status=Status.DISPUTED)])).fields[0]
    assert (field.name or "").endswith("⚠️")
    assert "⚠️ Disputed" in (field.value or "")


def test_no_hits_gives_helpful_message() -> None:
    """Nothing found explains what to try next, echoing the query safely."""
    embed = search_embed("zzz", found([]))
    assert embed.fields == []
    assert desc(embed).startswith("Nothing matches `zzz`.")
    assert "/topics" in desc(embed)


def test_many_hits_are_counted_beyond_those_shown() -> None:
    """Beyond MAX_HITS_SHOWN results the description says how many matched and how to narrow."""
    embed = search_embed("x", found([_hit(i) for i in range(40)]))
    assert len(embed.fields) == MAX_HITS_SHOWN
    assert (
        desc(embed) == f"{MAX_HITS_SHOWN} of 40 matches for `x`, best first.\nAdd words to narrow the search."
    )


def test_a_full_pool_is_counted_as_at_least() -> None:
    """When the store stopped weighing matches, the count reads as a lower bound."""
    embed = search_embed("x", found([_hit(i) for i in range(50)], more=True))
    assert desc(embed).startswith(f"{MAX_HITS_SHOWN} of 50+ matches for `x`")


def test_earlier_statements_are_said_to_come_last() -> None:
    """When earlier statements matched, the description says they follow the current ones."""
    hits = [_hit(1, kind="position"), _hit(2, kind="position", current=False)]
    assert (
        desc(search_embed("x", found(hits)))
        == "2 results for `x`, best first; earlier statements after current ones."
    )
    assert "earlier" not in desc(search_embed("x", found(hits[:1])))


def test_earlier_statements_not_shown_are_not_mentioned() -> None:
    """Earlier statements weighed but past the ten shown are not announced."""
    hits = [_hit(n) for n in range(MAX_HITS_SHOWN)] + [_hit(99, kind="position", current=False)]
    assert desc(search_embed("x", found(hits))) == (
        f"{MAX_HITS_SHOWN} of {len(hits)} matches for `x`, best first.\nAdd words to narrow the search."
    )


def test_maximal_hits_fit() -> None:
    """Hits with 500-char titles, 5000-char snippets and 64-char ids fit."""
    hits = [_hit(i, entry_id=max_id(i), title=long_text(500), snippet=long_text(5000)) for i in range(25)]
    embed = search_embed(long_text(500), found(hits))
    assert_sendable(embed)
    assert len(embed.fields) == MAX_HITS_SHOWN
    assert not any(max_id(i) in fval(embed, i) for i in range(MAX_HITS_SHOWN))


def test_hostile_query_and_hits_cannot_break_markup() -> None:
    """Backticks and markup in the query and the hits are shown inertly."""
    embed = search_embed(HOSTILE, found([_hit(title=HOSTILE, snippet=HOSTILE, entry_id="a`b")]))
    assert_sendable(embed)
    assert_sendable(search_embed("```", found([])))


def test_a_named_topic_and_actor_are_pointed_at_after_the_count() -> None:
    """A query naming a topic and an actor gets, after a blank line, one line each with the
    command that answers it; names are shown as text, never as markdown or mentions."""
    embed = search_embed(
        "russia",
        found([_hit(1)]),
        topics=[topic("russia-war", "Russia's **war** @everyone")],
        actors=[actor("russia", "Russia")],
    )
    count, pointers = desc(embed).split("\n\n")
    assert count == "1 result for `russia`, best first."
    topic_line, actor_line = pointers.split("\n")
    assert topic_line.endswith("where each actor stands, `/brief topic:russia-war`")
    assert "**war**" not in topic_line and "@everyone" not in topic_line
    assert actor_line == "🧭 **Russia**: its positions, `/position actor:russia`"
    assert_sendable(embed)


def test_a_named_topic_is_pointed_at_even_when_nothing_matches() -> None:
    """No hits, but the query names a topic: the note says so and still points at its brief."""
    embed = search_embed("peacekeepers", found([]), topics=[topic("peacekeepers", "Foreign troops")])
    assert desc(embed).startswith("Nothing matches `peacekeepers`.")
    assert desc(embed).endswith("📋 **Foreign troops**: where each actor stands, `/brief topic:peacekeepers`")


def test_footer_points_at_the_menu() -> None:
    """Results show no ids: the footer sends the reader to the menu that holds them."""
    assert foot(search_embed("grain", found([_hit(1), _hit(2)]))) == (
        "Open an entry… below for a result's sources and history"
    )
