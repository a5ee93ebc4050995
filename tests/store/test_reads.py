"""Read queries against a real SQLite file."""

from __future__ import annotations

import dataclasses

import pytest

from bot.dataset.records import Dataset, EventRecord, PositionRecord
from bot.db.search import MARK_END, MARK_START
from bot.domain import GLOBAL_SCOPE, Actor, ActorKind, FuzzyDate, Stance, Status, TimelineQuery
from bot.errors import InvalidInput, NotFound
from bot.store import Store
from bot.store.curation import Writer
from bot.store.reads import SEARCH_LIMIT, SEARCH_POOL
from tests.store.conftest import GUILD_A, GUILD_B, small_dataset, src
from tests.support.reads import current_positions

OWNER = Writer(user_id=1, guild_id=GUILD_A, is_owner=True)


async def add_local(store: Store, guild: int) -> None:
    """Give `guild` its own actor, topic, position and event."""
    base = small_dataset()
    local = dataclasses.replace(
        base,
        actors=(dataclasses.replace(base.actors[0], slug="local-actor", name="Local Actor", aliases=()),),
        topics=(dataclasses.replace(base.topics[0], slug="local-topic", title="Local Topic"),),
        positions=(
            dataclasses.replace(
                base.positions[1],
                id=f"pos-local-{guild}",
                actor="russia",
                stated=FuzzyDate.parse("2025-06-01"),
                summary="A server's own newer note on Russia and peacekeepers.",
            ),
        ),
        events=(dataclasses.replace(base.events[4], id=f"ev-local-{guild}", title="Secret local meeting"),),
    )
    report = await store.writes.import_dataset(local, guild_id=guild)
    assert report.ok, report.problems


async def test_current_position_is_newest_statement(seeded: Store) -> None:
    """/position shows the newest statement per topic; the older one is history."""
    actor, topic, positions = await current_positions(seeded.reads, None, "russia")
    assert actor.slug == "russia" and topic is None
    assert [p.id for p in positions] == ["pos-ru-pk-2"]
    detail = await seeded.reads.entry(None, "pos-ru-pk-2")
    assert [p.id for p in detail.history] == ["pos-ru-pk-1"]
    assert detail.history[0].current is False


async def test_alias_and_name_resolve_to_actor(seeded: Store) -> None:
    """Aliases and display names resolve like slugs, case-insensitively."""
    for given in ("us", "USA", "United States", "united-states"):
        actor, _, _ = await current_positions(seeded.reads, None, given)
        assert actor.slug == "united-states"


async def test_unknown_actor_suggests_close_matches(seeded: Store) -> None:
    """A typo gets NotFound with the closest slugs as suggestions."""
    with pytest.raises(NotFound) as err:
        await current_positions(seeded.reads, None, "rusia")
    assert err.value.suggestions[0] == "russia"


async def test_position_for_one_topic(seeded: Store) -> None:
    """With a topic, only that topic's position is returned."""
    _, topic, positions = await current_positions(seeded.reads, None, "united-states", "nato-ukraine")
    assert topic is not None and topic.slug == "nato-ukraine"
    assert [p.stance for p in positions] == [Stance.OPPOSES]


async def test_server_sees_global_plus_own_never_another(seeded: Store) -> None:
    """Scope isolation: guild A's entries are invisible to guild B and to DMs."""
    await add_local(seeded, GUILD_A)
    await add_local(seeded, GUILD_B)
    _, _, a_positions = await current_positions(seeded.reads, GUILD_A, "russia")
    assert [p.id for p in a_positions] == [f"pos-local-{GUILD_A}"]
    _, _, dm_positions = await current_positions(seeded.reads, None, "russia")
    assert [p.id for p in dm_positions] == ["pos-ru-pk-2"]
    with pytest.raises(NotFound):
        await seeded.reads.entry(GUILD_B, f"pos-local-{GUILD_A}")
    with pytest.raises(NotFound):
        await seeded.reads.entry(None, f"ev-local-{GUILD_A}")
    b_actors = {a.slug for a in await seeded.reads.actors(GUILD_B)}
    assert "local-actor" in b_actors  # B's own
    page = await seeded.reads.timeline(GUILD_B, TimelineQuery("peacekeepers"), 0, 50)
    assert f"ev-local-{GUILD_A}" not in {e.id for e in page.items}
    assert f"ev-local-{GUILD_B}" in {e.id for e in page.items}
    hits = (await seeded.reads.search(GUILD_B, "secret local meeting")).hits
    assert {h.entry_id for h in hits} == {f"ev-local-{GUILD_B}"}


