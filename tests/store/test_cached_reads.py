"""Cached answers: fresh after every write (here or in another process), shared only where identical."""

from __future__ import annotations

import dataclasses

import pytest

from bot.dataset.records import Dataset, EventRecord, PositionRecord
from bot.db.engine import create_engine
from bot.discord_app import answers
from bot.domain import (
    ActorsQuery,
    BriefQuery,
    CompareQuery,
    FuzzyDate,
    MapQuery,
    PositionQuery,
    Query,
    SearchQuery,
    Stance,
    Status,
    TimelineQuery,
    TopicsQuery,
)
from bot.store import Store
from bot.store.curation import Writer
from tests.store.conftest import GUILD_A, GUILD_B, small_dataset, src
from tests.store.test_reads import add_local
from tests.support.reads import current_positions

OWNER = Writer(user_id=1, guild_id=GUILD_A, is_owner=True)
GUILD_C = 333_333_333_333_333_333


def new_statement() -> PositionRecord:
    return PositionRecord(
        "pos-ru-pk-3",
        "russia",
        "peacekeepers",
        Stance.CONDITIONAL,
        "Observers under a UN mandate could be discussed.",
        FuzzyDate.parse("2025-05-02"),
        src(),
        Status.REPORTED,
    )


def new_event() -> EventRecord:
    return EventRecord(
        "ev-2025-05",
        FuzzyDate.parse("2025-05-20"),
        "Istanbul talks",
        "First direct talks since 2022.",
        src(),
        ("russia",),
        ("peacekeepers",),
        Status.REPORTED,
    )


def only(**parts: object) -> Dataset:
    """A dataset holding just `parts` (positions=…, events=…)."""
    empty = {"actors": (), "topics": (), "positions": (), "events": ()}
    return dataclasses.replace(small_dataset(), **{**empty, **parts})  # type: ignore[arg-type]


async def test_a_write_here_shows_in_the_next_answer(seeded: Store) -> None:
    """After an import, /position and /timeline answer from the new data, not the cached answer."""
    before = await answers.position(seeded, GUILD_A, PositionQuery("russia", "peacekeepers"))
    assert "Contingents under any flag" in str(before.embed.to_dict())
    timeline = await seeded.reads.timeline(GUILD_A, TimelineQuery("peacekeepers"), 0, 10)
    assert "ev-2025-05" not in [e.id for e in timeline.items]

    report = await seeded.writes.import_dataset(only(positions=(new_statement(),), events=(new_event(),)))
    assert report.ok, report.problems

    after = await answers.position(seeded, GUILD_A, PositionQuery("russia", "peacekeepers"))
    assert "Observers under a UN mandate" in str(after.embed.to_dict())
    timeline = await seeded.reads.timeline(GUILD_A, TimelineQuery("peacekeepers"), 0, 10)
    assert [e.id for e in timeline.items][-1] == "ev-2025-05"


async def test_another_process_write_shows_after_its_version_check(seeded: Store) -> None:
    """A second process (its own Store) imports; this one sees it once it re-checks the version."""
    url = seeded.engine.url.render_as_string(hide_password=False)
    other = Store(create_engine(url), cache_ttl=0)
    try:
        first = await seeded.reads.briefing(None, "peacekeepers")
        assert first.event_count == 2
        assert (await other.writes.import_dataset(only(events=(new_event(),)))).ok
    finally:
        await other.engine.dispose()
    again = await seeded.reads.briefing(None, "peacekeepers")  # cache_ttl=0: checks every read
    assert again.event_count == 3
    assert again.latest_events[0].title == "Istanbul talks"


async def test_removing_an_entry_drops_it_from_cached_answers(seeded: Store) -> None:
    """A curator's removal empties the timeline, search and entry answers that showed it."""
    q = TimelineQuery("peacekeepers")
    shown = await seeded.reads.timeline(None, q, 0, 10)
    assert "ev-2025-03" in [e.id for e in shown.items]
    assert "ev-2025-03" in [h.entry_id for h in (await seeded.reads.search(None, "Grushko")).hits]

    await seeded.curation.set_removed(OWNER, "ev-2025-03", removed=True, reason="duplicate")

    hidden = await seeded.reads.timeline(None, q, 0, 10)
    assert "ev-2025-03" not in [e.id for e in hidden.items]
    assert hidden.total == shown.total - 1
    assert (await seeded.reads.briefing(GUILD_B, "peacekeepers")).event_count == hidden.total
    assert (await seeded.reads.search(None, "Grushko")).hits == ()
    await seeded.curation.set_removed(OWNER, "ev-2025-03", removed=False)
    assert "ev-2025-03" in [h.entry_id for h in (await seeded.reads.search(None, "Grushko")).hits]
    assert (await seeded.reads.timeline(None, q, 0, 10)).items == shown.items


