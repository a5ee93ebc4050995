"""The command tree: every command error ends here and becomes an ephemeral reply."""

from __future__ import annotations

import contextlib
import logging
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import discord
from discord import app_commands

from bot import render
from bot.db.faults import cause_text, database_cause
from bot.discord_app.replies import ASKED, say
from bot.errors import Ambiguous, BriefingError, Forbidden, InvalidInput, NotFound
from bot.render.text import visible

log = logging.getLogger(__name__)


def error_message(error: BaseException) -> str | None:
    """The user-facing text for an expected error, or None for an unexpected one."""
    if isinstance(error, Ambiguous):
        return render.ambiguous_text(error.kind, error.given, error.candidates)
    if isinstance(error, NotFound):
        return render.not_found_text(error.kind, error.given, error.suggestions)
    if isinstance(error, InvalidInput):
        return f"**{visible(error.field)}**: {discord.utils.escape_markdown(visible(error.reason))[:1800]}"
    if isinstance(error, Forbidden):
        return f"You can't do that here: {error.missing}."
    if isinstance(error, app_commands.MissingPermissions):
        missing = ", ".join(p.replace("_", " ").title() for p in error.missing_permissions)
        return f"You can't do that here: you need the {missing} permission."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command works only inside a server."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down: try again in {error.retry_after:.0f} s."
    if isinstance(error, app_commands.CheckFailure):
        reason = str(error)
        if reason and not reason.startswith("The check functions"):
            return f"You can't do that here: {discord.utils.escape_markdown(reason)[:1800]}."
        return "You can't use this command here."
    if isinstance(error, app_commands.TransformerError):
        return f"**{error.value!s:.100}** is not a valid {error.type.name.lower()}."
    if isinstance(error, BriefingError):
        return str(error)[:1900]
    return None


def unwrap(error: BaseException) -> BaseException:
    """The exception a handler actually raised, out of discord.py's wrappers."""
    while (
        isinstance(error, app_commands.CommandInvokeError | app_commands.TransformerError) and error.__cause__
    ):
        error = error.__cause__
    return error


async def reply_ephemeral(
    interaction: discord.Interaction, text: str, view: discord.ui.View | None = None
) -> None:
    """`say` for an error reply (with `view`'s components, if any): a failure to deliver it is
    logged, not raised."""
    try:
        await say(interaction, text, **({"view": view} if view is not None else {}))
    except discord.HTTPException:
        log.warning("could not deliver an error reply for interaction %s", interaction.id, exc_info=True)


def outage_message(interaction: discord.Interaction, error: BaseException) -> str | None:
    """For a database outage: what happened, named — "Not saved — …" when the interaction writes."""
    cause = database_cause(error)
    if cause is None:
        return None
    if interaction.extras.get("writing"):
        return f"Not saved — {cause_text(cause)}, try again."
    return f"Could not answer — {cause_text(cause)}; try again in a minute."


async def handle_interaction_error(interaction: discord.Interaction, error: BaseException) -> None:
    """Answer an expected error with its message; log an unexpected one under a reference id."""
    original = unwrap(error)
    view = _way_on(interaction, original)
    if view is not None and isinstance(original, Ambiguous):
        text: str | None = render.ambiguous_text(
            original.kind, original.given, original.candidates, menu=True
        )
    else:
        text = error_message(original)
    if text is None:
        text = outage_message(interaction, original)
        if text is not None:
            log.warning("database outage: %s (guild=%s)", type(original).__name__, interaction.guild_id)
    if text is None:
        reference = uuid.uuid4().hex[:8]
        command = interaction.command.qualified_name if interaction.command else "component"
        log.error(
            "unexpected error ref=%s command=%s guild=%s",
            reference,
            command,
            interaction.guild_id,
            exc_info=original,
        )
        text = render.error_text(reference)
    await reply_ephemeral(interaction, text, view)


def _way_on(interaction: discord.Interaction, error: BaseException) -> discord.ui.View | None:
    """A menu of the candidates when a read command's name was a word of several names."""
    asked = interaction.extras.get(ASKED)
    if not isinstance(error, Ambiguous) or asked is None:
        return None
    from bot.discord_app.paging import choice_view  # local: paging imports this module

    return choice_view(asked, error)


def outcome_of(error: BaseException | None) -> str:
    """The metrics label for how an interaction ended."""
    if error is None:
        return "ok"
    original = unwrap(error)
    if isinstance(original, NotFound):
        return "not_found"
    if isinstance(original, InvalidInput | app_commands.TransformerError):
        return "invalid"
    if isinstance(original, Forbidden | app_commands.CheckFailure):
        return "refused"
    if database_cause(original) is not None:
        return "db_unavailable"
    return "error"


def interaction_name(interaction: discord.Interaction) -> str:
    """`position`, `admin actor-add`, `autocomplete:position` or `component`/`modal`."""
    if interaction.type is discord.InteractionType.autocomplete and interaction.command:
        return f"autocomplete:{interaction.command.qualified_name}"
    if interaction.command is not None:
        return interaction.command.qualified_name
    return interaction.type.name


def observe(interaction: discord.Interaction, started: float, error: BaseException | None) -> None:
    """Record one handled interaction in the client's metrics (if it keeps any)."""
    metrics = getattr(interaction.client, "metrics", None)
    if metrics is not None:
        seconds = time.perf_counter() - started
        metrics.observe_interaction(
            interaction_name(interaction), interaction.guild_id, seconds, outcome_of(error)
        )


@contextlib.contextmanager
def observed(interaction: discord.Interaction) -> Iterator[None]:
    """Time the enclosed handling of a modal submit or button click into the metrics."""
    started, error = time.perf_counter(), None
    try:
        yield
    except BaseException as exc:
        error = exc
        raise
    finally:
        observe(interaction, started, error)


@contextlib.asynccontextmanager
async def answered(interaction: discord.Interaction) -> AsyncIterator[None]:
    """Handle a component click: time it into the metrics, and give any failure in the enclosed
    block its reply (handle_interaction_error) instead of raising it."""
    started, error = time.perf_counter(), None
    try:
        yield
    except Exception as exc:  # every failure gets a reply
        error = exc
        await handle_interaction_error(interaction, exc)
    finally:
        observe(interaction, started, error)


STARTED = "started"  # interaction.extras key: perf_counter() when the tree received it


class BriefingTree(app_commands.CommandTree[discord.Client]):
    """Routes every app-command error to one handler; times every command into the metrics.

    Only public hooks: `interaction_check` (called first for every command and autocomplete) notes
    the start, and the command ends in exactly one of `on_error` or the `app_command_completion`
    event. Autocomplete has no end hook: bot.discord_app.options times it itself.
    """

    def __init__(self, client: discord.Client, *args: Any, **kwargs: Any) -> None:
        super().__init__(client, *args, **kwargs)
        add_listener = getattr(client, "add_listener", None)  # commands.Bot (both bot classes)
        if add_listener is not None:
            add_listener(self.on_app_command_completion)

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        interaction.extras[STARTED] = time.perf_counter()
        return True

    async def on_app_command_completion(
        self,
        interaction: discord.Interaction,
        _command: app_commands.Command[Any, ..., Any] | app_commands.ContextMenu,
    ) -> None:
        """The event discord.py dispatches after a command's handler returned without error."""
        observe(interaction, _started(interaction), None)

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError, /
    ) -> None:
        try:
            await handle_interaction_error(interaction, error)
        finally:
            observe(interaction, _started(interaction), error)


def _started(interaction: discord.Interaction) -> float:
    started = interaction.extras.get(STARTED)
    return started if isinstance(started, float) else time.perf_counter()