async def test_autocomplete_does_not_offer_other_servers_actors(seeded: Store) -> None:
    """Autocomplete in guild B never lists guild A's local actor."""
    await add_local(seeded, GUILD_A)
    assert [v for _, v in await seeded.reads.complete_actors(GUILD_A, "loc")] == ["local-actor"]
    assert await seeded.reads.complete_actors(GUILD_B, "loc") == []


async def test_autocomplete_ranks_prefix_before_alias_before_substring(seeded: Store) -> None:
    """Prefix of slug/name first, then alias prefix, then substring, whatever the alphabet says."""
    await seeded.writes.import_dataset(
        Dataset(
            actors=(
                Actor("buzau", "Buzau", ActorKind.STATE),  # "uz" inside the name only
                Actor("alpha-bloc", "Alpha Bloc", ActorKind.ALLIANCE, ("uzb-bloc",)),  # an alias starts "uz"
                Actor("uzbekistan", "Uzbekistan", ActorKind.STATE),  # the slug and name start "uz"
            )
        ),
        guild_id=GLOBAL_SCOPE,
    )
    assert [v for _, v in await seeded.reads.complete_actors(None, "uz")] == [
        "uzbekistan",
        "alpha-bloc",
        "buzau",
    ]
    assert [v for _, v in await seeded.reads.complete_actors(None, "usa")] == ["united-states"]
    assert [v for _, v in await seeded.reads.complete_actors(None, "ssia")] == ["russia"]


async def test_autocomplete_offers_at_most_25_in_name_order(seeded: Store) -> None:
    """Thirty matching actors: Discord's 25 choices, the first 25 by name."""
    zetas = tuple(Actor(f"zeta-{n:02d}", f"Zeta {n:02d}", ActorKind.STATE) for n in range(30, 0, -1))
    await seeded.writes.import_dataset(Dataset(actors=zetas), guild_id=GLOBAL_SCOPE)
    values = [v for _, v in await seeded.reads.complete_actors(None, "zeta")]
    assert values == [f"zeta-{n:02d}" for n in range(1, 26)]
    assert len(await seeded.reads.complete_actors(None, "")) == 25


async def test_timeline_in_date_order_with_precision(seeded: Store) -> None:
    """Events come oldest first, with their dates' precision kept."""
    page = await seeded.reads.timeline(None, TimelineQuery("nato-ukraine"), 0, 10)
    assert [e.id for e in page.items] == ["ev-2008", "ev-2023", "ev-2024", "ev-2025-02"]
    assert [e.date.iso() for e in page.items] == ["2008-04-03", "2023-07", "2024", "2025-02-12"]


async def test_timeline_events_carry_their_own_actors_and_topics(seeded: Store) -> None:
    """Each event on a timeline page names its own actors and topics (read with the page), not
    another event's, and not its actors as topics."""
    page = await seeded.reads.timeline(None, TimelineQuery("nato-ukraine"), 0, 10)
    links = {e.id: ({a.slug for a in e.actors}, {t.slug for t in e.topics}) for e in page.items}
    assert links == {
        "ev-2008": ({"nato"}, {"nato-ukraine"}),
        "ev-2023": ({"nato"}, {"nato-ukraine"}),
        "ev-2024": ({"nato", "united-states"}, {"nato-ukraine"}),
        "ev-2025-02": ({"united-states"}, {"peacekeepers", "nato-ukraine"}),
    }


async def test_timeline_filters_actor_and_period(seeded: Store) -> None:
    """actor, since and until narrow the timeline; a month-dated event overlaps its month."""
    page = await seeded.reads.timeline(None, TimelineQuery("nato-ukraine", actor="us"), 0, 10)
    assert [e.id for e in page.items] == ["ev-2024", "ev-2025-02"]
    q = TimelineQuery("nato-ukraine", since=FuzzyDate.parse("2023-07-20"), until=FuzzyDate.parse("2024-06"))
    page = await seeded.reads.timeline(None, q, 0, 10)
    assert [e.id for e in page.items] == ["ev-2023", "ev-2024"]
    day = FuzzyDate.parse("2025-02-12")  # since = until = the event's own day: that day, inclusive
    page = await seeded.reads.timeline(None, TimelineQuery("nato-ukraine", since=day, until=day), 0, 10)
    assert [e.id for e in page.items] == ["ev-2025-02"]


