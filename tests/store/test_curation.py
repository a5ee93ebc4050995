"""Curator writes: scope rules, validation naming the field, history and soft delete."""

from __future__ import annotations

import pytest

from bot.domain import FuzzyDate, TimelineQuery
from bot.errors import Forbidden, InvalidInput, NotFound
from bot.store import Store
from bot.store.curation import Writer
from tests.store.conftest import GUILD_A, GUILD_B
from tests.support.reads import current_positions

OWNER = Writer(user_id=1, guild_id=GUILD_A, is_owner=True)
CURATOR_A = Writer(user_id=2, guild_id=GUILD_A, can_curate=True)
CURATOR_B = Writer(user_id=3, guild_id=GUILD_B, can_curate=True)
MEMBER_A = Writer(user_id=4, guild_id=GUILD_A)


async def test_position_set_supersedes_and_keeps_history(seeded: Store) -> None:
    """A newer statement becomes current in that server; the old one is history."""
    new_id = await seeded.curation.set_position(
        CURATOR_A,
        actor="ru",
        topic="peacekeepers",
        stance="conditional",
        summary="Observers acceptable after a deal.",
        source_url="https://www.reuters.com/x",
        date="2025-04",
    )
    _, _, positions = await current_positions(seeded.reads, GUILD_A, "russia", "peacekeepers")
    assert [p.id for p in positions] == [new_id]
    assert positions[0].sources[0].publisher == "reuters.com"
    detail = await seeded.reads.entry(GUILD_A, new_id)
    assert [p.id for p in detail.history] == ["pos-ru-pk-2", "pos-ru-pk-1"]
    _, _, elsewhere = await current_positions(seeded.reads, GUILD_B, "russia", "peacekeepers")
    assert [p.id for p in elsewhere] == ["pos-ru-pk-2"]


async def test_bad_field_is_named_and_nothing_written(seeded: Store) -> None:
    """Bad URL, date or stance: InvalidInput naming the field; the store is unchanged."""
    cases = [
        ({"source_url": "javascript:alert(1)"}, "url"),
        ({"date": "2025-13"}, "date"),
        ({"stance": "maybe"}, "stance"),
        ({"summary": " "}, "summary"),
    ]
    for override, field in cases:
        args = {
            "actor": "russia",
            "topic": "peacekeepers",
            "stance": "opposes",
            "summary": "s",
            "source_url": "https://example.org",
            "date": "2025-05",
        } | override
        with pytest.raises(InvalidInput) as err:
            await seeded.curation.set_position(CURATOR_A, **args)
        assert field in err.value.field
    _, _, positions = await current_positions(seeded.reads, GUILD_A, "russia", "peacekeepers")
    assert [p.id for p in positions] == ["pos-ru-pk-2"]


async def test_plain_member_cannot_write(seeded: Store) -> None:
    """Without Manage Server or the curator role, writes are refused."""
    with pytest.raises(Forbidden):
        await seeded.curation.add_event(
            MEMBER_A, topic="peacekeepers", date="2025", title="t", summary="s", source_url="https://e.org"
        )


async def test_server_admin_cannot_touch_global_entries(seeded: Store) -> None:
    """Curators may not edit, remove or restore global entries; owners may."""
    with pytest.raises(Forbidden):
        await seeded.curation.edit_entry(CURATOR_A, "pos-ru-pk-1", {"summary": "hijacked"})
    with pytest.raises(Forbidden):
        await seeded.curation.set_removed(CURATOR_A, "ev-2008", removed=True)
    with pytest.raises(Forbidden):
        await seeded.curation.set_position(
            CURATOR_A,
            actor="russia",
            topic="peacekeepers",
            stance="opposes",
            summary="s",
            source_url="https://e.org",
            global_scope=True,
        )
    assert await seeded.curation.edit_entry(OWNER, "pos-ru-pk-1", {"summary": "Owner's rewording."}, "typo")
    assert (await seeded.reads.entry(None, "pos-ru-pk-1")).entry.summary == "Owner's rewording."


