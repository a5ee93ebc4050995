"""What the bot needs in a channel and a server, and where a digest may go.

Who may curate is decided by the curator gate (bot.discord_app.gate)."""

from __future__ import annotations

import discord

from bot.errors import InvalidInput, NotFound

#: What the bot needs in a channel it posts to unasked (digests, review notices). The subscribe-time
#: channel checks and the invite link (`python -m bot invite`) both read this one list.
CHANNEL_POST_PERMISSIONS: tuple[str, ...] = (
    "view_channel",
    "send_messages",
    "send_messages_in_threads",
    "embed_links",
)


#: Everything the bot needs in a server: the invite link asks for exactly these (slash-command
#: replies need no permission; only posting unasked does).
BOT_PERMISSIONS: tuple[str, ...] = CHANNEL_POST_PERMISSIONS

#: The OAuth2 scopes of the invite link.
INVITE_SCOPES: tuple[str, ...] = ("bot", "applications.commands")


def invite_url(application_id: int) -> str:
    """The OAuth2 URL that adds the bot to a server with BOT_PERMISSIONS and INVITE_SCOPES."""
    wanted = discord.Permissions.none()
    wanted.update(**dict.fromkeys(BOT_PERMISSIONS, True))
    return discord.utils.oauth_url(application_id, permissions=wanted, scopes=INVITE_SCOPES)


#: Channel types a digest can be posted in: text, announcement, and threads of either.
POSTABLE_CHANNEL_TYPES: tuple[discord.ChannelType, ...] = (
    discord.ChannelType.text,
    discord.ChannelType.news,
    discord.ChannelType.public_thread,
    discord.ChannelType.private_thread,
    discord.ChannelType.news_thread,
)
_THREAD_TYPES = POSTABLE_CHANNEL_TYPES[2:]


def permission_label(name: str) -> str:
    """`send_messages_in_threads` → `Send Messages in Threads`, as Discord's settings name it."""
    return " ".join(w if w == "in" else w.title() for w in name.split("_"))


def missing_post_permissions(permissions: discord.Permissions, *, thread: bool) -> list[str]:
    """Which of CHANNEL_POST_PERMISSIONS `permissions` lacks (threads need the thread send, not the other)."""
    skip = "send_messages" if thread else "send_messages_in_threads"
    return [p for p in CHANNEL_POST_PERMISSIONS if p != skip and not getattr(permissions, p)]


async def check_postable_channel(interaction: discord.Interaction, channel_id: int) -> None:
    """Refuse a channel of another server (as unknown), of a type a digest cannot go to, or where the
    bot lacks a permission it needs to post (named)."""
    unknown = NotFound("channel", str(channel_id))
    guild = interaction.guild
    if guild is None or interaction.guild_id is None:
        raise unknown
    channel: object = guild.get_channel_or_thread(channel_id)
    if channel is None:  # not cached yet (created a moment ago, say): ask Discord
        try:
            channel = await interaction.client.fetch_channel(channel_id)
        except (discord.NotFound, discord.Forbidden):
            raise unknown from None
    if not isinstance(channel, discord.abc.GuildChannel | discord.Thread) or channel.guild.id != guild.id:
        raise unknown
    if channel.type not in POSTABLE_CHANNEL_TYPES:
        raise InvalidInput("channel", "pick a text or announcement channel, or a thread")
    # discord.py annotates Guild.me as a Member, but without a member cache it is often None.
    me: discord.Member | None = guild.me
    if me is None and interaction.client.user is not None:
        me = await guild.fetch_member(interaction.client.user.id)
    if me is None:
        raise InvalidInput("channel", "the bot's own membership is not known yet; try again in a minute")
    missing = missing_post_permissions(channel.permissions_for(me), thread=channel.type in _THREAD_TYPES)
    if missing:
        names = ", ".join(permission_label(p) for p in missing)
        raise InvalidInput(
            "channel",
            f"the bot cannot post there: it lacks the {names} permission"
            f"{'s' if len(missing) > 1 else ''} in that channel. Grant it, or pick another channel.",
        )
