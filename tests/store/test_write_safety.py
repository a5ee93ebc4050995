"""Writes that never lose or duplicate (issue 11): concurrent adds, stale edits, other servers' ids,
titles and dates in any script. Each runs on a real SQLite file and on PostgreSQL."""

from __future__ import annotations

import asyncio
import re

import pytest
from sqlalchemy import func, select

from bot.db.models import AuditRow, EventRow, PositionRow
from bot.errors import InvalidInput, NotFound, StaleEdit
from bot.render import not_found_text
from bot.store import Store
from bot.store.curation import Writer
from tests.store.conftest import GUILD_A, GUILD_B

CURATORS_A = [Writer(user_id=100 + n, guild_id=GUILD_A, can_curate=True) for n in range(6)]
CURATOR_B = Writer(user_id=3, guild_id=GUILD_B, can_curate=True)
OWNER = Writer(user_id=1, guild_id=GUILD_A, is_owner=True)
N = 6


async def _count(store: Store, model: type[PositionRow] | type[EventRow], guild: int) -> int:
    async with store.sessions() as session:
        return int(
            await session.scalar(select(func.count()).select_from(model).where(model.guild_id == guild))
        )


async def _audits(store: Store, kind: str, action: str) -> int:
    async with store.sessions() as session:
        return int(
            await session.scalar(
                select(func.count())
                .select_from(AuditRow)
                .where(AuditRow.entry_kind == kind, AuditRow.action == action)
            )
        )


def _event(writer: Writer, **override: str) -> dict[str, object]:
    return {
        "topic": "peacekeepers",
        "date": "2025-08-01",
        "title": "Beta secret plan",
        "summary": "A plan.",
        "source_url": "https://example.org/plan",
    } | override


async def test_concurrent_event_adds_make_as_many_events(seeded: Store) -> None:
    """N curators add the same event at once: N events, N create audits, no update (issue 11.1)."""
    ids = await asyncio.gather(*(seeded.curation.add_event(w, **_event(w)) for w in CURATORS_A))
    assert len(set(ids)) == N
    assert await _count(seeded, EventRow, GUILD_A) == N
    assert await _audits(seeded, "event", "create") == 5 + N  # the seed's five, then ours
    assert await _audits(seeded, "event", "update") == 0


async def test_concurrent_global_event_adds_number_their_ids(seeded: Store) -> None:
    """Owners adding one global event at once get base, base-2, … — never one row updated N times."""
    owners = [Writer(user_id=1 + n, guild_id=GUILD_A, is_owner=True) for n in range(N)]
    ids = await asyncio.gather(
        *(seeded.curation.add_event(o, **_event(o), global_scope=True) for o in owners)
    )
    assert sorted(ids) == sorted(
        ["ev-2025-08-01-beta-secret-plan"] + [f"ev-2025-08-01-beta-secret-plan-{n}" for n in range(2, N + 1)]
    )
    assert await _audits(seeded, "event", "update") == 0


async def test_concurrent_position_sets_each_become_a_revision(seeded: Store) -> None:
    """N concurrent /admin position-set for one actor and topic: N positions, N create audits."""
    ids = await asyncio.gather(
        *(
            seeded.curation.set_position(
                w,
                actor="russia",
                topic="peacekeepers",
                stance="conditional",
                summary=f"Statement {w.user_id}",
                source_url="https://example.org/s",
                date="2025-06-01",
            )
            for w in CURATORS_A
        )
    )
    assert len(set(ids)) == N
    assert await _count(seeded, PositionRow, GUILD_A) == N
    assert await _audits(seeded, "position", "update") == 0
    detail = await seeded.reads.entry(GUILD_A, ids[0])
    assert set(ids) <= {p.id for p in detail.history} | {ids[0]}


