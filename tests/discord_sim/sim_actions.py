"""What users do in the simulated Discord: slash commands, autocomplete, buttons, selects, modals, posts."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from . import driver
from .driver import DriverError
from .handles import InteractionHandle
from .mentions import CHANNEL_DEFAULT_PARSE
from .messages import SimAttachment, SimMessage, StoredMessage
from .permissions import Overwrite
from .server import SimServer
from .world import SimChannel, SimGuild, SimMember, SimRole, SimUser

JsonDict = dict[str, Any]
MemberRef = SimMember | SimUser | str | int
ChannelRef = SimChannel | str | int


class UserActions(SimServer):
    """The driver half of the simulator: everything a Discord user could do, checked like the client does."""

    def guild(self, ref: str | int | SimGuild) -> SimGuild:
        """A guild by key ("alpha"/"beta"), id or object."""
        return self.state.world.guild(ref)

    # --- world helpers -------------------------------------------------------------------------
    def _member(self, guild: SimGuild, ref: MemberRef) -> SimMember:
        if isinstance(ref, SimMember):
            return ref
        if isinstance(ref, SimUser):
            ref = ref.id
        if isinstance(ref, str):
            if ref in guild.people:
                return guild.people[ref]
            raise DriverError(f"guild {guild.key} has no person {ref!r}; people: {list(guild.people)}")
        member = guild.members.get(ref)
        if member is None:
            raise DriverError(f"user {ref} is not a member of guild {guild.key}")
        return member

    def _channel(self, guild: SimGuild, ref: ChannelRef | None) -> SimChannel:
        if ref is None:
            return guild.general
        if isinstance(ref, SimChannel):
            return ref
        if isinstance(ref, str):
            return guild.channel(ref)
        channel = guild.channels.get(ref)
        if channel is None:
            raise DriverError(f"channel {ref} is not in guild {guild.key}")
        return channel

    async def add_member(self, guild: str | SimGuild, username: str, roles: list[str]) -> SimMember:
        """Add a new member with the named roles (no gateway event: the bot has no member intent)."""
        return await self.call(lambda: self.state.world.add_member(self.guild(guild), username, roles))

    async def register_attachment(
        self, filename: str, data: bytes, content_type: str | None = None
    ) -> SimAttachment:
        """A file a user "uploaded" for an ATTACHMENT option; served by the simulator at its url."""
        return await self.call(
            lambda: self.state.store.store_attachment(self.state.ids.next(), 0, filename, content_type, data)
        )

    async def commands(self, guild: str | SimGuild | None = None) -> list[JsonDict]:
        """Synced commands of a guild (or the global ones)."""
        guild_id = None if guild is None else self.guild(guild).id
        return await self.call(lambda: [c.payload() for c in self.state.commands.in_scope(guild_id)])

    # --- the driver: what users do -------------------------------------------------------------
    async def invoke_command(
        self,
        guild: str | SimGuild,
        member: MemberRef,
        name: str,
        options: Mapping[str, Any] | None = None,
        *,
        channel: ChannelRef | None = None,
        locale: str = "en-US",
        ignore_default_permissions: bool = False,
    ) -> InteractionHandle:
        """Run "/name [group] [sub]" with typed options checked against the synced definition."""

        def build() -> InteractionHandle:
            g = self.guild(guild)
            inter = driver.build_command_interaction(
                self.state,
                g,
                self._member(g, member),
                self._channel(g, channel),
                name,
                options,
                locale=locale,
                ignore_default_permissions=ignore_default_permissions,
            )
            driver.dispatch_interaction(self.state, inter)
            return InteractionHandle(self, inter)

        return await self.call(build)

    async def autocomplete_interaction(
        self,
        guild: str | SimGuild,
        member: MemberRef,
        name: str,
        options: Mapping[str, Any],
        *,
        focused: str,
        channel: ChannelRef | None = None,
    ) -> InteractionHandle:
        """Send an autocomplete interaction and return its handle (for deadline/violation tests)."""

        def build() -> InteractionHandle:
            g = self.guild(guild)
            inter = driver.build_command_interaction(
                self.state,
                g,
                self._member(g, member),
                self._channel(g, channel),
                name,
                options,
                focused=focused,
                ignore_default_permissions=True,
            )
            driver.dispatch_interaction(self.state, inter)
            return InteractionHandle(self, inter)

        return await self.call(build)

    async def autocomplete(
        self,
        guild: str | SimGuild,
        member: MemberRef,
        name: str,
        options: Mapping[str, Any],
        *,
        focused: str,
        channel: ChannelRef | None = None,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> list[JsonDict]:
        """Type into an autocomplete option; returns the choices the bot offered."""
        handle = await self.autocomplete_interaction(
            guild, member, name, options, focused=focused, channel=channel
        )
        return await handle.choices(timeout)

    async def post_user_message(
        self, guild: str | SimGuild, member: MemberRef, content: str, *, channel: ChannelRef | None = None
    ) -> SimMessage:
        """A member writes a message in a channel (no gateway event: the bot has no message intent)."""

        def create() -> SimMessage:
            g = self.guild(guild)
            stored = StoredMessage(
                id=self.state.ids.next(),
                channel_id=self._channel(g, channel).id,
                guild_id=g.id,
                author=self._member(g, member).user,
                type=0,
                created_at=self.state.now(),
                default_parse=CHANNEL_DEFAULT_PARSE,
                content=content,
            )
            return self.state.store.add(stored).snapshot()

        return await self.call(create)

    async def invoke_message_command(
        self, member: MemberRef, name: str, message: SimMessage, *, ignore_default_permissions: bool = False
    ) -> InteractionHandle:
        """Pick the message context menu ``name`` on ``message``."""

        def build() -> InteractionHandle:
            stored = self.state.store.messages.get(message.id)
            if stored is None or stored.guild_id is None:
                raise DriverError(f"no guild message {message.id} in the simulator")
            g = self.guild(stored.guild_id)
            inter = driver.build_message_command_interaction(
                self.state,
                g,
                self._member(g, member),
                stored,
                name,
                ignore_default_permissions=ignore_default_permissions,
            )
            driver.dispatch_interaction(self.state, inter)
            return InteractionHandle(self, inter)

        return await self.call(build)

    async def click(
        self, message: SimMessage | int, custom_id: str, member: MemberRef, *, forged: bool = False
    ) -> InteractionHandle:
        """Click a button on a message (`forged`: a custom_id the message does not carry)."""
        return await self._component(message, custom_id, member, None, forged=forged)

    async def select(
        self, message: SimMessage | int, custom_id: str, values: list[str], member: MemberRef
    ) -> InteractionHandle:
        """Pick values in a select menu on a message."""
        return await self._component(message, custom_id, member, values)

    async def _component(
        self,
        message: SimMessage | int,
        custom_id: str,
        member: MemberRef,
        values: list[str] | None,
        *,
        forged: bool = False,
    ) -> InteractionHandle:
        message_id = message.id if isinstance(message, SimMessage) else message

        def build() -> InteractionHandle:
            stored = self.state.store.messages.get(message_id)
            if stored is None or stored.guild_id is None:
                raise DriverError(f"no guild message {message_id} in the simulator")
            g = self.guild(stored.guild_id)
            inter = driver.build_component_interaction(
                self.state, stored, custom_id, self._member(g, member), values=values, forged=forged
            )
            driver.dispatch_interaction(self.state, inter)
            return InteractionHandle(self, inter)

        return await self.call(build)

    async def submit_modal(
        self,
        interaction: InteractionHandle,
        custom_id: str | None,
        values: Mapping[str, str],
        *,
        member: MemberRef | None = None,
    ) -> InteractionHandle:
        """Fill and submit the modal ``interaction`` was answered with."""
        await interaction.modal()

        def build() -> InteractionHandle:
            parent = interaction.state
            who = parent.member if member is None else self._member(parent.guild, member)
            inter = driver.build_modal_submit(self.state, parent, custom_id, values, who)
            driver.dispatch_interaction(self.state, inter)
            return InteractionHandle(self, inter)

        return await self.call(build)

    async def set_roles(self, guild: str | SimGuild, member: MemberRef, roles: list[str]) -> None:
        """Replace a member's roles by name (no gateway event: the bot has no member intent)."""

        def change() -> None:
            g = self.guild(guild)
            self._member(g, member).role_ids = [g.role(name).id for name in roles]

        await self.call(change)

    async def set_overwrite(
        self, channel: SimChannel, target: SimMember | SimRole, *, allow: int = 0, deny: int = 0
    ) -> None:
        """Set a channel's permission overwrite for a role or member (no gateway event is sent)."""

        def change() -> None:
            kind = 1 if isinstance(target, SimMember) else 0
            channel.overwrites[target.id] = Overwrite(target.id, kind, allow=allow, deny=deny)

        await self.call(change)

    async def add_channel(self, guild: str | SimGuild, name: str) -> SimChannel:
        """Create a text channel everyone (and the bot) can see; no gateway event is sent."""

        def create() -> SimChannel:
            g = self.guild(guild)
            channel = SimChannel(self.world.next_id(), name, g.id, position=len(g.channels))
            g.channels[channel.id] = channel
            return channel

        return await self.call(create)

    async def delete_channel(self, channel: SimChannel) -> None:
        """Delete a guild channel (no gateway event: the bot has no cache to update); posts then get 10003."""

        def remove() -> None:
            for guild in self.world.guilds:
                guild.channels.pop(channel.id, None)

        await self.call(remove)

    # --- channel posts -------------------------------------------------------------------------
    def _channel_id(self, channel: ChannelRef) -> int:
        if isinstance(channel, SimChannel):
            return channel.id
        if isinstance(channel, int):
            return channel
        raise DriverError("pass a SimChannel or a channel id")

    async def wait_for_channel_message(
        self,
        channel: ChannelRef,
        timeout: float | None = None,  # noqa: ASYNC109
        *,
        predicate: Callable[[SimMessage], bool] | None = None,
        include_interaction_responses: bool = False,
    ) -> SimMessage:
        """The next message posted in a channel during this test (each message is returned once)."""
        channel_id = self._channel_id(channel)

        def probe() -> SimMessage | None:
            consumed = self.state.window.consumed
            ids = self.state.store.by_channel.get(channel_id, [])
            for message_id in ids[self.state.window.message_cursor.get(channel_id, 0) :]:
                if message_id in consumed:
                    continue
                stored = self.state.store.messages[message_id]
                if stored.interaction_id is not None and not include_interaction_responses:
                    continue
                snap = stored.snapshot()
                if predicate is None or predicate(snap):
                    consumed.add(message_id)
                    return snap
            return None

        return await self.wait(
            probe, timeout or self.config.default_timeout, lambda: f"a new message in channel {channel_id}"
        )

    async def channel_messages(self, channel: ChannelRef, *, whole_history: bool = False) -> list[SimMessage]:
        """Messages in a channel (this test's, or all with ``whole_history``), oldest first."""
        channel_id = self._channel_id(channel)

        def collect() -> list[SimMessage]:
            ids = self.state.store.by_channel.get(channel_id, [])
            start = 0 if whole_history else self.state.window.message_cursor.get(channel_id, 0)
            return [self.state.store.messages[i].snapshot() for i in ids[start:]]

        return await self.call(collect)

    async def assert_no_channel_message(self, channel: ChannelRef, within: float = 0.5) -> None:
        """Fail if anything (other than interaction responses) is posted in the channel within ``within`` s."""
        try:
            message = await self.wait_for_channel_message(channel, within)
        except AssertionError:
            return
        raise AssertionError(f"unexpected message in channel {message.channel_id}: {message.text()!r}")
