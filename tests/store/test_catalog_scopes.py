"""The catalog re-reads only the scopes whose actors/topics changed (one server's import does not
reload the global catalog), in this process and in another one."""

from __future__ import annotations

import dataclasses

import pytest

from bot.dataset.records import Dataset
from bot.domain import Actor, ActorKind, Topic
from bot.errors import Ambiguous
from bot.store import Store
from bot.store.curation import Writer
from bot.store.writes import bump_catalog_version
from tests.store.conftest import GUILD_A, GUILD_B

CURATOR_A = Writer(user_id=2, guild_id=GUILD_A, can_curate=True)


async def test_server_import_rereads_only_that_server(seeded: Store) -> None:
    """After guild A's import, A sees its actor, B does not, and the global index is the same object."""
    other = Store(seeded.engine, cache_ttl=0)  # another process's view of the same database
    before_here, before_there = await seeded.catalog.get(), await other.catalog.get()
    local = Actor("hungary", "Hungary", ActorKind.STATE, ("hu",))
    report = await seeded.writes.import_dataset(
        Dataset(actors=(local,), topics=(Topic("local", "Local"),)), guild_id=GUILD_A
    )
    assert report.ok
    for store, before in ((seeded, before_here), (other, before_there)):
        snap = await store.catalog.get()
        assert snap.version != before.version
        assert snap.actors._scopes[0] is before.actors._scopes[0]  # global: shared, not rebuilt
        assert "hungary" in {a.slug for a in snap.actors.all(GUILD_A)}
        assert "hungary" not in {a.slug for a in snap.actors.all(GUILD_B)}
        assert snap.actors.resolve(GUILD_A, "hu")[1].slug == "hungary"
        assert snap.actors.get(snap.actors.resolve(GUILD_A, "hu")[0]) is not None


async def test_server_change_replaces_its_scope(seeded: Store) -> None:
    """A renamed server actor shows its new name; its old name no longer resolves."""
    local = Actor("hungary", "Hungary", ActorKind.STATE, ("hu",))
    assert (await seeded.writes.import_dataset(Dataset(actors=(local,)), guild_id=GUILD_A)).ok
    renamed = dataclasses.replace(local, name="Magyarország")
    assert (await seeded.writes.import_dataset(Dataset(actors=(renamed,)), guild_id=GUILD_A)).ok
    snap = await seeded.catalog.get()
    assert snap.actors.resolve(GUILD_A, "magyarország")[1].name == "Magyarország"
    assert [a.name for a in snap.actors.all(GUILD_A)].count("Magyarország") == 1
    assert "hungary" not in {k for k, _ in snap.actors.complete(GUILD_A, "hung")}


async def test_all_keeps_name_order_with_a_servers_entries(seeded: Store) -> None:
    """A server's actors are merged into the global list in name order (server first on ties)."""
    locals_ = (
        Actor("zz-russia", "Russia", ActorKind.STATE),
        Actor("aa-first", "Aaland", ActorKind.STATE),
        Actor("mm-mid", "Moldova", ActorKind.STATE),
    )
    assert (await seeded.writes.import_dataset(Dataset(actors=locals_), guild_id=GUILD_A)).ok
    merged = (await seeded.catalog.get()).actors.all(GUILD_A)
    names = [a.name.lower() for a in merged]
    assert names == sorted(names)
    assert [a.slug for a in merged if a.name == "Russia"] == ["zz-russia", "russia"]


async def test_unscoped_bump_rereads_everything(seeded: Store) -> None:
    """A version bump that names no scope (e.g. a bulk load) makes every process re-read all."""
    before = await seeded.catalog.get()
    async with seeded.sessions.begin() as session:
        await bump_catalog_version(session)
    seeded.catalog.invalidate()
    after = await seeded.catalog.get()
    assert after.version != before.version
    assert after.actors._scopes[0] is not before.actors._scopes[0]