async def test_stale_edit_is_refused_naming_who_and_when(seeded: Store) -> None:
    """Two editors open the form on one revision; the second save is refused, nothing overwritten."""
    ev = await seeded.curation.add_event(CURATORS_A[0], **_event(CURATORS_A[0]))
    _, _, seen = await seeded.curation.editable(CURATORS_A[1], ev)
    assert await seeded.curation.edit_entry(CURATORS_A[1], ev, {"summary": "First editor"}, based_on=seen)
    with pytest.raises(StaleEdit) as err:
        await seeded.curation.edit_entry(CURATORS_A[2], ev, {"summary": "Second editor"}, based_on=seen)
    assert f"<@{CURATORS_A[1].user_id}>" in str(err.value) and "UTC" in str(err.value)
    assert "reopen the form" in str(err.value)
    shown = await seeded.reads.entry(GUILD_A, ev)
    assert "First editor" in str(shown)


async def test_concurrent_edits_of_one_revision_save_once(seeded: Store) -> None:
    """N editors save over the same revision at once: exactly one update audit, the rest refused."""
    ev = await seeded.curation.add_event(CURATORS_A[0], **_event(CURATORS_A[0]))
    _, _, seen = await seeded.curation.editable(CURATORS_A[0], ev)
    results = await asyncio.gather(
        *(
            seeded.curation.edit_entry(w, ev, {"summary": f"By {w.user_id}"}, based_on=seen)
            for w in CURATORS_A
        ),
        return_exceptions=True,
    )
    assert sum(r is True for r in results) == 1
    assert sum(isinstance(r, StaleEdit) for r in results) == N - 1
    assert await _audits(seeded, "event", "update") == 1


async def test_ids_do_not_reveal_other_servers_entries(seeded: Store) -> None:
    """Server B's "Beta secret plan" changes nothing about the id server A gets (issue 11.6)."""
    pattern = re.compile(r"ev-2025-08-01-beta-secret-plan-[a-z2-9]{5}")
    alone = await seeded.curation.add_event(CURATORS_A[0], **_event(CURATORS_A[0], date="2025-08-02"))
    assert re.fullmatch(pattern.pattern.replace("08-01", "08-02"), alone)
    theirs = await seeded.curation.add_event(CURATOR_B, **_event(CURATOR_B))
    mine = await seeded.curation.add_event(CURATORS_A[0], **_event(CURATORS_A[0]))
    assert pattern.fullmatch(theirs) and pattern.fullmatch(mine) and mine != theirs


async def test_refusals_of_another_servers_id_read_like_no_such_entry(seeded: Store) -> None:
    """Edit, remove, restore, history and entry of B's id say exactly what a made-up id says."""
    theirs = await seeded.curation.add_event(CURATOR_B, **_event(CURATOR_B))
    made_up = theirs[:-5] + "zzzzz"
    me = CURATORS_A[0]

    async def texts(entry_id: str) -> list[str]:
        calls = [
            seeded.curation.editable(me, entry_id),
            seeded.curation.edit_entry(me, entry_id, {"summary": "x"}),
            seeded.curation.set_removed(me, entry_id, removed=True),
            seeded.curation.set_removed(me, entry_id, removed=False),
            seeded.curation.history(me, entry_id),
            seeded.reads.entry(GUILD_A, entry_id),
        ]
        out = []
        for call in calls:
            with pytest.raises(NotFound) as err:
                await call
            e = err.value
            out.append(not_found_text(e.kind, e.given, e.suggestions).replace(entry_id, "<id>"))
        return out

    assert await texts(theirs) == await texts(made_up)


@pytest.mark.parametrize(
    ("title", "stem"),
    [
        ("Переговори в Стамбулі", "ev-2025-05-16-peregovori-v-stambuli"),
        ("Переговоры в Стамбуле", "ev-2025-05-16-peregovory-v-stambule"),
        ("Zürich summit", "ev-2025-05-16-zurich-summit"),
    ],
)
async def test_titles_in_any_script_get_latin_ids(seeded: Store, title: str, stem: str) -> None:
    """Ukrainian, Russian and accented titles are accepted; the id is a transliterated slug (11.9)."""
    w = CURATORS_A[0]
    new_id = await seeded.curation.add_event(w, **_event(w, title=title, date="2025-05-16"))
    assert new_id.startswith(stem + "-")
    shown = await seeded.reads.entry(GUILD_A, new_id)
    assert title in str(shown)