async def test_servers_without_own_entries_share_answers_and_never_see_others(seeded: Store) -> None:
    """A server's own event shows in its timeline only; servers without any share one answer."""
    await add_local(seeded, GUILD_A)

    def ids(page: answers.Answer) -> str:
        return str(page.embed.to_dict())

    b = await answers.timeline(seeded, GUILD_B, TimelineQuery("peacekeepers"))
    misses = seeded.reads.cache.misses
    c = await answers.timeline(seeded, GUILD_C, TimelineQuery("peacekeepers"))
    dm = await answers.timeline(seeded, None, TimelineQuery("peacekeepers"))
    assert seeded.reads.cache.misses == misses + 1  # only C's scope check: the answer is shared
    a = await answers.timeline(seeded, GUILD_A, TimelineQuery("peacekeepers"))
    assert "Secret local meeting" in ids(a)
    for other in (b, c, dm):
        assert "Secret local meeting" not in ids(other)
        assert ids(other) == ids(b)
    b_again = await answers.timeline(seeded, GUILD_B, TimelineQuery("peacekeepers"))
    assert "Secret local meeting" not in ids(b_again)

    mine = await current_positions(seeded.reads, GUILD_A, "russia", "peacekeepers")
    theirs = await current_positions(seeded.reads, GUILD_B, "russia", "peacekeepers")
    assert [p.id for p in mine[2]] == [f"pos-local-{GUILD_A}"]
    assert [p.id for p in theirs[2]] == ["pos-ru-pk-2"]


def _own(guild: int, *, event_only: bool) -> Dataset:
    """`guild`'s own entries: a peacekeepers event, and unless `event_only` an actor, a topic and a
    Russia position on peacekeepers that differs in stance from the global one."""
    base = small_dataset()
    event = dataclasses.replace(base.events[4], id=f"ev-own-{guild}", title="Secret local meeting")
    if event_only:
        return only(events=(event,))
    position = dataclasses.replace(
        base.positions[1],
        id=f"pos-own-{guild}",
        stance=Stance.SUPPORTS,
        stated=FuzzyDate.parse("2025-06-01"),
        summary="A server's own newer note on Russia and peacekeepers.",
    )
    return dataclasses.replace(
        only(positions=(position,), events=(event,)),
        actors=(dataclasses.replace(base.actors[0], slug="local-actor", name="Local Actor", aliases=()),),
        topics=(dataclasses.replace(base.topics[0], slug="local-topic", title="Local Topic"),),
    )


OWN_NOTE, OWN_EVENT = "own newer note", "Secret local meeting"


@pytest.mark.parametrize(
    ("query", "mine", "event_only"),
    [
        (PositionQuery("russia"), OWN_NOTE, False),
        (PositionQuery("russia", "peacekeepers"), OWN_NOTE, False),
        (TimelineQuery("peacekeepers"), OWN_EVENT, True),
        (TimelineQuery("peacekeepers", actor="russia"), OWN_EVENT, True),
        (BriefQuery("peacekeepers"), OWN_EVENT, True),
        (BriefQuery("peacekeepers"), OWN_NOTE, False),
        (CompareQuery("peacekeepers", "russia", "united-states"), OWN_NOTE, False),
        (SearchQuery("Secret local"), OWN_EVENT, True),
        (ActorsQuery(), "Local Actor", False),
        (TopicsQuery(), "Local Topic", False),
        (MapQuery(("russia",), ("peacekeepers",)), "S\n\nT1", False),  # Russia's row: S, not O
    ],
    ids=repr,
)
async def test_each_query_s_cache_scope_keeps_a_server_s_own_entries(
    seeded: Store, query: Query, mine: str, event_only: bool
) -> None:
    """A server without its own entries asks first (its answer is cached as the global one); a
    server with its own entry asks the same and sees that entry, not the other server's answer."""
    assert (await seeded.writes.import_dataset(_own(GUILD_A, event_only=event_only), guild_id=GUILD_A)).ok

    def text(answer: answers.Answer) -> str:
        return f"{answer.embed.description}\n{answer.embed.to_dict()}"

    theirs = await answers.answer_for(seeded, GUILD_B, query)
    ours = await answers.answer_for(seeded, GUILD_A, query)
    assert mine not in text(theirs)
    assert mine in text(ours)