async def test_many_servers_imported_at_once_are_each_seen_by_another_process(seeded: Store) -> None:
    """`import --servers` marks every server whose own actors changed: another process that had
    read the catalog before sees each server's new actor, in that server only, and the global
    index is not rebuilt; a server whose import changed no actor or topic keeps its scope."""
    other = Store(seeded.engine, cache_ttl=0)
    before = await other.catalog.get()
    batch = [
        (GUILD_A, Dataset(actors=(Actor("hungary", "Hungary", ActorKind.STATE, ("hu",)),))),
        (GUILD_B, Dataset(actors=(Actor("slovakia", "Slovakia", ActorKind.STATE, ("sk",)),))),
    ]
    assert all(r.applied for r in await seeded.writes.import_servers(batch))
    snap = await other.catalog.get()
    assert snap.version != before.version
    assert snap.actors._scopes[0] is before.actors._scopes[0]
    assert snap.actors.resolve(GUILD_A, "hu")[1].slug == "hungary"
    assert snap.actors.resolve(GUILD_B, "sk")[1].slug == "slovakia"
    assert "slovakia" not in {a.slug for a in snap.actors.all(GUILD_A)}
    assert "hungary" not in {a.slug for a in snap.actors.all(GUILD_B)}


async def test_a_word_in_several_names_asks_which_within_the_server_only(seeded: Store) -> None:
    """`ukraine` is a word of the global "Peacekeepers in Ukraine" and of server A's own "Aid to
    Ukraine": in A it is ambiguous and both are offered; in B, which cannot see A's topic, it is
    the one topic it can see."""
    await seeded.curation.add_topic(CURATOR_A, slug="aid", title="Aid to Ukraine", summary="Weapons.")
    with pytest.raises(Ambiguous) as err:
        await seeded.reads.resolve_topic(GUILD_A, "Ukraine")
    assert err.value.candidates == (("aid", "Aid to Ukraine"), ("peacekeepers", "Peacekeepers in Ukraine"))
    assert (await seeded.reads.resolve_topic(GUILD_B, "ukraine")).slug == "peacekeepers"
    assert (await seeded.reads.resolve_topic(GUILD_A, "aid")).title == "Aid to Ukraine"  # its slug still wins


async def test_a_servers_own_item_hides_the_global_one_it_shadows_from_the_word_rule(seeded: Store) -> None:
    """Server A had its own `aid` before a global `aid` came: for A only its own counts, so `relief`,
    a word of both titles, opens A's own instead of asking which of two `aid`s."""
    ours = Topic("aid", "Relief for Ukraine (our view)", "Ours.")
    assert (await seeded.writes.import_dataset(Dataset(topics=(ours,)), guild_id=GUILD_A)).ok
    assert (
        await seeded.writes.import_dataset(Dataset(topics=(Topic("aid", "Relief for Ukraine", "All."),)))
    ).ok
    assert (await seeded.reads.resolve_topic(GUILD_A, "relief")).title == "Relief for Ukraine (our view)"
    assert (await seeded.reads.resolve_topic(GUILD_B, "relief")).title == "Relief for Ukraine"


async def test_a_global_item_a_server_shadows_does_not_count_for_the_word_rule(seeded: Store) -> None:
    """Server A's own `aid` hides the global `aid` from A: the global title's word `ukraine` is
    then in one title A can see ("Peacekeepers in Ukraine"), which opens; server B sees both."""
    assert (
        await seeded.writes.import_dataset(
            Dataset(topics=(Topic("aid", "Our relief", "Ours."),)), guild_id=GUILD_A
        )
    ).ok
    assert (await seeded.writes.import_dataset(Dataset(topics=(Topic("aid", "Aid to Ukraine", "All."),)))).ok
    assert (await seeded.reads.resolve_topic(GUILD_A, "ukraine")).slug == "peacekeepers"
    with pytest.raises(Ambiguous):
        await seeded.reads.resolve_topic(GUILD_B, "ukraine")