async def test_timeline_pages(seeded: Store) -> None:
    """Pages hold `size` events; asking past the end gives the last page."""
    first = await seeded.reads.timeline(None, TimelineQuery("nato-ukraine"), 0, 3)
    assert (first.total, first.count, len(first.items)) == (4, 2, 3)
    beyond = await seeded.reads.timeline(None, TimelineQuery("nato-ukraine"), 9, 3)
    assert beyond.number == 1 and [e.id for e in beyond.items] == ["ev-2025-02"]


async def test_timeline_rejects_since_after_until(seeded: Store) -> None:
    """since later than until is bad input naming the option."""
    q = TimelineQuery("nato-ukraine", since=FuzzyDate.parse("2025"), until=FuzzyDate.parse("2024"))
    with pytest.raises(InvalidInput) as err:
        await seeded.reads.timeline(None, q, 0, 10)
    assert err.value.field == "since"


async def test_briefing_has_each_actors_current_stance_and_latest_events(seeded: Store) -> None:
    """/brief: one current position per actor, newest events first."""
    brief = await seeded.reads.briefing(None, "nato-ukraine", latest=2)
    assert [p.actor.slug for p in brief.positions] == ["nato", "united-states"]
    assert [e.id for e in brief.latest_events] == ["ev-2025-02", "ev-2024"]
    assert brief.event_count == 4


async def test_compare_returns_both_or_none(seeded: Store) -> None:
    """/compare gives each actor's current position or None."""
    topic, (a, pa), (b, pb) = await seeded.reads.compare(None, "peacekeepers", "russia", "nato")
    assert topic.slug == "peacekeepers" and a.slug == "russia" and b.slug == "nato"
    assert pa is not None and pa.id == "pos-ru-pk-2"
    assert pb is None


async def test_search_ranks_title_matches_first(seeded: Store) -> None:
    """Full-text search: stemmed words, title hits ranked above body-only hits."""
    hits = (await seeded.reads.search(None, "summit")).hits
    assert {h.entry_id for h in hits} == {"ev-2008", "ev-2023", "ev-2024"}
    hits = (await seeded.reads.search(None, "peacekeeper")).hits  # "peacekeepers" in the texts: stemmed
    assert {h.entry_id for h in hits} >= {"pos-ru-pk-1", "ev-2025-02"}
    titled = EventRecord(
        "ev-2025-05-monitors",
        FuzzyDate.parse("2025-05-02"),
        "Conflict monitors proposed",
        "Observers along the line of contact.",
        src(),
        ("russia",),
        ("peacekeepers",),
        Status.REPORTED,
    )
    assert (await seeded.writes.import_dataset(Dataset(events=(titled,)), guild_id=GLOBAL_SCOPE)).ok
    hits = (await seeded.reads.search(None, "conflict")).hits
    # "conflict" is in two bodies (pos-ru-pk-2, ev-2025-03) and in one title, which comes first.
    assert hits[0].entry_id == "ev-2025-05-monitors"
    assert {h.entry_id for h in hits} == {"ev-2025-05-monitors", "pos-ru-pk-2", "ev-2025-03"}


async def test_search_survives_query_syntax(seeded: Store) -> None:
    """FTS operators and quotes in user text are plain words, never syntax errors."""
    summits = {"ev-2008", "ev-2023", "ev-2024"}
    for query in ('"NEAR(summit', "summit OR", "-summit ^NEAR", "title:summit", "summit*"):
        assert {h.entry_id for h in (await seeded.reads.search(None, query)).hits} == summits, query
    # Plain words: "drop" finds the event whose summary says "MAP dropped"; the table is still there.
    assert [h.entry_id for h in (await seeded.reads.search(None, "'; DROP TABLE events; --")).hits] == [
        "ev-2023"
    ]
    assert {
        h.entry_id for h in (await seeded.reads.search(None, "summit")).hits
    } == summits  # nothing dropped


