"""The "Open an entry…" menu's choices: what a list offers to open."""

from __future__ import annotations

from bot.domain import SearchHit, Stance, Status
from bot.render import entry_choices
from tests.render.builders import actor, day, event, position, topic


def test_a_menu_offers_at_most_discords_25_options_in_order_without_repeats() -> None:
    """Thirty listed items (one listed twice): the first 25, once each — a select takes at most 25."""
    items = [event(f"ev-{n:02d}", title=f"Meeting {n}") for n in range(30)]
    choices = entry_choices([items[0], *items])
    assert [entry_id for entry_id, _ in choices] == [f"ev-{n:02d}" for n in range(25)]
    assert choices[3][1].endswith("Meeting 3")


def test_a_position_label_names_actor_topic_stance_and_date_when_the_list_mixes_them() -> None:
    """A digest's menu lists positions of different actors on different topics: each label says all."""
    nato = topic("nato-ukraine", "Ukraine's NATO membership")
    items = [
        position("pos-ru", stance=Stance.OPPOSES, about=nato),
        position("pos-us", who=actor("united-states", "United States"), stated="2025-11-23"),
    ]
    assert dict(entry_choices(items)) == {
        "pos-ru": "🔴 Russia — Opposes · Ukraine's NATO membership · 17 Mar 2025",
        "pos-us": "🟢 United States — Supports · Ceasefire talks · 23 Nov 2025",
    }


def test_a_list_of_one_actors_positions_leads_each_label_with_the_topic_not_the_actor() -> None:
    """`/position actor:russia` names Russia once: its menu tells the options apart by topic first."""
    items = [
        position("pos-a", stance=Stance.OPPOSES, about=topic("nato-ukraine", "Ukraine's NATO membership")),
        position("pos-b", stance=Stance.CONDITIONAL, stated="2025-12-03"),
    ]
    assert [label for _, label in entry_choices(items)] == [
        "🔴 Ukraine's NATO membership — Opposes · 17 Mar 2025",
        "🟡 Ceasefire talks — Conditional · 3 Dec 2025",
    ]


def test_a_list_on_one_topic_leaves_the_topic_out_of_position_labels_but_not_events() -> None:
    """`/brief` and `/compare` are about one topic: the labels say who, the stance and the date."""
    items = [
        position("pos-ru", stance=Stance.OPPOSES),
        position("pos-ua", who=actor("ukraine", "Ukraine"), stance=Stance.CONDITIONAL),
        event("ev-x", title="Talks in Geneva"),
    ]
    assert [label for _, label in entry_choices(items)] == [
        "🔴 Russia — Opposes · 17 Mar 2025",
        "🟡 Ukraine — Conditional · 17 Mar 2025",
        "📅 11 Mar 2025 — Talks in Geneva",
    ]


def test_one_position_alone_keeps_its_full_label() -> None:
    """With a single position nothing is shared with a neighbour, so nothing is left out."""
    (choice,) = entry_choices([position("pos-ru", stance=Stance.OPPOSES)])
    assert choice == ("pos-ru", "🔴 Russia — Opposes · Ceasefire talks · 17 Mar 2025")


def test_the_same_slug_in_another_server_is_another_actor() -> None:
    """A server's own "russia" beside the global one: two actors, so labels keep the actor's name."""
    items = [position("pos-a"), position("pos-b", who=actor(guild_id=42), about=topic("other", "Other"))]
    assert all(label.startswith("🟢 Russia — Supports") for _, label in entry_choices(items))


def test_search_results_are_labelled_as_listed_positions_and_events_are_with_earlier_ones_marked() -> None:
    """/search lists three NATO statements on one topic: each label says its stance and date, and
    which are earlier statements, so the options are not three identical titles; an event reads as
    in a timeline."""
    nato = "Ukraine's NATO membership"

    def hit(entry_id: str, stance: Stance, date: str, *, current: bool) -> SearchHit:
        return SearchHit(
            entry_id,
            "position",
            f"NATO on {nato}",
            "",
            day(date),
            Status.REPORTED,
            "NATO",
            nato,
            stance,
            current,
        )

    items = [
        hit("pos-now", Stance.AMBIGUOUS, "2025-12-18", current=True),
        hit("pos-then", Stance.SUPPORTS, "2024-07-10", current=False),
        SearchHit("ev-x", "event", "Washington summit", "", day("2024-07-10"), Status.DISPUTED),
    ]
    assert [label for _, label in entry_choices(items)] == [
        f"⚪ NATO — Ambiguous · {nato} · 18 Dec 2025",
        f"🟢 NATO — Supports · {nato} · 10 Jul 2024 · earlier statement",
        "📅 10 Jul 2024 — ⚠️ Washington summit",
    ]
