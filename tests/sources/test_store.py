"""Sources and drafts in the store, on SQLite and PostgreSQL: poll, dedupe, review, races."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.errors import AlreadyDecided, Forbidden, InvalidInput, NotFound
from bot.sources.guard import AllowList
from bot.sources.poller import Poller, PollSettings
from bot.store import Store
from bot.store.curation import Writer
from tests.sources.feeds import FeedServer, rss_with
from tests.store.conftest import GUILD_A, GUILD_B

CURATOR_A = Writer(user_id=1, guild_id=GUILD_A, can_curate=True)
CURATOR_A2 = Writer(user_id=2, guild_id=GUILD_A, can_curate=True)
CURATOR_B = Writer(user_id=3, guild_id=GUILD_B, can_curate=True)
MEMBER_A = Writer(user_id=4, guild_id=GUILD_A)
OWNER = Writer(user_id=9, guild_id=GUILD_A, is_owner=True, can_curate=True)


def poller(store: Store, allow: AllowList) -> Poller:
    return Poller(store, PollSettings(interval=60, min_host_interval=0, allow=allow))


async def _add(store: Store, url: str, allow: AllowList, writer: Writer = CURATOR_A, **kw: object) -> int:
    info = await store.sources.add_source(writer, url=url, allow=allow, **kw)  # type: ignore[arg-type]
    return info.id


async def test_poll_drafts_with_suggestions(seeded: Store, feeds: FeedServer, allow: AllowList) -> None:
    """A fetched feed's items become drafts with source, date and suggested topic and actors."""
    feeds.dynamic = rss_with([("n1", "NATO summit on peacekeepers with Russia")])
    sid = await _add(seeded, feeds.url("/dynamic.xml"), allow, label="Wire")
    p = poller(seeded, allow)
    try:
        [rec] = await p.poll_once(only=sid)
    finally:
        await p.stop()
    assert rec.new_drafts == 1
    draft, total = await seeded.sources.next_draft(CURATOR_A)
    assert total == 1 and draft is not None
    assert draft.source_labels == ("Wire",) and draft.date == "2024-12-02"
    assert draft.topic == "peacekeepers" and draft.actors == ("nato", "russia")


async def test_reorder_and_edit_make_no_new_draft(seeded: Store, feeds: FeedServer, allow: AllowList) -> None:
    """A feed that reorders and edits its items (same GUIDs) makes no second draft, even after restart."""
    feeds.dynamic = rss_with([("a", "First"), ("b", "Second")])
    sid = await _add(seeded, feeds.url("/dynamic.xml"), allow)
    p = poller(seeded, allow)
    await p.poll_once(only=sid)
    await p.stop()
    feeds.dynamic = rss_with([("b", "Second, edited"), ("a", "First"), ("c", "Third")])
    restarted = poller(seeded, allow)  # a new process: only the database remembers
    [rec] = await restarted.poll_once(only=sid)
    await restarted.stop()
    assert rec.new_drafts == 1
    _, total = await seeded.sources.next_draft(CURATOR_A)
    assert total == 3


async def test_same_link_two_sources_one_draft(seeded: Store, feeds: FeedServer, allow: AllowList) -> None:
    """The same article through two sources of one server is one draft listing both."""
    one = await _add(seeded, feeds.url("/rss2.xml"), allow, label="One")
    two = await _add(seeded, feeds.url("/to-rss2"), allow, label="Two")
    p = poller(seeded, allow)
    await p.poll_once(only=one)
    [rec] = await p.poll_once(only=two)
    await p.stop()
    assert rec.new_drafts == 0 and rec.merged == 2
    draft, total = await seeded.sources.next_draft(CURATOR_A)
    assert total == 2 and draft is not None and draft.source_labels == ("One", "Two")
    assert (await seeded.sources.next_draft(CURATOR_A, source_id=two))[1] == 2
    waiting = {s.label: s.waiting for s in await seeded.sources.list_sources(CURATOR_A)}
    assert waiting == {"One": 2, "Two": 2}