async def test_search_orders_equally_relevant_hits_by_id(seeded: Store) -> None:
    """Hits that rank alike come in id order, however many tie, and never another server's."""

    def tied(entry_id: str, word: str) -> EventRecord:
        return EventRecord(
            entry_id,
            FuzzyDate.parse("2025-04-01"),
            f"{word} talks",
            f"A {word} was held.",
            src(),
            ("russia",),
            ("peacekeepers",),
            Status.REPORTED,
        )

    many = [f"ev-tie-{n:02d}" for n in range(30)]
    few = [f"ev-plenum-{n}" for n in range(6)]
    for order in (many[::-1], many[1::2] + many[::2], few[::-1]):  # written out of id order
        batch = tuple(tied(i, "plenum" if i in few else "quorum") for i in order)
        assert (await seeded.writes.import_dataset(Dataset(events=batch), guild_id=GLOBAL_SCOPE)).ok
    theirs = Dataset(events=tuple(tied(f"ev-tie-0{n}b", "quorum") for n in range(5)))
    assert (await seeded.writes.import_dataset(theirs, guild_id=GUILD_B)).ok
    assert [h.entry_id for h in (await seeded.reads.search(GUILD_A, "quorum")).hits] == many[:10]
    assert [h.entry_id for h in (await seeded.reads.search(None, "quorum talks", limit=3)).hits] == many[:3]
    assert [h.entry_id for h in (await seeded.reads.search(None, "plenum", limit=4)).hits] == few[:4]


async def test_search_puts_current_statements_before_earlier_ones(seeded: Store) -> None:
    """A superseded statement that matches better (its text names the topic) still comes after
    the current one, for a server after its own newer statement; the answer counts the matches."""
    found = await seeded.reads.search(None, "russia peacekeepers")
    positions = [h.entry_id for h in found.hits if h.kind == "position"]
    assert positions == ["pos-ru-pk-2", "pos-ru-pk-1"]
    assert (found.matches, found.more) == (len(found.hits), False)
    assert [h.entry_id for h in found.hits if not h.current] == ["pos-ru-pk-1"]
    await add_local(seeded, GUILD_A)
    mine = await seeded.reads.search(GUILD_A, "russia peacekeepers")
    positions = [h.entry_id for h in mine.hits if h.kind == "position"]
    assert positions == [f"pos-local-{GUILD_A}", "pos-ru-pk-1", "pos-ru-pk-2"]  # earlier ones by relevance
    assert positions[-2:] == [h.entry_id for h in mine.hits[-2:]]  # events before earlier statements


async def test_search_hits_carry_snippets_with_the_matches_marked(seeded: Store) -> None:
    """Each hit shown has its snippet, the matched words marked for the renderer to bold."""
    found = await seeded.reads.search(None, "unarmed observers")
    assert [h.entry_id for h in found.hits] == ["pos-ru-pk-2"]
    assert f"{MARK_START}unarmed{MARK_END}" in found.hits[0].snippet
    assert all(h.snippet for h in (await seeded.reads.search(None, "russia peacekeepers")).hits)


async def test_search_counts_matches_past_those_weighed(seeded: Store) -> None:
    """Past SEARCH_POOL matches the answer says there are more; up to it, it counts them all."""

    def meeting(word: str, n: int) -> EventRecord:
        return EventRecord(
            f"ev-{word}-{n:03d}",
            FuzzyDate.parse("2025-04-01"),
            f"{word.title()} {n}",
            f"A {word} met.",
            src(),
            ("russia",),
            ("peacekeepers",),
            Status.REPORTED,
        )

    batch = [meeting("caucus", n) for n in range(SEARCH_POOL + 1)] + [
        meeting("plenary", n) for n in range(SEARCH_POOL)
    ]
    assert (await seeded.writes.import_dataset(Dataset(events=tuple(batch)), guild_id=GLOBAL_SCOPE)).ok
    over = await seeded.reads.search(None, "caucus")
    assert (len(over.hits), over.matches, over.more) == (SEARCH_LIMIT, SEARCH_POOL, True)
    full = await seeded.reads.search(None, "plenary")
    assert (len(full.hits), full.matches, full.more) == (SEARCH_LIMIT, SEARCH_POOL, False)


async def test_search_hits_say_whether_a_statement_is_still_current(seeded: Store) -> None:
    """A hit of a superseded statement is marked as earlier; a server's own newer statement
    supersedes the global one for that server only."""

    async def current(guild: int | None) -> dict[str, bool]:
        hits = (await seeded.reads.search(guild, "russia peacekeepers")).hits
        return {h.entry_id: h.current for h in hits if h.kind == "position"}

    assert await current(None) == {"pos-ru-pk-1": False, "pos-ru-pk-2": True}
    await add_local(seeded, GUILD_A)
    mine = {"pos-ru-pk-1": False, "pos-ru-pk-2": False, f"pos-local-{GUILD_A}": True}
    assert await current(GUILD_A) == mine
    assert await current(GUILD_B) == {"pos-ru-pk-1": False, "pos-ru-pk-2": True}


