"""Digest state in the database: claims, recording, failures, and the change log, on both databases."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from bot.db.models import AuditRow, DigestSubscriptionRow, utcnow
from bot.digest_model.types import FieldChange
from bot.errors import InvalidInput, NotFound
from bot.store import Store
from bot.store.audit_gate import enter_audited_write
from bot.store.curation import Writer
from bot.store.digests import AlreadySubscribed, delivery_nonce
from tests.store.conftest import GUILD_A, GUILD_B

T0 = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
CURATOR_A = Writer(user_id=2, guild_id=GUILD_A, can_curate=True)
CURATOR_B = Writer(user_id=3, guild_id=GUILD_B, can_curate=True)


async def subscribe(store: Store, guild: int = GUILD_A, **kw: object) -> int:
    args: dict[str, object] = {
        "guild_id": guild,
        "channel_id": 1,
        "topics": [],
        "cadence": "daily",
        "time_of_day": "09:00",
        "timezone": "UTC",
        "weekday": 0,
        "post_empty": True,
        "user_id": 1,
        "now": T0,
    }
    args.update(kw)
    return (await store.digests.subscribe(**args)).id  # type: ignore[arg-type]


async def test_subscribe_computes_first_due_and_validates(store: Store) -> None:
    """The first due time is the next local slot; bad time, zone or cadence name the option."""
    sub = await store.digests.get(GUILD_A, await subscribe(store, timezone="Europe/Kyiv"))
    assert sub.next_due_at == datetime(2025, 3, 11, 7, 0, tzinfo=UTC)
    for bad, field in (
        ({"time_of_day": "25:00"}, "time"),
        ({"timezone": "Nowhere/City"}, "timezone"),
        ({"cadence": "hourly"}, "cadence"),
    ):
        with pytest.raises(InvalidInput) as err:
            await subscribe(store, **bad)
        assert err.value.field == field


async def test_other_servers_subscription_is_not_found(store: Store) -> None:
    """A server cannot read, post (send-now) or delete another server's subscription."""
    sub_id = await subscribe(store)
    with pytest.raises(NotFound):
        await store.digests.get(GUILD_B, sub_id)
    with pytest.raises(NotFound):
        await store.digests.claim_now(GUILD_B, sub_id, "1001", T0, "b")
    with pytest.raises(NotFound):
        await store.digests.unsubscribe(GUILD_B, sub_id)
    assert [s.id for s in await store.digests.subscriptions(GUILD_A)] == [sub_id]


@pytest.mark.parametrize("racers", [2, 6])
async def test_same_channel_and_topics_subscribe_once_even_when_racing(store: Store, racers: int) -> None:
    """Subscribes racing for one channel and topic set (any order) make one row; the rest are told its id."""
    orders = [["peace-talks", "military-aid"], ["military-aid", "peace-talks"]]
    results = await asyncio.gather(
        *(subscribe(store, channel_id=7, topics=orders[n % 2]) for n in range(racers)),
        return_exceptions=True,
    )
    ids = [r for r in results if isinstance(r, int)]
    refusals = [r for r in results if isinstance(r, AlreadySubscribed)]
    assert len(ids) == 1, results
    assert len(refusals) == racers - 1, results
    assert all(r.existing == ids[0] and f"#{ids[0]}" in r.reason for r in refusals)
    assert [s.id for s in await store.digests.subscriptions(GUILD_A)] == ids
    assert await subscribe(store, channel_id=7, topics=["peace-talks"]) != ids[0]  # other topics: fine
    assert await subscribe(store, GUILD_B, channel_id=7, topics=orders[0])  # scoped by server


async def test_concurrent_claims_never_overlap(store: Store) -> None:
    """Two claimers at the same instant split the due subscriptions; none is claimed twice."""
    ids = {await subscribe(store, channel_id=100 + n, max_per_server=100) for n in range(30)}
    due = T0 + timedelta(days=1)
    first, second = await asyncio.gather(store.digests.claim_due(due, "a"), store.digests.claim_due(due, "b"))
    claimed = [c.subscription.id for c in first + second]
    assert sorted(claimed) == sorted(ids)
    assert await store.digests.claim_due(due, "c") == []


async def test_retry_after_lease_reuses_nonce_and_window(store: Store) -> None:
    """An unrecorded claim expires; the retry has the same nonce and changes window."""
    await subscribe(store)
    due = T0 + timedelta(days=1)
    (first,) = await store.digests.claim_due(due, "a")
    (retry,) = await store.digests.claim_due(due + timedelta(minutes=3), "b")
    assert (retry.nonce, retry.covered_from, retry.covered_until) == (
        first.nonce,
        first.covered_from,
        first.covered_until,
    )
    assert retry.attempts == 2