async def test_review_by_source_and_skip(seeded: Store, feeds: FeedServer, allow: AllowList) -> None:
    """review [source] shows only that source's drafts; after_id walks the queue in order."""
    feeds.dynamic = rss_with([("s1", "From dynamic")])
    dyn = await _add(seeded, feeds.url("/dynamic.xml"), allow, label="Dyn")
    atom = await _add(seeded, feeds.url("/atom.xml"), allow, label="Atom")
    p = poller(seeded, allow)
    await p.poll_once(only=dyn)
    await p.poll_once(only=atom)
    await p.stop()
    only_atom, total = await seeded.sources.next_draft(CURATOR_A, source_id=atom)
    assert total == 1 and only_atom is not None and only_atom.title == "Ceasefire talks resume"
    first, _ = await seeded.sources.next_draft(CURATOR_A)
    assert first is not None and first.title == "From dynamic"
    second, _ = await seeded.sources.next_draft(CURATOR_A, after_id=first.id)
    assert second is not None and second.id == only_atom.id
    assert (await seeded.sources.next_draft(CURATOR_A, after_id=second.id))[0] is None


async def test_filters(seeded: Store, feeds: FeedServer, allow: AllowList) -> None:
    """Include/exclude keywords keep only matching items."""
    sid = await _add(seeded, feeds.url("/rss2.xml"), allow, include=("sanctions",), exclude=("weather",))
    p = poller(seeded, allow)
    [rec] = await p.poll_once(only=sid)
    await p.stop()
    assert rec.new_drafts == 1


async def test_accept_creates_event_once_and_races(
    seeded: Store, feeds: FeedServer, allow: AllowList
) -> None:
    """Accept goes through the event-add path (audited); a racing second accept gets 'already accepted by'."""
    feeds.dynamic = rss_with([("x1", "NATO and Russia talk peacekeepers")])
    sid = await _add(seeded, feeds.url("/dynamic.xml"), allow, label="Wire")
    p = poller(seeded, allow)
    await p.poll_once(only=sid)
    await p.stop()
    draft, _ = await seeded.sources.next_draft(CURATOR_A)
    assert draft is not None
    results = await asyncio.gather(
        seeded.sources.accept_draft(CURATOR_A, draft.id),
        seeded.sources.accept_draft(CURATOR_A2, draft.id),
        return_exceptions=True,
    )
    ids = [r for r in results if isinstance(r, str)]
    errors = [r for r in results if isinstance(r, BaseException)]
    assert len(ids) == 1 and len(errors) == 1 and isinstance(errors[0], AlreadyDecided)
    assert "already" in str(errors[0]) and "<@" in str(errors[0])
    history = await seeded.curation.history(CURATOR_A, ids[0])
    assert history[0].reason == f"accepted from draft {draft.id} (source Wire)"
    after = await seeded.sources.get_draft(CURATOR_A, draft.id)
    assert after.status == "accepted" and after.entry_id == ids[0]
    with pytest.raises(AlreadyDecided, match="already accepted"):
        await seeded.sources.reject_draft(CURATOR_A2, draft.id)


async def test_failed_accept_leaves_draft_waiting(seeded: Store, feeds: FeedServer, allow: AllowList) -> None:
    """A bad edit (unknown topic) is refused with the field, and the draft stays in the queue."""
    feeds.dynamic = rss_with([("y1", "Something")])
    sid = await _add(seeded, feeds.url("/dynamic.xml"), allow)
    p = poller(seeded, allow)
    await p.poll_once(only=sid)
    await p.stop()
    draft, _ = await seeded.sources.next_draft(CURATOR_A)
    assert draft is not None and draft.topic == ""
    with pytest.raises(InvalidInput, match="topic"):
        await seeded.sources.accept_draft(CURATOR_A, draft.id)
    with pytest.raises(NotFound):
        await seeded.sources.accept_draft(CURATOR_A, draft.id, {"topic": "no-such-topic"})
    again = await seeded.sources.get_draft(CURATOR_A, draft.id)
    assert again.status == "waiting"
    entry = await seeded.sources.accept_draft(
        CURATOR_A, draft.id, {"topic": "peacekeepers", "date": "2024-12"}
    )
    assert entry.startswith("ev-2024-12-")


async def test_rejected_never_returns(seeded: Store, feeds: FeedServer, allow: AllowList) -> None:
    """A rejected item is not drafted again when the feed re-publishes it."""
    feeds.dynamic = rss_with([("r1", "Rejected item")])
    sid = await _add(seeded, feeds.url("/dynamic.xml"), allow)
    p = poller(seeded, allow)
    await p.poll_once(only=sid)
    draft, _ = await seeded.sources.next_draft(CURATOR_A)
    assert draft is not None
    await seeded.sources.reject_draft(CURATOR_A, draft.id)
    [rec] = await p.poll_once(only=sid)
    await p.stop()
    assert rec.new_drafts == 0
    assert (await seeded.sources.next_draft(CURATOR_A))[0] is None


