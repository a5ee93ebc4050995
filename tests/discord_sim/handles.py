"""What a test holds after triggering an interaction: awaitables for what the user would see."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .interactions import InteractionState
from .messages import SimMessage
from .state import SimState, SimTimeout
from .world import SimChannel, SimGuild, SimMember

if TYPE_CHECKING:
    from .server import SimServer

JsonDict = dict[str, Any]

GRACE = 0.25
"""Seconds past the 3 s deadline before a missing initial response is reported (a late one is refused anyway)."""

CALLBACK_NAMES = {
    1: "PONG",
    4: "CHANNEL_MESSAGE_WITH_SOURCE",
    5: "DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE",
    6: "DEFERRED_UPDATE_MESSAGE",
    7: "UPDATE_MESSAGE",
    8: "APPLICATION_COMMAND_AUTOCOMPLETE_RESULT",
    9: "MODAL",
}


@dataclass(frozen=True)
class InitialResponse:
    """The interaction's initial callback as Discord accepted it."""

    type: int
    elapsed: float
    message: SimMessage | None
    modal: JsonDict | None
    choices: list[JsonDict] | None

    @property
    def type_name(self) -> str:
        """E.g. "CHANNEL_MESSAGE_WITH_SOURCE"."""
        return CALLBACK_NAMES.get(self.type, str(self.type))

    @property
    def ephemeral(self) -> bool:
        """Whether the response message is only visible to the invoking user."""
        return self.message is not None and self.message.ephemeral

    @property
    def deferred(self) -> bool:
        """Whether the bot deferred (type 5 or 6)."""
        return self.type in (5, 6)


@dataclass(frozen=True)
class InteractionOutcome:
    """Everything an interaction produced once the bot went quiet."""

    response: InitialResponse
    original: SimMessage | None
    followups: list[SimMessage]


def describe_interaction(state: SimState, inter: InteractionState) -> str:
    """Human summary for timeout messages: what the bot did so far."""
    calls = [
        f"{r.method} {r.path} -> {r.status}"
        for r in state.requests
        if inter.token in r.path or str(inter.id) in r.path
    ]
    parts = [f"{inter.label} (interaction {inter.id})"]
    parts.append(f"initial response: {CALLBACK_NAMES.get(inter.initial_type or 0, 'none')}")
    if inter.rejections:
        parts.append(f"rejected: {inter.rejections}")
    parts.append(f"requests for it: {calls or 'none'}")
    return "; ".join(parts)


