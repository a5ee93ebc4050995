"""Scheduled digests: /digest subscribe, unsubscribe, list, preview, send-now (curators only: the
/digest CuratorGroup's gate decides, bot.discord_app.gate)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.digest_model.schedule import WEEKDAYS, parse_weekday, timezone_choices
from bot.digest_model.types import Subscription
from bot.discord_app.gate import curator_group, gate_rule, writer_of
from bot.discord_app.options import PostableChannelOption
from bot.discord_app.permissions import check_postable_channel
from bot.discord_app.replies import say
from bot.discord_app.tree import observed
from bot.render.digest import digest_pages, subscription_line, subscriptions_embed

if TYPE_CHECKING:
    from bot.discord_app.app import BriefingApp

NONE = discord.AllowedMentions.none()
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def schedule_text(sub: Subscription) -> str:
    """`daily at 09:00 Europe/Kyiv` or `weekly on Monday at 07:00 UTC`."""
    if sub.cadence == "weekly":
        return f"weekly on {WEEKDAYS[sub.weekday].title()} at {sub.time_of_day} {sub.timezone}"
    return f"daily at {sub.time_of_day} {sub.timezone}"


async def _timezone_autocomplete(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    with observed(interaction):  # discord.py has no public hook at the end of an autocomplete
        return [app_commands.Choice(name=z, value=z) for z in timezone_choices(current)]


class Digest(commands.Cog):
    """Digest subscriptions: the /digest group's gate checks permissions at run time for each."""

    digest = curator_group(name="digest", description="Scheduled digests of what changed")

    def __init__(self, bot: BriefingApp) -> None:
        self.bot = bot
        super().__init__()

    @gate_rule(defer="write")  # answer Discord before the database can keep us waiting
    @digest.command(name="subscribe", description="Post a digest of changes to a channel, daily or weekly")
    @app_commands.describe(
        channel="Where to post",
        topics="Topics to follow, comma-separated (default: all)",
        cadence="How often",
        time="Local time to post, HH:MM (24-hour; default 09:00)",
        timezone="IANA time zone, e.g. Europe/Kyiv (default UTC)",
        weekday="For weekly digests: which day (default Monday)",
        post_empty="Also post when nothing changed",
    )
    @app_commands.autocomplete(timezone=_timezone_autocomplete)
    async def subscribe(
        self,
        interaction: discord.Interaction,
        channel: app_commands.Transform[app_commands.AppCommandChannel, PostableChannelOption],
        topics: app_commands.Range[str, 0, 400] | None = None,
        cadence: Literal["daily", "weekly"] = "daily",
        time: app_commands.Range[str, 3, 5] = "09:00",
        timezone: app_commands.Range[str, 1, 64] = "UTC",
        weekday: Weekday = "monday",
        post_empty: bool = False,
    ) -> None:
        writer = writer_of(interaction)
        assert interaction.guild_id is not None
        await check_postable_channel(interaction, channel.id)
        slugs = []
        for part in (topics or "").split(","):
            if part.strip():
                slugs.append((await self.bot.store.reads.resolve_topic(interaction.guild_id, part)).slug)
        sub = await self.bot.store.digests.subscribe(
            guild_id=interaction.guild_id,
            channel_id=channel.id,
            topics=slugs,
            cadence=cadence,
            time_of_day=time,
            timezone=timezone,
            weekday=parse_weekday(weekday),
            post_empty=post_empty,
            user_id=writer.user_id,
            now=self.bot.digest_scheduler.clock.now(),
        )
        self.bot.digest_scheduler.wake()
        await say(
            interaction,
            f"Subscribed **#{sub.id}**: <#{sub.channel_id}>, {', '.join(slugs) or 'all topics'}, {schedule_text(sub)}. "
            f"First digest <t:{int(sub.next_due_at.timestamp())}:F>.",
        )

    @gate_rule(defer="write")
    @digest.command(name="unsubscribe", description="Stop a digest subscription")
    @app_commands.describe(id="The subscription number from /digest list")
    async def unsubscribe(self, interaction: discord.Interaction, id: app_commands.Range[int, 1]) -> None:
        assert interaction.guild_id is not None
        await self.bot.store.digests.unsubscribe(interaction.guild_id, id)
        self.bot.digest_scheduler.wake()
        await say(interaction, f"Unsubscribed #{id}.")

    @digest.command(
        name="list", description="This server's digest subscriptions, next due times and problems"
    )
    async def list_(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        subs = await self.bot.store.digests.subscriptions(interaction.guild_id)
        lines = [
            subscription_line(
                s.id,
                s.channel_id,
                s.topics,
                schedule_text(s),
                s.next_due_at if s.active else None,
                f"disabled: {s.disabled_reason}"
                if not s.active
                else (f"retrying: {s.last_error}" if s.last_error else ""),
            )
            for s in subs
        ]
        await interaction.response.send_message(
            embed=subscriptions_embed(lines), ephemeral=True, allowed_mentions=NONE
        )

    @digest.command(
        name="preview", description="What a subscription's digest would post right now (only you see it)"
    )
    @app_commands.describe(id="The subscription number (default: the first)")
    async def preview(
        self, interaction: discord.Interaction, id: app_commands.Range[int, 1] | None = None
    ) -> None:
        assert interaction.guild_id is not None
        store = self.bot.store.digests
        if id is None:
            subs = await store.subscriptions(interaction.guild_id)
            if not subs:
                await say(interaction, "No subscriptions yet: `/digest subscribe` adds one.")
                return
            sub = subs[0]
        else:
            sub = await store.get(interaction.guild_id, id)
        scheduler = self.bot.digest_scheduler
        content = await scheduler.compose(sub, sub.covered_until, scheduler.clock.now())
        pages = digest_pages(content)
        note = f"Preview of #{sub.id} for <#{sub.channel_id}>" + (
            f" (first of {len(pages)} messages)" if len(pages) > 1 else ""
        )
        if not content.changes and not sub.post_empty:
            note += " — nothing changed, so nothing would be posted"
        await interaction.response.send_message(note, embed=pages[0], ephemeral=True, allowed_mentions=NONE)

    @gate_rule(defer="write")  # answer Discord before the database can keep us waiting
    @digest.command(name="send-now", description="Post a subscription's digest now, outside its schedule")
    @app_commands.describe(id="The subscription number from /digest list")
    async def send_now(self, interaction: discord.Interaction, id: app_commands.Range[int, 1]) -> None:
        assert interaction.guild_id is not None
        scheduler = self.bot.digest_scheduler
        claim = await self.bot.store.digests.claim_now(
            interaction.guild_id, id, str(interaction.id), scheduler.clock.now(), scheduler.holder
        )
        posted = await scheduler.deliver(claim)
        sub = await self.bot.store.digests.get(interaction.guild_id, id)
        if posted:
            text = f"Posted digest #{id} to <#{sub.channel_id}>."
        elif not sub.active:
            text = f"Could not post: {sub.disabled_reason}. The subscription is disabled."
        elif sub.last_error:
            text = f"Could not post yet ({sub.last_error}); it will be retried."
        else:
            text = "Nothing changed since the last digest, so nothing was posted."
        await interaction.edit_original_response(content=text, allowed_mentions=NONE)


async def setup(bot: BriefingApp) -> None:
    """Load the digest commands."""
    await bot.add_cog(Digest(bot))
