"""The change log's shared windows, on both databases: every digest gets what reading the audit
log entry by entry gives (the reference below, the change log before its window cache), while
the global part of a window is read once and re-read only after a write."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

import bot.store.changes as changes_mod
from bot.db.models import AuditRow, EventRow, EventTopicRow, PositionRow
from bot.digest.scheduler import DigestScheduler
from bot.digest_model.types import Change, Subscription
from bot.domain import FuzzyDate
from bot.drills import Clock
from bot.store import Store
from bot.store.changes import _field_changes, _first_url, _kind
from bot.store.curation import Writer
from bot.store.reads import visible_scopes
from tests.store.conftest import GUILD_A, GUILD_B

OWNER = Writer(user_id=1, guild_id=None, is_owner=True)
CURATOR_A = Writer(user_id=2, guild_id=GUILD_A, can_curate=True)
CURATOR_B = Writer(user_id=3, guild_id=GUILD_B, can_curate=True)
TOPIC_SETS: tuple[tuple[str, ...], ...] = (
    (),
    ("peacekeepers",),
    ("nato-ukraine",),
    ("peacekeepers", "nato-ukraine"),
    ("no-such-topic",),
)


async def reference(
    store: Store, guild_id: int, topics: Sequence[str], since: datetime, until: datetime
) -> list[Change]:
    """The digest items read entry by entry, one "previous stance" query per new position."""
    scopes = visible_scopes(guild_id)
    snap = await store.catalog.get()
    wanted = set(topics)
    out: list[Change] = []
    async with store.sessions() as session:
        audits = (
            await session.scalars(
                select(AuditRow)
                .where(
                    AuditRow.guild_id.in_(scopes),
                    AuditRow.entry_kind.in_(("position", "event")),
                    AuditRow.at > since,
                    AuditRow.at <= until,
                )
                .order_by(AuditRow.id)
                .limit(changes_mod.MAX_AUDIT_ROWS)
            )
        ).all()
        by_entry: dict[str, list[Any]] = defaultdict(list)
        for a in audits:
            by_entry[a.entry_id].append(a)
        for entry_id, rows in by_entry.items():
            prow = await session.scalar(
                select(PositionRow).where(PositionRow.id == entry_id, PositionRow.guild_id.in_(scopes))
            )
            erow = await session.scalar(
                select(EventRow).where(EventRow.id == entry_id, EventRow.guild_id.in_(scopes))
            )
            kind = None
            if prow is not None and prow.guild_id in scopes:
                topic, actor = snap.topics.get(prow.topic_id), snap.actors.get(prow.actor_id)
                if topic is None or actor is None or (wanted and topic.slug not in wanted):
                    continue
                kind = _kind(prow.removed_at is not None, rows)
                if kind is None:
                    continue
                previous = None
                if kind == "new":
                    previous = await session.scalar(
                        select(PositionRow.stance)
                        .where(
                            PositionRow.actor_id == prow.actor_id,
                            PositionRow.topic_id == prow.topic_id,
                            PositionRow.guild_id.in_(scopes),
                            PositionRow.removed_at.is_(None),
                            PositionRow.id != prow.id,
                            PositionRow.stated_on <= prow.stated_on,
                        )
                        .order_by(PositionRow.stated_on.desc(), PositionRow.created_at.desc())
                        .limit(1)
                    )
                out.append(
                    Change(
                        prow.id,
                        "position",
                        kind,
                        f"{actor.name} on {topic.title}",
                        (topic.slug,),
                        rows[-1].at,
                        _first_url(prow.sources),
                        prow.status == "disputed",
                        prow.gist or prow.summary,
                        prow.status_note if prow.status == "disputed" else "",
                        date=FuzzyDate(prow.stated_on, prow.precision),  # type: ignore[arg-type]
                        stance=prow.stance,
                        previous_stance=previous or "",
                        fields=_field_changes(rows) if kind in ("updated", "corrected") else (),
                    )
                )
            elif erow is not None and erow.guild_id in scopes:
                topic_ids = await session.scalars(
                    select(EventTopicRow.topic_id).where(
                        EventTopicRow.event_id == entry_id, EventTopicRow.guild_id == erow.guild_id
                    )
                )
                slugs = tuple(t.slug for t in (snap.topics.get(i) for i in topic_ids) if t)
                if wanted and not wanted.intersection(slugs):
                    continue
                kind = _kind(erow.removed_at is not None, rows)
                if kind is None:
                    continue
                out.append(
                    Change(
                        erow.id,
                        "event",
                        kind,
                        erow.title,
                        slugs,
                        rows[-1].at,
                        _first_url(erow.sources),
                        erow.status == "disputed",
                        "",
                        erow.status_note if erow.status == "disputed" else "",
                        date=FuzzyDate(erow.occurred_on, erow.precision),  # type: ignore[arg-type]
                        fields=() if kind == "new" else _field_changes(rows),
                    )
                )
            if len(out) >= changes_mod.MAX_CHANGES:
                break
    return out


async def tick() -> datetime:
    """Now, a little after the last write (so that window edges never tie with an audit stamp)."""
    await asyncio.sleep(0.01)
    moment = datetime.now(UTC)
    await asyncio.sleep(0.01)
    return moment


async def position(store: Store, writer: Writer, actor: str, topic: str, stance: str, date: str) -> str:
    return await store.curation.set_position(
        writer,
        actor=actor,
        topic=topic,
        stance=stance,
        summary=f"{actor} {stance} on {topic}.",
        source_url=f"https://e.org/{actor}-{topic}-{date}",
        date=date,
        global_scope=writer.is_owner,
    )


async def event(store: Store, writer: Writer, topic: str, title: str) -> str:
    return await store.curation.add_event(
        writer,
        topic=topic,
        date="2025-04",
        title=title,
        summary="s",
        source_url="https://e.org/ev",
        global_scope=writer.is_owner,
    )


async def busy_window(store: Store) -> tuple[datetime, datetime, dict[str, str]]:
    """A window with every kind of change: global ones, and each server's own."""
    ids: dict[str, str] = {}
    # Before the window: server A's own statement, later than the global ones; an event to restore.
    ids["a_earlier"] = await position(store, CURATOR_A, "russia", "peacekeepers", "supports", "2025-03-20")
    ids["restored"] = await event(store, OWNER, "peacekeepers", "Brought back")
    await store.curation.set_removed(OWNER, ids["restored"], removed=True)
    since = await tick()
    ids["ru_new"] = await position(store, OWNER, "russia", "peacekeepers", "conditional", "2025-04-01")
    ids["nato_new"] = await position(store, OWNER, "nato", "nato-ukraine", "supports", "2025-04-02")
    await store.curation.edit_entry(OWNER, "pos-us-nato", {"stance": "supports"})
    await store.curation.edit_entry(
        OWNER, "pos-nato-nato", {"status": "disputed", "status_note": "Quote misread."}
    )
    await store.curation.set_removed(OWNER, "ev-2008", removed=True)
    await store.curation.set_removed(OWNER, ids["restored"], removed=False)
    ids["ev_new"] = await event(store, OWNER, "nato-ukraine", "Global event")
    ids["b_event"] = await event(store, CURATOR_B, "peacekeepers", "Beta only")
    ids["b_pos"] = await position(store, CURATOR_B, "nato", "nato-ukraine", "opposes", "2025-04-03")
    until = await tick()
    return since, until, ids