async def test_record_coalesces_missed_periods(store: Store) -> None:
    """After three days down, one delivery covers everything and the next due is tomorrow."""
    sub_id = await subscribe(store)
    late = T0 + timedelta(days=3, hours=1)
    (claim,) = await store.digests.claim_due(late, "a")
    await store.digests.record_done(claim, late, [123], posted=True)
    sub = await store.digests.get(GUILD_A, sub_id)
    assert sub.next_due_at == datetime(2025, 3, 14, 9, 0, tzinfo=UTC)
    assert sub.covered_until == late
    assert await store.digests.claim_due(late + timedelta(hours=1), "a") == []


async def test_period_due_while_posting_is_still_posted(store: Store) -> None:
    """The next due time counts from the claim: a slot that passes while a post is recorded late
    (a slow Discord, a paused process) is posted next, not skipped."""
    sub_id = await subscribe(store)
    claimed = datetime(2025, 3, 11, 9, 1, tzinfo=UTC)
    (claim,) = await store.digests.claim_due(claimed, "a")
    recorded = claimed + timedelta(days=1, hours=1)  # after the 12 March slot
    await store.digests.record_done(claim, recorded, [123], posted=True)
    sub = await store.digests.get(GUILD_A, sub_id)
    assert sub.next_due_at == datetime(2025, 3, 12, 9, 0, tzinfo=UTC)
    (catch_up,) = await store.digests.claim_due(recorded, "a")
    assert catch_up.covered_from == claimed
    assert catch_up.covered_until == recorded


async def test_a_claim_waits_for_audited_writes_in_flight(store: Store) -> None:
    """A write stamped before a digest's window closed is committed before the window is read:
    a long import running at digest time is in this digest, not lost between two."""
    await subscribe(store)
    async with store.sessions() as session, session.begin():
        await enter_audited_write(session)
        session.add(AuditRow(guild_id=0, entry_kind="event", entry_id="ev-x", action="create", at=utcnow()))
        await session.flush()
        claim = asyncio.create_task(store.digests.claim_due(T0 + timedelta(days=1), "a"))
        await asyncio.sleep(0.5)
        assert not claim.done()
    (claimed,) = await asyncio.wait_for(claim, 10)
    assert claimed.subscription.guild_id == GUILD_A


async def test_failures_back_off_or_disable(store: Store) -> None:
    """A transient failure is retried after a backoff; a permanent one disables with the reason."""
    sub_id = await subscribe(store)
    due = T0 + timedelta(days=1)
    (claim,) = await store.digests.claim_due(due, "a")
    await store.digests.record_failure(claim, due, "Discord error 503", permanent=False)
    assert await store.digests.claim_due(due + timedelta(seconds=10), "a") == []
    (again,) = await store.digests.claim_due(due + timedelta(seconds=31), "a")
    await store.digests.record_failure(again, due, "channel is gone", permanent=True)
    sub = await store.digests.get(GUILD_A, sub_id)
    assert not sub.active
    assert sub.disabled_reason == "channel is gone"
    assert await store.digests.claim_due(due + timedelta(days=2), "a") == []


async def test_change_log_classifies_and_filters(seeded: Store) -> None:
    """New position (old → new stance), new event, correction and removal; topic filter; no other server's."""
    since = datetime.now(UTC)
    new_pos = await seeded.curation.set_position(
        CURATOR_A,
        actor="russia",
        topic="peacekeepers",
        stance="conditional",
        summary="Observers maybe.",
        source_url="https://e.org/1",
        date="2025-04",
    )
    ev = await seeded.curation.add_event(
        CURATOR_A,
        topic="nato-ukraine",
        date="2025-04",
        title="Alpha event",
        summary="s",
        source_url="https://e.org/2",
    )
    await seeded.curation.edit_entry(CURATOR_A, ev, {"status": "disputed", "status_note": "Wrong date."})
    gone = await seeded.curation.add_event(
        CURATOR_A,
        topic="peacekeepers",
        date="2025-04",
        title="Gone",
        summary="s",
        source_url="https://e.org/3",
    )
    await seeded.curation.set_removed(CURATOR_A, gone, removed=True)
    await seeded.curation.add_event(
        CURATOR_B,
        topic="peacekeepers",
        date="2025-04",
        title="Beta only",
        summary="s",
        source_url="https://e.org/4",
    )
    until = datetime.now(UTC) + timedelta(seconds=1)
    changes = {c.entry_id: c for c in await seeded.changes.between(GUILD_A, [], since, until)}
    assert changes[new_pos].kind == "new"
    assert (changes[new_pos].previous_stance, changes[new_pos].stance) == ("opposes", "conditional")
    assert changes[ev].kind == "new"  # created and corrected in the same window: reported as new
    assert changes[ev].disputed
    assert gone not in changes  # created and removed within the window
    assert "Beta only" not in {c.title for c in changes.values()}
    only_pk = await seeded.changes.between(GUILD_A, ["peacekeepers"], since, until)
    assert {c.entry_id for c in only_pk} == {new_pos}
    later = await seeded.changes.between(GUILD_A, [], until, until + timedelta(hours=1))
    assert later == []


