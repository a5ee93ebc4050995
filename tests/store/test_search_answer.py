"""/search as the answer builds it: a query naming a topic or an actor points at its own answer."""

from __future__ import annotations

from bot.dataset.records import Dataset
from bot.discord_app import answers
from bot.domain import Actor, ActorKind, SearchQuery
from bot.store import Store
from tests.store.conftest import GUILD_A, GUILD_B


async def test_a_search_naming_a_topic_points_at_its_brief(seeded: Store) -> None:
    """Searching a topic's name lists the matches and says where each actor stands on it."""
    answer = await answers.search(seeded, None, SearchQuery("peacekeepers"))
    description = answer.embed.description or ""
    assert "`/brief topic:peacekeepers`" in description
    assert "/position" not in description


async def test_a_search_naming_an_actor_by_alias_points_at_its_positions(seeded: Store) -> None:
    """An alias too short to be a start of a name ("US") still names its actor."""
    answer = await answers.search(seeded, None, SearchQuery("US"))
    assert "`/position actor:united-states`" in (answer.embed.description or "")


async def test_a_servers_own_actor_is_pointed_at_only_in_that_server(seeded: Store) -> None:
    """Another server's actor is never named, even when the query is exactly its name."""
    local = Actor("hungary", "Hungary", ActorKind.STATE, ("hu",))
    assert (await seeded.writes.import_dataset(Dataset(actors=(local,)), guild_id=GUILD_A)).ok
    here = await answers.search(seeded, GUILD_A, SearchQuery("hungary"))
    there = await answers.search(seeded, GUILD_B, SearchQuery("hungary"))
    assert "`/position actor:hungary`" in (here.embed.description or "")
    assert "hungary" not in (there.embed.description or "").replace("`hungary`", "")