async def test_every_digest_of_a_window_matches_the_entry_by_entry_reading(seeded: Store) -> None:
    """Each server and topic set gets exactly the reference items, from one read of the global part."""
    since, until, ids = await busy_window(seeded)
    for _ in range(2):
        for guild in (GUILD_A, GUILD_B, 0):
            for topics in TOPIC_SETS:
                got = await seeded.changes.between(guild, topics, since, until)
                assert got == await reference(seeded, guild, topics, since, until), (guild, topics)
    assert seeded.changes.stats.misses == 1
    kinds = {c.entry_id: c.kind for c in await seeded.changes.between(GUILD_A, [], since, until)}
    assert kinds == {
        ids["ru_new"]: "new",
        ids["nato_new"]: "new",
        "pos-us-nato": "updated",
        "pos-nato-nato": "corrected",
        "ev-2008": "removed",
        ids["restored"]: "restored",
        ids["ev_new"]: "new",
    }


async def test_two_subscriptions_with_different_topics_get_their_own_items(seeded: Store) -> None:
    """Same window, different topics: different items; the second digest reuses the window."""
    since, until, ids = await busy_window(seeded)
    peace = {c.entry_id for c in await seeded.changes.between(GUILD_A, ["peacekeepers"], since, until)}
    nato = {c.entry_id for c in await seeded.changes.between(GUILD_A, ["nato-ukraine"], since, until)}
    assert peace == {ids["ru_new"], ids["restored"]}
    assert nato == {ids["nato_new"], "pos-us-nato", "pos-nato-nato", "ev-2008", ids["ev_new"]}
    assert (seeded.changes.stats.misses, seeded.changes.stats.hits) == (1, 1)


