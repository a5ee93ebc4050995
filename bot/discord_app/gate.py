"""The curator gate: one check decides for every curator command, form submit and button press.

A command joins the gate by living in a `CuratorGroup` (/admin, /digest, and whatever a cog adds
to them later) or, outside a group, by `@curator_only()` (context menus). Its `interaction_check`
runs `gate()` before the options are converted and the handler is called: it refuses a member who
may not curate (`Refused`, shown ephemerally by bot.discord_app.tree) and otherwise leaves the
resolved `Writer` on the interaction, where the handler reads it with `writer_of()`.

How the gate treats one command is declared on it with `@gate_rule(...)`: whether only a server
manager may run it, and whether it defers (a write, or a slow read) before the gate asks the
database who the member is, so a slow database never misses Discord's 3 s. Forms and buttons
outlive their command, so they call `gate()` again at submit or press.

`default_permissions` is only a default that server admins can change; this gate is what holds.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

import discord
from discord import app_commands

from bot.discord_app.app import briefing_client
from bot.discord_app.internals import member_role_ids
from bot.discord_app.saving import begin_write
from bot.store.curation import Writer

RULE = "gate_rule"  # Command.extras key: the command's Rule
WRITER = "writer"  # interaction.extras key: the Writer the gate resolved
DEADLINE = "answer_by"  # interaction.extras key: loop time by which a `within` command must answer

Defer = Literal["write", "read"]
T = TypeVar("T")


class Refused(app_commands.CheckFailure):
    """The member lacks what the command needs; the message says what (shown ephemerally)."""


@dataclass(frozen=True)
class Rule:
    """How the gate treats one command.

    manager: only Manage Server (or a bot owner) — settings a curator must not change themselves.
    defer:   "write" defers ephemerally and marks the interaction as a write (a failure then says
             "Not saved — …"); "read" only defers. None answers at once (the handler replies itself).
    within:  seconds in which the gate and the handler's first reply must both be done (a command
             that opens a form cannot defer); the handler bounds its own reads with `answer_by()`.
    """

    manager: bool = False
    defer: Defer | None = None
    within: float | None = None


CURATOR = Rule()


def gate_rule(
    *, manager: bool = False, defer: Defer | None = None, within: float | None = None
) -> Callable[[T], T]:
    """Declare the gate's rule for one command; put it above `@group.command(...)`."""
    rule = Rule(manager=manager, defer=defer, within=within)

    def decorate(command: T) -> T:
        if not isinstance(command, app_commands.Command | app_commands.ContextMenu):
            raise TypeError("@gate_rule goes above the command decorator")
        command.extras[RULE] = rule
        return command

    return decorate


def rule_of(command: object) -> Rule:
    """The rule declared on `command`, or the plain curator rule."""
    extras = getattr(command, "extras", None) or {}
    rule = extras.get(RULE, CURATOR)
    assert isinstance(rule, Rule)
    return rule


async def writer_for(interaction: discord.Interaction[Any]) -> Writer:
    """The Writer for this interaction: owner, server manager or curator-role member, or a plain member."""
    bot = briefing_client(interaction)
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


def _require_manager(interaction: discord.Interaction[Any]) -> None:
    if interaction.user.id in briefing_client(interaction).settings.owner_ids:
        return
    if not (interaction.permissions.manage_guild or interaction.permissions.administrator):
        raise Refused("you need the Manage Server permission")


async def gate(interaction: discord.Interaction[Any], rule: Rule = CURATOR) -> Writer:
    """Defer as `rule` says, refuse a member who may not, and leave the Writer on the interaction."""
    if rule.defer == "write":
        await begin_write(interaction)
    elif rule.defer == "read" and not interaction.response.is_done():
        await interaction.response.defer(ephemeral=True, thinking=True)
    if rule.manager:
        _require_manager(interaction)
    if rule.within is not None:
        deadline = asyncio.get_running_loop().time() + rule.within
        interaction.extras[DEADLINE] = deadline
        async with asyncio.timeout_at(deadline):
            writer = await writer_for(interaction)
    else:
        writer = await writer_for(interaction)
    if not (writer.can_curate or writer.is_owner):
        raise Refused("you need the Manage Server permission or this server's curator role")
    interaction.extras[WRITER] = writer
    return writer


def writer_of(interaction: discord.Interaction[Any]) -> Writer:
    """The Writer the gate resolved for this interaction; RuntimeError if no gate ran (a bug)."""
    writer = interaction.extras.get(WRITER)
    if not isinstance(writer, Writer):
        raise RuntimeError("no curator gate ran for this interaction: put the command in a CuratorGroup")
    return writer


def answer_by(interaction: discord.Interaction[Any]) -> float:
    """The loop time by which a command with `Rule.within` must send its first reply."""
    deadline = interaction.extras.get(DEADLINE)
    if not isinstance(deadline, float):
        raise RuntimeError("the command has no `within` in its gate rule")
    return deadline


async def _checked(interaction: discord.Interaction[Any]) -> bool:
    """Run the gate with the command's rule; a failure that is not a refusal keeps its cause."""
    command = interaction.command
    try:
        await gate(interaction, rule_of(command))
    except app_commands.AppCommandError:
        raise
    except Exception as exc:  # a database outage, a timeout: reported by the tree's on_error
        if isinstance(command, app_commands.Command | app_commands.ContextMenu):
            raise app_commands.CommandInvokeError(command, exc) from exc
        raise
    return True


class CuratorGroup(app_commands.Group):
    """A command group whose every subcommand, including ones added later, passes the curator gate."""

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        return await _checked(interaction)


def curator_group(*, name: str, description: str) -> CuratorGroup:
    """A server-only command group for curators: gated at run time, and shown by default only to
    members with Manage Server."""
    return CuratorGroup(
        name=name,
        description=description,
        guild_only=True,
        allowed_contexts=app_commands.AppCommandContext(guild=True),
        default_permissions=discord.Permissions(manage_guild=True),
    )


def curator_only() -> Callable[[T], T]:
    """The gate as a check, for a curator command outside a CuratorGroup (a context menu)."""
    return app_commands.check(_checked)
