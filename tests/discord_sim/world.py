"""The simulated Discord world: users, guilds, roles, channels and members."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import Any

from . import permissions as perms
from .permissions import Overwrite
from .snowflakes import iso, snowflake_at

JsonDict = dict[str, Any]

TEXT_CHANNEL = 0
DM_CHANNEL = 1
CATEGORY_CHANNEL = 4

_BASE_MS = 1_617_235_200_000  # 2021-04-01, so every id is a realistic, stable snowflake


@dataclass
class SimUser:
    """A Discord user (or bot user)."""

    id: int
    username: str
    global_name: str | None = None
    bot: bool = False

    @property
    def mention(self) -> str:
        """The user's mention markup."""
        return f"<@{self.id}>"

    def payload(self) -> JsonDict:
        """The user object as Discord sends it."""
        data: JsonDict = {
            "id": str(self.id),
            "username": self.username,
            "discriminator": "0",
            "global_name": self.global_name,
            "avatar": None,
            "avatar_decoration_data": None,
            "banner": None,
            "accent_color": None,
            "public_flags": 0,
            "flags": 0,
            "primary_guild": None,
            "collectibles": None,
        }
        if self.bot:
            data["bot"] = True
        return data


@dataclass
class SimRole:
    """A guild role."""

    id: int
    name: str
    permissions: int
    position: int
    mentionable: bool = False
    managed: bool = False
    bot_id: int | None = None

    @property
    def mention(self) -> str:
        """The role's mention markup."""
        return f"<@&{self.id}>"

    def payload(self) -> JsonDict:
        """The role object as Discord sends it."""
        data: JsonDict = {
            "id": str(self.id),
            "name": self.name,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": self.managed,
            "mentionable": self.mentionable,
            "flags": 0,
        }
        if self.bot_id is not None:
            data["tags"] = {"bot_id": str(self.bot_id)}
        return data


@dataclass
class SimChannel:
    """A guild text channel or a DM channel."""

    id: int
    name: str
    guild_id: int | None
    type: int = TEXT_CHANNEL
    position: int = 0
    topic: str | None = None
    overwrites: dict[int, Overwrite] = field(default_factory=dict)
    recipients: list[SimUser] = field(default_factory=list)
    last_message_id: int | None = None

    @property
    def mention(self) -> str:
        """The channel's mention markup."""
        return f"<#{self.id}>"

    def payload(self) -> JsonDict:
        """The channel object as Discord sends it."""
        if self.type == DM_CHANNEL:
            return {
                "id": str(self.id),
                "type": DM_CHANNEL,
                "last_message_id": None if self.last_message_id is None else str(self.last_message_id),
                "flags": 0,
                "recipients": [user.payload() for user in self.recipients],
            }
        return {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild_id),
            "name": self.name,
            "position": self.position,
            "permission_overwrites": [ow.payload() for ow in self.overwrites.values()],
            "nsfw": False,
            "topic": self.topic,
            "last_message_id": None if self.last_message_id is None else str(self.last_message_id),
            "rate_limit_per_user": 0,
            "parent_id": None,
            "flags": 0,
        }


@dataclass
class SimMember:
    """A user's membership in one guild."""

    user: SimUser
    guild_id: int
    role_ids: list[int]
    joined_at: float
    nick: str | None = None

    @property
    def id(self) -> int:
        """The member's user id."""
        return self.user.id

    @property
    def mention(self) -> str:
        """The member's mention markup."""
        return self.user.mention

    def payload(self, *, permissions: int | None = None, with_user: bool = True) -> JsonDict:
        """The guild member object as Discord sends it (optionally with computed permissions)."""
        data: JsonDict = {
            "nick": self.nick,
            "avatar": None,
            "banner": None,
            "roles": [str(r) for r in self.role_ids],
            "joined_at": iso(self.joined_at),
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
            "avatar_decoration_data": None,
        }
        if with_user:
            data["user"] = self.user.payload()
        if permissions is not None:
            data["permissions"] = str(permissions)
        return data