async def test_previous_stance_counts_the_servers_own_statements(seeded: Store) -> None:
    """A new global statement follows server A's own later statement there, the global one elsewhere."""
    since, until, ids = await busy_window(seeded)
    stances = {
        guild: next(
            (c.previous_stance, c.stance)
            for c in await seeded.changes.between(guild, [], since, until)
            if c.entry_id == ids["ru_new"]
        )
        for guild in (GUILD_A, GUILD_B, 0)
    }
    assert stances[GUILD_A] == ("supports", "conditional")
    assert stances[GUILD_B] == ("opposes", "conditional")
    assert stances[0] == ("opposes", "conditional")


async def test_server_statement_written_in_the_window_is_the_previous_one(seeded: Store) -> None:
    """A server's own statement written during the window counts too (and is its own new item)."""
    since = await tick()
    global_new = await position(seeded, OWNER, "russia", "peacekeepers", "conditional", "2025-04-01")
    before = await seeded.changes.between(GUILD_A, [], since, datetime.now(UTC) + timedelta(minutes=1))
    first = next(c for c in before if c.entry_id == global_new)
    assert (first.previous_stance, first.stance) == ("opposes", "conditional")
    mine = await position(seeded, CURATOR_A, "russia", "peacekeepers", "ambiguous", "2025-03-25")
    until = await tick()
    got = {c.entry_id: c for c in await seeded.changes.between(GUILD_A, [], since, until)}
    assert (got[global_new].previous_stance, got[global_new].stance) == ("ambiguous", "conditional")
    assert got[mine].kind == "new"
    assert list(got.values()) == await reference(seeded, GUILD_A, [], since, until)


async def test_local_changes_never_leak_to_another_server(seeded: Store) -> None:
    """Server B's own entries are in B's digest only, though both share the window's global part."""
    since, until, ids = await busy_window(seeded)
    of_a = {c.entry_id for c in await seeded.changes.between(GUILD_A, [], since, until)}
    of_b = {c.entry_id for c in await seeded.changes.between(GUILD_B, [], since, until)}
    of_global = {c.entry_id for c in await seeded.changes.between(0, [], since, until)}
    assert {ids["b_event"], ids["b_pos"]} <= of_b
    assert not {ids["b_event"], ids["b_pos"]} & (of_a | of_global)
    assert of_a - {ids["b_event"], ids["b_pos"]} == of_global == of_b - {ids["b_event"], ids["b_pos"]}
    assert seeded.changes.stats.misses == 1


async def test_change_after_a_cached_window_shows_in_the_next_window(seeded: Store) -> None:
    """A write after a window was read is in the next window, and the past window is unchanged."""
    since = await tick()
    first = await event(seeded, OWNER, "peacekeepers", "First")
    until = await tick()
    assert [c.entry_id for c in await seeded.changes.between(GUILD_A, [], since, until)] == [first]
    later = await event(seeded, OWNER, "peacekeepers", "Later")
    end = await tick()
    assert [c.entry_id for c in await seeded.changes.between(GUILD_A, [], since, until)] == [first]
    assert [c.entry_id for c in await seeded.changes.between(GUILD_A, [], until, end)] == [later]