async def test_a_statement_is_current_again_in_search_once_the_newer_one_is_removed(seeded: Store) -> None:
    """Removing an actor's current statement makes the one before it current again: its hit is
    no longer marked as earlier."""
    await seeded.curation.set_removed(OWNER, "pos-ru-pk-2", removed=True, reason="wrong date")
    hits = (await seeded.reads.search(None, "russia peacekeepers")).hits
    assert {h.entry_id: h.current for h in hits if h.kind == "position"} == {"pos-ru-pk-1": True}


async def test_search_without_words_is_invalid(seeded: Store) -> None:
    """A query of punctuation only is rejected with a reason."""
    with pytest.raises(InvalidInput):
        await seeded.reads.search(None, "?!")


async def test_entry_event_in_full(seeded: Store) -> None:
    """/entry for an event returns its actors, topics and sources."""
    detail = await seeded.reads.entry(None, "EV-2024")
    assert detail.entry.id == "ev-2024"
    assert {a.slug for a in detail.entry.actors} == {"nato", "united-states"}


async def test_entry_unknown_suggests_similar_ids(seeded: Store) -> None:
    """An unknown id suggests visible ids with the same beginning."""
    with pytest.raises(NotFound) as err:
        await seeded.reads.entry(None, "ev-2025-04")
    assert "ev-2025-02" in err.value.suggestions


async def test_complete_entry_ids(seeded: Store) -> None:
    """Entry-id autocomplete lists matching ids across positions and events."""
    assert await seeded.reads.complete_entry_ids(None, "pos-ru") == ["pos-ru-pk-1", "pos-ru-pk-2"]


async def test_complete_entry_ids_in_order_per_server_without_removed(seeded: Store) -> None:
    """A server sees global ids and its own, in order, never another server's or removed ones."""
    await add_local(seeded, GUILD_A)
    await add_local(seeded, GUILD_B)
    everything = await seeded.reads.complete_entry_ids(GUILD_A, "")
    assert everything == sorted(everything)
    assert f"ev-local-{GUILD_A}" in everything and f"pos-local-{GUILD_A}" in everything
    assert not any(str(GUILD_B) in i for i in everything)
    assert await seeded.reads.complete_entry_ids(GUILD_B, "ev-local") == [f"ev-local-{GUILD_B}"]
    assert await seeded.reads.complete_entry_ids(None, "ev-local") == []
    assert await seeded.reads.complete_entry_ids(GUILD_A, "EV-2025-0", limit=2) == [
        "ev-2025-02",
        "ev-2025-03",
    ]
    await seeded.curation.set_removed(OWNER, "ev-2025-02", removed=True)
    assert "ev-2025-02" not in await seeded.reads.complete_entry_ids(GUILD_A, "ev-2025")


async def test_position_pages_are_slices_of_the_current_positions_by_topic_title(seeded: Store) -> None:
    """A page holds the current statements in topic-title order; a server's own newer one wins there."""
    extra = dataclasses.replace(
        small_dataset(),
        positions=(
            PositionRecord(
                "pos-ru-nato",
                "russia",
                "nato-ukraine",
                Stance.OPPOSES,
                "Membership is a red line.",
                FuzzyDate.parse("2025-01-10"),
                src(),
                Status.VERIFIED,
            ),
        ),
        events=(),
    )
    assert (await seeded.writes.import_dataset(extra)).ok
    _, _, everything = await current_positions(seeded.reads, None, "russia")
    assert [p.id for p in everything] == ["pos-ru-pk-2", "pos-ru-nato"]  # Peacekeepers…, Ukraine's…
    pages = [(await seeded.reads.position_page(None, "russia", None, n, 1))[2] for n in (0, 1, 7)]
    assert [[p.id for p in page.items] for page in pages] == [
        ["pos-ru-pk-2"],
        ["pos-ru-nato"],
        ["pos-ru-nato"],
    ]
    assert [(page.number, page.total, page.count) for page in pages] == [(0, 2, 2), (1, 2, 2), (1, 2, 2)]
    await add_local(seeded, GUILD_A)
    _, _, mine = await seeded.reads.position_page(GUILD_A, "russia", None, 0, 6)
    assert [p.id for p in mine.items] == [f"pos-local-{GUILD_A}", "pos-ru-nato"]
    _, _, none = await seeded.reads.position_page(None, "nato", "peacekeepers", 3, 6)
    assert (none.items, none.number, none.count) == ((), 0, 1)