async def test_change_log_reports_corrections_and_removals(seeded: Store) -> None:
    """An existing entry marked disputed is a correction; a removed one is withdrawn."""
    ev = await seeded.curation.add_event(
        CURATOR_A,
        topic="peacekeepers",
        date="2025-04",
        title="Earlier",
        summary="s",
        source_url="https://e.org/5",
    )
    since = datetime.now(UTC)
    await seeded.curation.edit_entry(CURATOR_A, ev, {"status": "disputed", "status_note": "Misattributed."})
    other = await seeded.curation.add_event(
        CURATOR_A,
        topic="peacekeepers",
        date="2025-04",
        title="Other",
        summary="s",
        source_url="https://e.org/6",
    )
    since_other = datetime.now(UTC)
    await seeded.curation.set_removed(CURATOR_A, other, removed=True)
    until = datetime.now(UTC) + timedelta(seconds=1)
    changes = {c.entry_id: c for c in await seeded.changes.between(GUILD_A, [], since_other, until)}
    assert changes[other].kind == "removed"
    corrected = {c.entry_id: c for c in await seeded.changes.between(GUILD_A, [], since, since_other)}
    assert corrected[ev].kind == "corrected"
    assert FieldChange("status", "reported", "disputed") in corrected[ev].fields


async def test_posted_parts_are_kept_and_handed_to_the_retry(store: Store) -> None:
    """Parts recorded as posted come back with the retried claim; a part out of order is not recorded."""
    await subscribe(store, channel_id=55)
    due = T0 + timedelta(days=1)
    (first,) = await store.digests.claim_due(due, "a")
    assert first.posted_ids == ()
    await store.digests.record_part(first, 0, 1001)
    await store.digests.record_part(first, 2, 1003)  # part 1 missing: ignored
    await store.digests.record_part(first, 0, 9999)  # part 0 again (a repeated post): first id kept
    (retry,) = await store.digests.claim_due(due + timedelta(minutes=3), "b")
    assert retry.delivery_id == first.delivery_id
    assert retry.posted_ids == (1001,)


def test_nonce_is_unique_to_a_period_of_one_subscription_and_fits_discord() -> None:
    """The same period of the same subscription always gets one nonce; another period, another
    subscription or a subscription of the same number created at another time (a staging database,
    a restored backup) gets another. Discord takes at most 25 characters; parts add two."""
    period = "2025-03-11T09:00:00+00:00"
    nonce = delivery_nonce(7, T0, period)
    assert nonce == delivery_nonce(7, T0, period)
    others = {
        delivery_nonce(7, T0, "2025-03-12T09:00:00+00:00"),
        delivery_nonce(8, T0, period),
        delivery_nonce(7, T0 + timedelta(seconds=1), period),
    }
    assert nonce not in others and len(others) == 3
    assert len(nonce) + 2 <= 25


async def test_each_send_now_is_its_own_delivery_and_a_retried_one_is_not(store: Store) -> None:
    """Two /digest send-now (two interactions) are two deliveries with their own nonces; the same
    interaction retried after its lease claims the same delivery, so Discord drops a repeat."""
    sub_id = await subscribe(store)
    first = await store.digests.claim_now(GUILD_A, sub_id, "1001", T0, "a")
    await store.digests.record_done(first, T0, [5001], posted=True)
    second = await store.digests.claim_now(GUILD_A, sub_id, "1002", T0 + timedelta(minutes=1), "a")
    assert second.nonce != first.nonce and second.posted_ids == ()
    retry = await store.digests.claim_now(GUILD_A, sub_id, "1002", T0 + timedelta(minutes=5), "b")
    assert (retry.nonce, retry.attempts) == (second.nonce, 2)


async def test_unsubscribe_waits_for_a_write_committed_meanwhile_instead_of_failing_busy(
    store: Store,
) -> None:
    """The scheduler updates another subscription and commits while `/digest unsubscribe` runs: the
    unsubscribe waits for it and deletes. (On SQLite, a transaction that reads and then writes
    cannot take the write lock once another writer has committed since its read: it failed at
    once with "database is locked", and the curator was told the database was busy.)"""
    mine, theirs = await subscribe(store), await subscribe(store, channel_id=2)
    async with store.engine.connect() as connection:
        other = await connection.execution_options(sqlite_immediate=True)
        await other.begin()
        await other.execute(
            update(DigestSubscriptionRow).where(DigestSubscriptionRow.id == theirs).values(post_empty=False)
        )
        unsubscribing = asyncio.create_task(store.digests.unsubscribe(GUILD_A, mine))
        await asyncio.sleep(0.3)  # it has started: read the row (deferred) or waits to begin (immediate)
        await other.commit()
    await unsubscribing
    with pytest.raises(NotFound):
        await store.digests.get(GUILD_A, mine)
    assert (await store.digests.get(GUILD_A, theirs)).post_empty is False