async def test_write_into_an_open_window_is_seen_at_once(seeded: Store) -> None:
    """A window whose end is still ahead is re-read after a write committed into it."""
    since = await tick()
    until = datetime.now(UTC) + timedelta(minutes=5)
    first = await event(seeded, OWNER, "peacekeepers", "First")
    assert [c.entry_id for c in await seeded.changes.between(GUILD_A, [], since, until)] == [first]
    second = await event(seeded, OWNER, "nato-ukraine", "Second")
    got = await seeded.changes.between(GUILD_B, [], since, until)
    assert [c.entry_id for c in got] == [first, second]
    assert got == await reference(seeded, GUILD_B, [], since, until)


async def test_entry_removed_after_the_window_leaves_its_new_item(seeded: Store) -> None:
    """A cached window follows the entries' current state: a new entry removed since is dropped."""
    since = await tick()
    gone = await event(seeded, OWNER, "peacekeepers", "Soon gone")
    kept = await event(seeded, OWNER, "peacekeepers", "Kept")
    until = await tick()
    assert {c.entry_id for c in await seeded.changes.between(GUILD_A, [], since, until)} == {gone, kept}
    await seeded.curation.set_removed(OWNER, gone, removed=True)
    got = await seeded.changes.between(GUILD_A, [], since, until)
    assert [c.entry_id for c in got] == [kept]
    assert got == await reference(seeded, GUILD_A, [], since, until)


@pytest.mark.parametrize(("max_changes", "max_rows"), [(3, 40), (40, 5), (2, 3)])
async def test_caps_match_the_entry_by_entry_reading(
    seeded: Store, monkeypatch: pytest.MonkeyPatch, max_changes: int, max_rows: int
) -> None:
    """With small caps on items and audit rows read, every digest still equals the reference."""
    monkeypatch.setattr(changes_mod, "MAX_CHANGES", max_changes)
    monkeypatch.setattr(changes_mod, "MAX_AUDIT_ROWS", max_rows)
    since, until, _ = await busy_window(seeded)
    for guild in (GUILD_A, GUILD_B, 0):
        for topics in TOPIC_SETS:
            got = await seeded.changes.between(guild, topics, since, until)
            assert got == await reference(seeded, guild, topics, since, until), (guild, topics)
            assert len(got) <= max_changes


async def test_concurrent_digests_read_the_window_once(seeded: Store) -> None:
    """Digests composed at once for the same window share one reading of it."""
    since, until, _ = await busy_window(seeded)
    results = await asyncio.gather(
        *(seeded.changes.between(guild, (), since, until) for guild in (GUILD_A, GUILD_B) * 4)
    )
    assert seeded.changes.stats.misses == 1
    assert results[0] == await reference(seeded, GUILD_A, [], since, until)
    assert results[1] == await reference(seeded, GUILD_B, [], since, until)


async def test_compose_names_topics_and_falls_back_to_the_slug(seeded: Store) -> None:
    """The digest names each subscribed topic by title; a topic deleted since by its slug."""
    since, until, ids = await busy_window(seeded)

    async def poster(channel_id: int, embed: Any, nonce: str, choices: Any = ()) -> int:
        raise AssertionError("compose never posts")

    scheduler = DigestScheduler(seeded, poster, clock=Clock(), tick_seconds=60)
    sub = Subscription(
        1,
        GUILD_A,
        1,
        ("peacekeepers", "gone-topic"),
        "daily",
        "09:00",
        "UTC",
        0,
        True,
        True,
        "",
        since,
        until,
    )
    content = await scheduler.compose(sub, since, until)
    assert content.topic_titles == ("Peacekeepers in Ukraine", "gone-topic")
    assert {c.entry_id for c in content.changes} == {ids["ru_new"], ids["restored"]}


async def test_a_change_stamped_at_a_window_boundary_is_in_one_window_only(seeded: Store) -> None:
    """Windows are (since, until]: a change stamped exactly at a boundary is in the window that ends
    there and not in the one that starts there, so consecutive digests never list it twice."""
    since = await tick()
    edge = await event(seeded, OWNER, "peacekeepers", "On the boundary")
    async with seeded.sessions() as session:
        at = await session.scalar(select(AuditRow.at).where(AuditRow.entry_id == edge))
    assert at is not None
    assert [c.entry_id for c in await seeded.changes.between(GUILD_A, [], since, at)] == [edge]
    assert await seeded.changes.between(GUILD_A, [], at, at + timedelta(seconds=1)) == []