@dataclass
class SimGuild:
    """A test guild with its roles, channels and members."""

    key: str
    id: int
    name: str
    owner_id: int
    roles: dict[int, SimRole] = field(default_factory=dict)
    channels: dict[int, SimChannel] = field(default_factory=dict)
    members: dict[int, SimMember] = field(default_factory=dict)
    people: dict[str, SimMember] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"<SimGuild {self.key} id={self.id}>"

    # --- lookups -------------------------------------------------------------------------------
    def role(self, name: str) -> SimRole:
        """A role by name ("@everyone", "Admin", "Curator", "Reader", ...)."""
        for role in self.roles.values():
            if role.name == name:
                return role
        raise KeyError(f"guild {self.key} has no role named {name!r}")

    def channel(self, name: str) -> SimChannel:
        """A channel by name ("general", "briefings", "staff-only")."""
        for channel in self.channels.values():
            if channel.name == name:
                return channel
        raise KeyError(f"guild {self.key} has no channel named {name!r}")

    def person(self, key: str) -> SimMember:
        """A member by role in the fixture world ("owner", "admin", "curator", "member", "bot", ...)."""
        return self.people[key]

    @property
    def everyone_role(self) -> SimRole:
        """The @everyone role (its id is the guild id)."""
        return self.roles[self.id]

    @property
    def admin_role(self) -> SimRole:
        """ "Admin": ADMINISTRATOR."""
        return self.role("Admin")

    @property
    def curator_role(self) -> SimRole:
        """ "Curator": no permissions (the bot decides what curators may do)."""
        return self.role("Curator")

    @property
    def plain_role(self) -> SimRole:
        """ "Reader": a plain role without permissions."""
        return self.role("Reader")

    @property
    def owner(self) -> SimMember:
        """The server owner."""
        return self.people["owner"]

    @property
    def admin(self) -> SimMember:
        """A member holding the Admin role (ADMINISTRATOR)."""
        return self.people["admin"]

    @property
    def curator(self) -> SimMember:
        """A member holding the Curator role (no permissions)."""
        return self.people["curator"]

    @property
    def member(self) -> SimMember:
        """A plain member (Reader role, no permissions)."""
        return self.people["member"]

    @property
    def bot_member(self) -> SimMember:
        """The bot's own membership."""
        return self.people["bot"]

    @property
    def general(self) -> SimChannel:
        """The #general channel."""
        return self.channel("general")

    @property
    def briefings(self) -> SimChannel:
        """The #briefings channel."""
        return self.channel("briefings")

    @property
    def staff_only(self) -> SimChannel:
        """#staff-only: hidden from @everyone and from the bot."""
        return self.channel("staff-only")

    # --- permissions ---------------------------------------------------------------------------
    def base_permissions(self, member: SimMember) -> int:
        """Guild-level permissions of a member."""
        return perms.base_permissions(
            is_owner=member.id == self.owner_id,
            everyone=self.everyone_role.permissions,
            role_permissions=[self.roles[r].permissions for r in member.role_ids if r in self.roles],
        )

    def permissions_in(self, member: SimMember, channel: SimChannel) -> int:
        """A member's permissions in a channel, overwrites applied."""
        return perms.channel_permissions(
            self.base_permissions(member),
            guild_id=self.id,
            user_id=member.id,
            role_ids=member.role_ids,
            overwrites=channel.overwrites,
        )

    # --- payloads ------------------------------------------------------------------------------
    def guild_create_payload(
        self, *, joined_at: float, include_all_members: bool, bot_user_id: int
    ) -> JsonDict:
        """The GUILD_CREATE payload (only the bot's own member unless GUILD_MEMBERS is granted)."""
        members = [m.payload() for m in self.members.values() if include_all_members or m.id == bot_user_id]
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "icon_hash": None,
            "splash": None,
            "discovery_splash": None,
            "owner_id": str(self.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "widget_enabled": False,
            "widget_channel_id": None,
            "verification_level": 1,
            "default_message_notifications": 1,
            "explicit_content_filter": 2,
            "roles": [r.payload() for r in self.roles.values()],
            "emojis": [],
            "features": [],
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": str(self.general.id),
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "max_presences": None,
            "max_members": 500000,
            "vanity_url_code": None,
            "description": None,
            "banner": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": "en-US",
            "public_updates_channel_id": None,
            "max_video_channel_users": 25,
            "max_stage_video_channel_users": 50,
            "nsfw_level": 0,
            "stickers": [],
            "premium_progress_bar_enabled": False,
            "safety_alerts_channel_id": None,
            "incidents_data": None,
            "joined_at": iso(joined_at),
            "large": False,
            "unavailable": False,
            "member_count": len(self.members),
            "voice_states": [],
            "members": members,
            "channels": [c.payload() for c in self.channels.values()],
            "threads": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }


