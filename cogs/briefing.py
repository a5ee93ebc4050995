"""The read commands: /position, /timeline, /brief, /compare, /search, /entry, /map, /actors, /topics."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app import answers
from bot.discord_app.options import ActorListOption, ActorOption, EntryIdOption, TopicListOption, TopicOption
from bot.discord_app.paging import ChoiceMenu, EntryMenu, PageButton
from bot.discord_app.replies import send_answer
from bot.domain import (
    ActorsQuery,
    BriefQuery,
    CompareQuery,
    EntryQuery,
    MapQuery,
    PositionQuery,
    SearchQuery,
    TopicsQuery,
)

if TYPE_CHECKING:
    from bot.discord_app.app import BriefingApp

Actor = app_commands.Transform[str, ActorOption]
Topic = app_commands.Transform[str, TopicOption]
EntryId = app_commands.Transform[str, EntryIdOption]
Actors = app_commands.Transform[str, ActorListOption]
Topics = app_commands.Transform[str, TopicListOption]
DateText = app_commands.Range[str, 4, 10]


class Briefing(commands.Cog):
    """Where each actor stands and what happened when."""

    def __init__(self, bot: BriefingApp) -> None:
        self.bot = bot

    @app_commands.command(
        name="position", description="Where an actor stands: current positions, sourced and dated"
    )
    @app_commands.describe(actor="Who (name, slug or alias)", topic="Only this topic")
    async def position(
        self, interaction: discord.Interaction, actor: Actor, topic: Topic | None = None
    ) -> None:
        query = PositionQuery(actor, topic or None)
        await send_answer(
            interaction, answers.position(self.bot.store, interaction.guild_id, query), query=query
        )

    @app_commands.command(name="timeline", description="What happened when: a topic's events in date order")
    @app_commands.describe(
        topic="Which topic",
        actor="Only events involving this actor",
        since="From this date (YYYY, YYYY-MM or YYYY-MM-DD)",
        until="Up to this date (YYYY, YYYY-MM or YYYY-MM-DD)",
        chart="Also draw the page's events on a date axis",
    )
    async def timeline(
        self,
        interaction: discord.Interaction,
        topic: Topic,
        actor: Actor | None = None,
        since: DateText | None = None,
        until: DateText | None = None,
        chart: bool = False,
    ) -> None:
        query = answers.timeline_query(topic, actor, since, until, chart)
        await send_answer(
            interaction, answers.timeline(self.bot.store, interaction.guild_id, query), query=query
        )

    @app_commands.command(
        name="brief", description="One-screen briefing: summary, every actor's stance, latest events"
    )
    @app_commands.describe(topic="Which topic")
    async def brief(self, interaction: discord.Interaction, topic: Topic) -> None:
        query = BriefQuery(topic)
        await send_answer(
            interaction, answers.brief(self.bot.store, interaction.guild_id, query), query=query
        )

    @app_commands.command(name="compare", description="Two actors side by side on one topic")
    @app_commands.describe(topic="Which topic", actor_a="First actor", actor_b="Second actor")
    async def compare(
        self, interaction: discord.Interaction, topic: Topic, actor_a: Actor, actor_b: Actor
    ) -> None:
        query = CompareQuery(topic, actor_a, actor_b)
        await send_answer(
            interaction, answers.compare(self.bot.store, interaction.guild_id, query), query=query
        )

    @app_commands.command(name="search", description="Full-text search over positions and events")
    @app_commands.describe(query="Words to look for")
    async def search(self, interaction: discord.Interaction, query: app_commands.Range[str, 1, 200]) -> None:
        asked = SearchQuery(query)
        await send_answer(interaction, answers.search(self.bot.store, interaction.guild_id, asked))

    @app_commands.command(
        name="entry", description="One position or event in full, with every source and its history"
    )
    @app_commands.describe(id="The entry id shown under positions and events")
    async def entry(self, interaction: discord.Interaction, id: EntryId) -> None:
        query = EntryQuery(id)
        await send_answer(interaction, answers.entry(self.bot.store, interaction.guild_id, query))

    @app_commands.command(
        name="map", description="The stance map: who stands where, actors × topics, as a picture"
    )
    @app_commands.describe(
        topics="Topics to show, comma-separated (default: the most-covered 7)",
        actors="Actors to show, comma-separated (default: the most-covered 8)",
    )
    async def stance_map(
        self, interaction: discord.Interaction, topics: Topics | None = None, actors: Actors | None = None
    ) -> None:
        query = MapQuery.from_options(actors, topics)
        await send_answer(
            interaction, answers.stance_map(self.bot.store, interaction.guild_id, query), query=query
        )

    @app_commands.command(name="actors", description="The actors this server's briefing store knows")
    async def actors(self, interaction: discord.Interaction) -> None:
        await send_answer(interaction, answers.actors(self.bot.store, interaction.guild_id, ActorsQuery()))

    @app_commands.command(name="topics", description="The topics this server's briefing store covers")
    async def topics(self, interaction: discord.Interaction) -> None:
        await send_answer(interaction, answers.topics(self.bot.store, interaction.guild_id, TopicsQuery()))


async def setup(bot: BriefingApp) -> None:
    """Load the read commands and their restart-proof page buttons and entry menu."""
    await bot.add_cog(Briefing(bot))
    bot.add_dynamic_items(PageButton, EntryMenu, ChoiceMenu)


async def teardown(bot: BriefingApp) -> None:
    """Remove what setup added besides the cog (extension reload)."""
    bot.remove_dynamic_items(PageButton, EntryMenu, ChoiceMenu)