async def test_other_servers_entries_are_invisible_to_curators(seeded: Store) -> None:
    """Guild B's curator gets NotFound for guild A's entry, for edit, remove and history."""
    ev = await seeded.curation.add_event(
        CURATOR_A,
        topic="peacekeepers",
        date="2025-03",
        title="Local briefing",
        summary="s",
        source_url="https://e.org",
    )
    with pytest.raises(NotFound):
        await seeded.curation.edit_entry(CURATOR_B, ev, {"summary": "x"})
    with pytest.raises(NotFound):
        await seeded.curation.set_removed(CURATOR_B, ev, removed=True)
    with pytest.raises(NotFound):
        await seeded.curation.history(CURATOR_B, ev)


async def test_remove_hides_and_restore_shows_again(seeded: Store) -> None:
    """Soft delete hides an entry from reads and search; restore brings it back."""
    ev = await seeded.curation.add_event(
        CURATOR_A,
        topic="peacekeepers",
        date="2025-03-20",
        title="Northwood planning meeting",
        summary="Military chiefs met.",
        source_url="https://e.org",
        actors=["russia"],
    )
    assert [h.entry_id for h in (await seeded.reads.search(GUILD_A, "Northwood")).hits] == [ev]
    shown = await seeded.reads.timeline(GUILD_A, TimelineQuery("peacekeepers"), 0, 50)
    assert ev in [e.id for e in shown.items]
    await seeded.curation.set_removed(CURATOR_A, ev, removed=True, reason="duplicate")
    with pytest.raises(NotFound):
        await seeded.reads.entry(GUILD_A, ev)
    assert (await seeded.reads.search(GUILD_A, "Northwood")).hits == ()
    hidden = await seeded.reads.timeline(GUILD_A, TimelineQuery("peacekeepers"), 0, 50)
    assert ev not in [e.id for e in hidden.items]
    assert hidden.total == shown.total - 1
    assert (await seeded.reads.briefing(GUILD_A, "peacekeepers")).event_count == hidden.total
    with pytest.raises(InvalidInput):
        await seeded.curation.set_removed(CURATOR_A, ev, removed=True)
    await seeded.curation.set_removed(CURATOR_A, ev, removed=False)
    assert (await seeded.reads.entry(GUILD_A, ev)).entry.id == ev
    assert [h.entry_id for h in (await seeded.reads.search(GUILD_A, "Northwood")).hits] == [ev]
    again = await seeded.reads.timeline(GUILD_A, TimelineQuery("peacekeepers"), 0, 50)
    assert (again.total, [e.id for e in again.items]) == (shown.total, [e.id for e in shown.items])


async def test_editing_an_events_date_moves_it_in_the_timeline(seeded: Store) -> None:
    """A corrected date takes the event to its new place and in or out of a `since` window."""
    ev = await seeded.curation.add_event(
        CURATOR_A,
        topic="peacekeepers",
        date="2019-06-01",
        title="Early planning meeting",
        summary="Planners met.",
        source_url="https://e.org",
        actors=[],
    )
    first = await seeded.reads.timeline(GUILD_A, TimelineQuery("peacekeepers"), 0, 50)
    assert first.items[0].id == ev
    recent = TimelineQuery("peacekeepers", since=FuzzyDate.parse("2030-01"))
    assert (await seeded.reads.timeline(GUILD_A, recent, 0, 50)).total == 0
    await seeded.curation.edit_entry(CURATOR_A, ev, {"date": "2030-02"})
    moved = await seeded.reads.timeline(GUILD_A, TimelineQuery("peacekeepers"), 0, 50)
    assert moved.items[-1].id == ev
    assert moved.total == first.total
    assert [e.id for e in (await seeded.reads.timeline(GUILD_A, recent, 0, 50)).items] == [ev]