class InteractionHandle:
    """A triggered interaction; await its response, @original, follow-ups."""

    def __init__(self, sim: SimServer, inter: InteractionState) -> None:
        self._sim = sim
        self._inter = inter
        self.id: int = inter.id
        self.token: str = inter.token
        self.type: int = inter.type
        self.label: str = inter.label
        self.guild: SimGuild = inter.guild
        self.member: SimMember = inter.member
        self.channel: SimChannel = inter.channel

    def __repr__(self) -> str:
        return f"<InteractionHandle {self.label} id={self.id}>"

    @property
    def state(self) -> InteractionState:
        """The live server-side record (read it only through the simulator's helpers)."""
        return self._inter

    def _snapshot(self, message_id: int | None) -> SimMessage | None:
        stored = self._sim.state.store.messages.get(message_id or 0)
        return None if stored is None else stored.snapshot()

    def _initial(self) -> InitialResponse | None:
        inter = self._inter
        if inter.initial_type is None:
            return None
        message = self._snapshot(inter.original_message_id) if inter.initial_type in (4, 5, 7) else None
        return InitialResponse(
            type=inter.initial_type,
            elapsed=(inter.initial_at or inter.created_at) - inter.created_at,
            message=message,
            modal=inter.modal,
            choices=inter.choices,
        )

    async def response(self, timeout: float | None = None) -> InitialResponse:  # noqa: ASYNC109
        """The initial response; raises if the bot did not answer within the 3 s deadline."""
        sim = self._sim
        limit = (
            timeout
            if timeout is not None
            else max(sim.config.default_timeout, sim.config.initial_response_deadline + 0.5)
        )

        def probe() -> InitialResponse | None:
            result = self._initial()
            if result is not None:
                return result
            overdue = sim.state.now() - self._inter.created_at > sim.config.initial_response_deadline + GRACE
            if self._inter.rejections or overdue:
                raise SimTimeout(
                    "The application did not respond within "
                    f"{sim.config.initial_response_deadline:g} s: "
                    + describe_interaction(sim.state, self._inter)
                )
            return None

        return await sim.wait(
            probe, limit, lambda: "the initial response to " + describe_interaction(sim.state, self._inter)
        )

    async def original(
        self,
        *,
        predicate: Callable[[SimMessage], bool] | None = None,
        quiet: float = 0.2,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> SimMessage:
        """The final @original, as the user ends up seeing it.

        Waits past a deferred state (type 5: until the "thinking…" message is edited; type 6: until the bot
        edits the message), then until nothing changed for ``quiet`` s — or until ``predicate`` matches.
        """
        await self.response(timeout)

        def probe() -> SimMessage | None:
            message = self._snapshot(self._inter.original_message_id)
            if message is None or message.loading:
                return None
            if self._inter.initial_type == 6 and self._inter.original_edits == 0:
                return None
            if predicate is not None:
                return message if predicate(message) else None
            if time.monotonic() - self._inter.last_activity < quiet:
                return None
            return message

        return await self._sim.wait(
            probe,
            timeout or self._sim.config.default_timeout,
            lambda: "@original of " + describe_interaction(self._sim.state, self._inter),
        )

    async def followup(self, index: int = 0, timeout: float | None = None) -> SimMessage:  # noqa: ASYNC109
        """Follow-up number ``index`` (0-based), once it exists."""

        def probe() -> SimMessage | None:
            ids = self._inter.followup_ids
            return self._snapshot(ids[index]) if len(ids) > index else None

        return await self._sim.wait(
            probe,
            timeout or self._sim.config.default_timeout,
            lambda: f"follow-up #{index} of " + describe_interaction(self._sim.state, self._inter),
        )

    async def followups(self) -> list[SimMessage]:
        """The follow-ups sent so far (current state of each)."""
        return await self._sim.call(
            lambda: [m for m in (self._snapshot(i) for i in self._inter.followup_ids) if m is not None]
        )

    async def idle(self, quiet: float = 0.3, timeout: float | None = None) -> None:  # noqa: ASYNC109
        """Wait until the bot has made no request for this interaction for ``quiet`` seconds."""

        def probe() -> bool | None:
            return True if time.monotonic() - self._inter.last_activity >= quiet else None

        await self._sim.wait(
            probe, timeout or self._sim.config.default_timeout, lambda: "the bot to go quiet on " + self.label
        )

    async def outcome(self, quiet: float = 0.3, timeout: float | None = None) -> InteractionOutcome:  # noqa: ASYNC109
        """Initial response, final @original and follow-ups once the bot is quiet.

        After a type 5 defer, first past "thinking…" (the @original edited, or the first follow-up
        in its place) however long the bot works: a quiet window alone could end during a slow
        step (a feed fetched, a busy database) and report the loading message as the outcome."""
        response = await self.response(timeout)
        if response.type == 5:
            await self.original(timeout=timeout)
        await self.idle(quiet, timeout)
        original = await self._sim.call(lambda: self._snapshot(self._inter.original_message_id))
        return InteractionOutcome(response, original, await self.followups())

    async def choices(self, timeout: float | None = None) -> list[JsonDict]:  # noqa: ASYNC109
        """Autocomplete choices (raises if the bot answered with something else)."""
        response = await self.response(timeout)
        if response.type != 8 or response.choices is None:
            raise AssertionError(f"{self.label}: expected an autocomplete result, got {response.type_name}")
        return response.choices

    async def modal(self, timeout: float | None = None) -> JsonDict:  # noqa: ASYNC109
        """The modal the bot opened (raises if it answered with something else)."""
        response = await self.response(timeout)
        if response.type != 9 or response.modal is None:
            raise AssertionError(f"{self.label}: expected a modal, got {response.type_name}")
        return response.modal