async def test_title_with_nothing_latin_gets_a_random_id(seeded: Store) -> None:
    """An emoji-only title still records, under a random short id."""
    w = CURATORS_A[0]
    new_id = await seeded.curation.add_event(w, **_event(w, title="🕊️🕊️", date="2025"))
    assert re.fullmatch(r"ev-2025-[a-z2-9]{5}-[a-z2-9]{5}", new_id)


async def test_dates_in_arabic_indic_digits_are_accepted(seeded: Store) -> None:
    """٢٠٢٥-٠٨-٠١ is 2025-08-01 for /admin event-add, position-set and an edit."""
    w = CURATORS_A[0]
    ev = await seeded.curation.add_event(w, **_event(w, date="٢٠٢٥-٠٨-٠١"))
    assert ev.startswith("ev-2025-08-01-")
    pos = await seeded.curation.set_position(
        w,
        actor="russia",
        topic="peacekeepers",
        stance="opposes",
        summary="s",
        source_url="https://e.org",
        date="۲۰۲۵-۰۶",  # Persian digits
    )
    assert "-2025-06-" in pos
    assert await seeded.curation.edit_entry(w, ev, {"date": "٢٠٢٤"})
    _, current, _ = await seeded.curation.editable(w, ev)
    assert current["date"] == "2024"


async def test_errors_name_only_fields_the_user_typed(seeded: Store) -> None:
    """A bad date blames date; a title in any script (or of punctuation only) is recorded, never
    refused as a bad **id** (a field the curator did not type)."""
    w = CURATORS_A[0]
    with pytest.raises(InvalidInput) as err:
        await seeded.curation.add_event(w, **_event(w, date="٢٠٢٥-١٣"))
    assert err.value.field == "date"
    with pytest.raises(InvalidInput) as err:
        await seeded.curation.add_event(w, **_event(w, title="\u202eevil"))
    assert err.value.field == "title"
    for title in ("Ω", "—", "数", "ئ", "x" * 200):
        new_id = await seeded.curation.add_event(w, **_event(w, title=title))
        assert new_id.startswith("ev-2025-08-01-")


async def test_an_interaction_writes_once_however_often_it_arrives(seeded: Store) -> None:
    """The same interaction id handled twice (a replay, a second process): one event, one audit
    row; the second run is told it was already saved (issue 11.2, idempotency)."""
    from bot.store.receipts import AlreadySaved, Request, for_request

    w = CURATORS_A[0]
    with for_request(Request(4242, GUILD_A, w.user_id, "admin event-add")):
        await seeded.curation.add_event(w, **_event(w, title="Once only"))
    with for_request(Request(4242, GUILD_A, w.user_id, "admin event-add")), pytest.raises(AlreadySaved):
        await seeded.curation.add_event(w, **_event(w, title="Once only"))
    with for_request(Request(4243, GUILD_A, w.user_id, "admin event-add")):  # a new interaction writes
        await seeded.curation.add_event(w, **_event(w, title="Once only"))
    async with seeded.sessions() as session:
        titles = (await session.scalars(select(EventRow.title).where(EventRow.title == "Once only"))).all()
    assert len(titles) == 2
    assert await _audits(seeded, "event", "create") == 5 + 2


async def test_a_replayed_removal_is_not_applied_twice(seeded: Store) -> None:
    """Remove replayed under the same interaction id: already saved, not "already removed"."""
    from bot.store.receipts import AlreadySaved, Request, for_request

    w = CURATORS_A[0]
    ev = await seeded.curation.add_event(w, **_event(w))
    with for_request(Request(77, GUILD_A, w.user_id, "admin entry-remove")):
        await seeded.curation.set_removed(w, ev, removed=True)
    with for_request(Request(77, GUILD_A, w.user_id, "admin entry-remove")), pytest.raises(AlreadySaved):
        await seeded.curation.set_removed(w, ev, removed=True)
