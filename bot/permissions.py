"""Who may curate: checked at run time on every admin command (default_permissions is only a hint)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.store.curation import Writer

if TYPE_CHECKING:
    from bot.client import BriefingBot


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


class Refused(app_commands.CheckFailure):
    """The member lacks what the command needs; the message says what (shown ephemerally)."""


def member_role_ids(user: discord.abc.User) -> set[int]:
    """The role ids Discord sent with the member (no member cache needed)."""
    roles = getattr(user, "roles", None) or []
    ids = {r.id for r in roles}
    raw = getattr(
        user, "_roles", None
    )  # role ids from the interaction payload, even if the guild is uncached
    if raw is not None:
        ids.update(int(r) for r in raw)
    return ids


async def writer_for(interaction: discord.Interaction) -> Writer:
    """The Writer for this interaction: owner, server manager or curator-role member, or a plain member."""
    bot: BriefingBot = interaction.client  # type: ignore[assignment]
    is_owner = interaction.user.id in bot.settings.owner_ids
    can_curate = False
    if interaction.guild_id is not None:
        perms = interaction.permissions
        can_curate = perms.manage_guild or perms.administrator
        if not can_curate:
            role_id = await bot.store.curation.curator_role(interaction.guild_id)
            can_curate = role_id is not None and role_id in member_role_ids(interaction.user)
    return Writer(
        user_id=interaction.user.id, guild_id=interaction.guild_id, is_owner=is_owner, can_curate=can_curate
    )


async def require_curator(interaction: discord.Interaction) -> Writer:
    """The Writer, or Refused saying what is missing."""
    writer = await writer_for(interaction)
    if not (writer.can_curate or writer.is_owner):
        raise Refused("you need the Manage Server permission or this server's curator role")
    return writer


def require_manager(interaction: discord.Interaction) -> None:
    """Manage Server (or an owner), for settings a curator must not change themselves."""
    bot: BriefingBot = interaction.client  # type: ignore[assignment]
    if interaction.user.id in bot.settings.owner_ids:
        return
    if not (interaction.permissions.manage_guild or interaction.permissions.administrator):
        raise Refused("you need the Manage Server permission")