async def test_history_lists_every_revision_with_before_and_after(seeded: Store) -> None:
    """History: create, edit (before → after, reason), remove, restore — in order, with who."""
    ev = await seeded.curation.add_event(
        CURATOR_A,
        topic="peacekeepers",
        date="2025",
        title="Draft",
        summary="First text.",
        source_url="https://e.org",
    )
    assert await seeded.curation.edit_entry(
        CURATOR_A, ev, {"summary": "Second text.", "date": "2025-03"}, "sharper"
    )
    assert not await seeded.curation.edit_entry(CURATOR_A, ev, {"summary": "Second text."})
    await seeded.curation.set_removed(CURATOR_A, ev, removed=True, reason="oops")
    revisions = await seeded.curation.history(CURATOR_A, ev)
    assert [r.action for r in revisions] == ["create", "update", "remove"]
    edit = revisions[1]
    assert edit.user_id == CURATOR_A.user_id and edit.reason == "sharper"
    assert edit.changes["summary"] == ("First text.", "Second text.")
    assert edit.changes["date"] == ("2025", "2025-03")


async def test_event_date_keeps_precision(seeded: Store) -> None:
    """event-add with YYYY-MM stores month precision."""
    ev = await seeded.curation.add_event(
        CURATOR_A,
        topic="peacekeepers",
        date="2025-03",
        title="March talks",
        summary="s",
        source_url="https://e.org",
    )
    assert (await seeded.reads.entry(GUILD_A, ev)).entry.date.iso() == "2025-03"


async def test_actor_add_refuses_taken_slug_or_alias(seeded: Store) -> None:
    """A slug already visible (global actor or alias) is refused with the field named."""
    with pytest.raises(InvalidInput) as err:
        await seeded.curation.add_actor(CURATOR_A, slug="russia", name="Russia 2", kind="state", aliases=[])
    assert err.value.field == "slug"
    await seeded.curation.add_actor(CURATOR_A, slug="hungary", name="Hungary", kind="state", aliases=["hu"])
    assert [v for _, v in await seeded.reads.complete_actors(GUILD_A, "hun")] == ["hungary"]
    assert await seeded.reads.complete_actors(GUILD_B, "hun") == []


async def test_curator_role_round_trip(seeded: Store) -> None:
    """The curator role is stored per server."""
    assert await seeded.curation.curator_role(GUILD_A) is None
    await seeded.curation.set_curator_role(GUILD_A, 555, user_id=1)
    assert await seeded.curation.curator_role(GUILD_A) == 555
    assert await seeded.curation.curator_role(GUILD_B) is None


async def test_a_restored_entry_is_found_by_its_topic_title_again(seeded: Store) -> None:
    """Restoring re-indexes the entry with its topic's title (not its slug) among its searchable names."""
    ev = await seeded.curation.add_event(
        CURATOR_A,
        topic="nato-ukraine",
        date="2025-03-21",
        title="Accession talks in Brussels",
        summary="Officials met.",
        source_url="https://e.org/brussels",
        actors=["nato"],
    )

    async def found() -> bool:  # "membership" is in the topic's title, not in the event's text
        return ev in [h.entry_id for h in (await seeded.reads.search(GUILD_A, "membership")).hits]

    assert await found()
    await seeded.curation.set_removed(CURATOR_A, ev, removed=True, reason="check")
    assert not await found()
    await seeded.curation.set_removed(CURATOR_A, ev, removed=False)
    assert await found()


async def test_a_word_of_a_name_is_not_a_taken_slug(seeded: Store) -> None:
    """`states` is a word of "United States", not its slug, name or alias: a new actor may take it
    (and then `actor:states` opens it); `usa`, an alias, stays refused."""
    await seeded.curation.add_actor(
        CURATOR_A, slug="states", name="The States", kind="organisation", aliases=[]
    )
    assert (await seeded.reads.resolve_actor(GUILD_A, "states")).name == "The States"
    assert (await seeded.reads.resolve_actor(GUILD_B, "states")).slug == "united-states"
    with pytest.raises(InvalidInput) as err:
        await seeded.curation.add_actor(CURATOR_A, slug="usa", name="USA 2", kind="state", aliases=[])
    assert err.value.field == "slug"