async def test_servers_and_members_isolated(seeded: Store, feeds: FeedServer, allow: AllowList) -> None:
    """Another server sees none of this server's sources or drafts; a member may do nothing."""
    sid = await _add(seeded, feeds.url("/rss2.xml"), allow)
    p = poller(seeded, allow)
    await p.poll_once(only=sid)
    await p.stop()
    assert await seeded.sources.list_sources(CURATOR_B) == []
    assert (await seeded.sources.next_draft(CURATOR_B)) == (None, 0)
    draft, _ = await seeded.sources.next_draft(CURATOR_A)
    assert draft is not None
    with pytest.raises(NotFound):
        await seeded.sources.accept_draft(CURATOR_B, draft.id)
    with pytest.raises(NotFound):
        await seeded.sources.remove_source(CURATOR_B, sid)
    with pytest.raises(Forbidden):
        await seeded.sources.next_draft(MEMBER_A)
    with pytest.raises(Forbidden):
        await seeded.sources.add_source(MEMBER_A, url=feeds.url("/atom.xml"), allow=allow)


async def test_loopback_url_refused_without_allow(seeded: Store, feeds: FeedServer) -> None:
    """source-add of a 127.0.0.1 URL without SOURCE_ALLOW_HOSTS is refused, naming why."""
    with pytest.raises(InvalidInput, match="loopback"):
        await seeded.sources.add_source(CURATOR_A, url=feeds.url("/rss2.xml"), allow=AllowList())
    assert await seeded.sources.list_sources(CURATOR_A) == []


async def test_errors_back_off_and_304(seeded: Store, feeds: FeedServer, allow: AllowList) -> None:
    """An HTML page is recorded as the source's error with backoff; an unchanged feed is a 304."""
    bad = await _add(seeded, feeds.url("/page.html"), allow)
    good = await _add(seeded, feeds.url("/etag.xml"), allow)
    p = poller(seeded, allow)
    await p.poll_once(only=bad)
    await p.poll_once(only=bad)
    await p.poll_once(only=good)
    await p.poll_once(only=good)
    await p.stop()
    infos = {s.id: s for s in await seeded.sources.list_sources(CURATOR_A)}
    assert "HTML page" in infos[bad].last_error and infos[bad].failures == 2
    assert infos[bad].next_due_at - infos[bad].last_fetch_at >= timedelta(seconds=60 * 4 * 0.9)  # type: ignore[operator]
    assert p.stats.fetches == {"error": 2, "ok": 1, "not_modified": 1}
    assert feeds.headers_seen[-1].get("If-None-Match") == '"v1"'


async def test_claims_and_host_spacing(seeded: Store, feeds: FeedServer, allow: AllowList) -> None:
    """Two processes never claim one source; one host is not fetched twice within the minimum interval."""
    now = datetime.now(UTC)
    a = await _add(seeded, feeds.url("/rss2.xml"), allow, now=now)
    await _add(seeded, feeds.url("/atom.xml"), allow, now=now)  # same host
    first = await seeded.sources.claim_due("p1", now, min_host_interval=300)
    second = await seeded.sources.claim_due("p2", now, min_host_interval=300)
    assert [s.id for s in first] == [a] and second == []
    later = await seeded.sources.claim_due("p2", now + timedelta(seconds=301), min_host_interval=300)
    assert len(later) == 1  # the host's next fetch, one at a time


async def test_global_sources_feed_the_owners_queue(
    seeded: Store, feeds: FeedServer, allow: AllowList
) -> None:
    """A global source (owners only) drafts into the owners' queue; server curators never see it."""
    with pytest.raises(Forbidden, match="owners"):
        await seeded.sources.add_source(CURATOR_A, url=feeds.url("/atom.xml"), allow=allow, global_scope=True)
    sid = await _add(
        seeded, feeds.url("/atom.xml"), allow, writer=OWNER, global_scope=True, topic="peacekeepers"
    )
    p = poller(seeded, allow)
    await p.poll_once(only=sid)
    await p.stop()
    assert (await seeded.sources.next_draft(CURATOR_A)) == (None, 0)
    assert await seeded.sources.list_sources(CURATOR_A) == []
    draft, total = await seeded.sources.next_draft(OWNER)
    assert total == 1 and draft is not None and draft.guild_id == 0
    entry = await seeded.sources.accept_draft(OWNER, draft.id)
    shown = await seeded.reads.export(0, only_ids={entry})
    assert shown.events and shown.events[0].title == "Ceasefire talks resume"