@dataclass
class World:
    """Everything the simulator knows about users and guilds."""

    bot: SimUser
    bot_owner: SimUser
    guilds: list[SimGuild]
    users: dict[int, SimUser]
    dm_channels: dict[int, SimChannel] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(10_000))

    @property
    def application_id(self) -> int:
        """The application id (equal to the bot user id, as for every modern app)."""
        return self.bot.id

    def guild(self, ref: str | int | SimGuild) -> SimGuild:
        """A guild by key ("alpha"), id or object."""
        if isinstance(ref, SimGuild):
            return ref
        for guild in self.guilds:
            if ref in (guild.key, guild.id):
                return guild
        raise KeyError(f"no simulated guild {ref!r}")

    def find_channel(self, channel_id: int) -> tuple[SimGuild | None, SimChannel] | None:
        """A channel by id with its guild (None for DMs), or None if unknown."""
        for guild in self.guilds:
            channel = guild.channels.get(channel_id)
            if channel is not None:
                return guild, channel
        dm = self.dm_channels.get(channel_id)
        if dm is not None:
            return None, dm
        return None

    def next_id(self) -> int:
        """A deterministic snowflake for objects created during a run."""
        n = next(self._ids)
        return snowflake_at(_BASE_MS + 7_000_000_000 + n * 1000, n & 0xFFF, worker=3)

    def add_member(self, guild: SimGuild, username: str, role_names: list[str]) -> SimMember:
        """Create a user and add them to a guild with the named roles."""
        user = SimUser(self.next_id(), username, username.title())
        self.users[user.id] = user
        member = SimMember(user, guild.id, [guild.role(n).id for n in role_names], time.time())
        guild.members[user.id] = member
        return member

    def dm_channel_for(self, user: SimUser) -> SimChannel:
        """The DM channel between the bot and a user (created on first use)."""
        for channel in self.dm_channels.values():
            if channel.recipients and channel.recipients[0].id == user.id:
                return channel
        channel = SimChannel(self.next_id(), "", None, type=DM_CHANNEL, recipients=[user])
        self.dm_channels[channel.id] = channel
        return channel


def _guild_snowflake(day: int, shard_parity: int) -> int:
    """A guild id on a given day whose (id >> 22) has the wanted parity (for 2-shard tests)."""
    ms = _BASE_MS + day * 86_400_000
    if (ms - 1_420_070_400_000) % 2 != shard_parity:
        ms += 1
    return snowflake_at(ms)


def build_world() -> World:
    """The fixed test world: two guilds (alpha on shard 0, beta on shard 1 of 2) plus a bot owner."""
    counter = itertools.count(1)

    def new_id() -> int:
        n = next(counter)
        return snowflake_at(_BASE_MS + 3_600_000 * n, n, worker=1)

    bot = SimUser(new_id(), "Briefing Bot", None, bot=True)
    bot_owner = SimUser(new_id(), "ada", "Ada (bot owner)")
    users: dict[int, SimUser] = {bot.id: bot, bot_owner.id: bot_owner}
    guilds: list[SimGuild] = []
    now = time.time()
    for index, (key, title) in enumerate((("alpha", "Alpha Briefing Room"), ("beta", "Beta Situation Room"))):
        guild_id = _guild_snowflake(30 + index, index % 2)
        people = {}
        for role_key in ("owner", "admin", "curator", "member"):
            user = SimUser(new_id(), f"{key}-{role_key}", f"{title.split()[0]} {role_key.title()}")
            users[user.id] = user
            people[role_key] = user
        guild = SimGuild(key=key, id=guild_id, name=title, owner_id=people["owner"].id)
        roles = [
            SimRole(guild_id, "@everyone", perms.DEFAULT_EVERYONE, 0),
            SimRole(new_id(), "Reader", 0, 1),
            SimRole(new_id(), "Curator", 0, 2),
            SimRole(new_id(), "Admin", perms.ADMINISTRATOR, 3),
            SimRole(
                new_id(),
                "Briefing Bot",
                perms.VIEW_CHANNEL
                | perms.SEND_MESSAGES
                | perms.EMBED_LINKS
                | perms.ATTACH_FILES
                | perms.READ_MESSAGE_HISTORY
                | perms.USE_EXTERNAL_EMOJIS,
                4,
                managed=True,
                bot_id=bot.id,
            ),
        ]
        guild.roles = {r.id: r for r in roles}
        admin_role = guild.role("Admin")
        for position, name in enumerate(("general", "briefings", "staff-only")):
            channel = SimChannel(new_id(), name, guild_id, position=position, topic=f"#{name} of {title}")
            if name == "staff-only":
                channel.overwrites = {
                    guild_id: Overwrite(guild_id, 0, deny=perms.VIEW_CHANNEL),
                    admin_role.id: Overwrite(admin_role.id, 0, allow=perms.VIEW_CHANNEL),
                }
            guild.channels[channel.id] = channel
        role_of = {"owner": [], "admin": ["Admin"], "curator": ["Curator"], "member": ["Reader"]}
        for role_key, user in people.items():
            guild.people[role_key] = SimMember(
                user, guild_id, [guild.role(n).id for n in role_of[role_key]], now - 86_400 * 30
            )
        guild.people["bot_owner"] = SimMember(
            bot_owner, guild_id, [guild.role("Reader").id], now - 86_400 * 20
        )
        guild.people["bot"] = SimMember(bot, guild_id, [guild.role("Briefing Bot").id], now - 86_400 * 10)
        guild.members = {m.id: m for m in guild.people.values()}
        guilds.append(guild)
    return World(bot=bot, bot_owner=bot_owner, guilds=guilds, users=users)
