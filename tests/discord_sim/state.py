"""The simulator's shared state: config, clock, world, stores and records."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from .api_errors import ApiError
from .commands import CommandRegistry
from .messages import MessageStore
from .ratelimits import RateLimitRule, RefusalRule
from .records import ExpectedViolation, GatewayEvent, RequestRecord, Violation
from .snowflakes import SnowflakeGenerator
from .world import World, build_world

if TYPE_CHECKING:
    from .gateway import GatewayHub
    from .interactions import InteractionState

T = TypeVar("T")


class SimTimeout(AssertionError):
    """A bounded wait in the simulator ran out (the message says what was awaited and what was seen)."""


def make_token(bot_id: int) -> str:
    """A token shaped like a real bot token: base64(id).timestamp.hmac."""
    head = base64.b64encode(str(bot_id).encode()).decode().rstrip("=")
    return f"{head}.{secrets.token_urlsafe(4)[:6]}.{secrets.token_urlsafe(30)[:38]}"


@dataclass
class SimConfig:
    """Tunable behaviour; the defaults are Discord's documented values."""

    initial_response_deadline: float = 3.0
    token_lifetime: float = 15 * 60.0
    nonce_window: float = 5 * 60.0
    heartbeat_interval_ms: int = 41_250
    privileged_intents: int = 0
    recommended_shards: int = 1
    default_timeout: float = 5.0
    strict: bool = True
    token: str = ""


@dataclass
class TestWindow:
    """Marks where the current test began, so records can be read per test."""

    requests: int = 0
    violations: int = 0
    gateway_events: int = 0
    message_cursor: dict[int, int] = field(default_factory=dict)
    consumed: set[int] = field(default_factory=set)


class SimState:
    """Everything mutable; only touched from the simulator's own event loop."""

    def __init__(self, config: SimConfig | None = None) -> None:
        self.config = config or SimConfig()
        self.world: World = build_world()
        if not self.config.token:
            self.config.token = make_token(self.world.bot.id)
        self.ids = SnowflakeGenerator()
        self.commands = CommandRegistry(self.world.application_id, self.ids.next)
        self.store = MessageStore("http://127.0.0.1:0")
        self.interactions: dict[int, InteractionState] = {}
        self.by_token: dict[str, InteractionState] = {}
        self.gateway: GatewayHub | None = None
        self.requests: list[RequestRecord] = []
        self.violations: list[Violation] = []
        self.expectations: list[ExpectedViolation] = []
        self.gateway_events: list[GatewayEvent] = []
        self.rate_limits: list[RateLimitRule] = []
        self.refusals: list[RefusalRule] = []
        self.deduplicated_nonces: list[tuple[int, str]] = []
        self.window = TestWindow()
        self.clock_offset = 0.0
        self.http_base = ""
        self.ws_base = ""
        self._changed: asyncio.Event | None = None

    # --- clock ---------------------------------------------------------------------------------
    def now(self) -> float:
        """The simulator's wall clock (real time plus any ``advance_clock``)."""
        return time.time() + self.clock_offset

    # --- change notification -------------------------------------------------------------------
    def bump(self) -> None:
        """Wake every waiter: something changed."""
        if self._changed is not None:
            self._changed.set()
        self._changed = asyncio.Event()

    async def wait_for(self, probe: Callable[[], T | None], timeout: float, describe: Callable[[], str]) -> T:  # noqa: ASYNC109
        """Poll ``probe`` on every change until it returns non-None, or raise SimTimeout."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = probe()
            if result is not None:
                return result
            if self._changed is None:
                self._changed = asyncio.Event()
            event = self._changed
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise SimTimeout(f"timed out after {timeout:.1f}s waiting for {describe()}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), min(remaining, 0.25))

    # --- records -------------------------------------------------------------------------------
    def record_violation(
        self, record: RequestRecord | None, error: ApiError, *, detail: str = ""
    ) -> Violation:
        """Remember a rejection (strict mode fails the test unless it was expected)."""
        violation = Violation(
            at=self.now(),
            method=record.method if record else "GATEWAY",
            path=record.path if record else detail,
            route=record.route if record else None,
            status=error.status,
            code=error.code,
            message=error.message,
            fields=tuple(error.field_paths),
            request_json=record.json if record else None,
        )
        self.violations.append(violation)
        self.bump()
        return violation

    def unexpected_violations(self) -> list[Violation]:
        """Violations of the current test not covered by an expectation."""
        pending = [
            ExpectedViolation(e.code, e.status, e.field, e.route, e.times, e.required)
            for e in self.expectations
        ]
        out: list[Violation] = []
        for violation in self.violations[self.window.violations :]:
            for expectation in pending:
                if expectation.accepts(violation):
                    expectation.matched += 1
                    break
            else:
                out.append(violation)
        return out

    def unmet_expectations(self) -> list[ExpectedViolation]:
        """Required expectations no violation satisfied."""
        pending = [
            ExpectedViolation(e.code, e.status, e.field, e.route, e.times, e.required)
            for e in self.expectations
        ]
        for violation in self.violations[self.window.violations :]:
            for expectation in pending:
                if expectation.accepts(violation):
                    expectation.matched += 1
                    break
        return [e for e in pending if e.required and e.matched == 0]

    def begin_test(self) -> None:
        """Start a new per-test window (records stay; views and expectations reset)."""
        self.window = TestWindow(
            requests=len(self.requests),
            violations=len(self.violations),
            gateway_events=len(self.gateway_events),
            message_cursor={cid: len(ids) for cid, ids in self.store.by_channel.items()},
        )
        self.expectations = []
        self.rate_limits = []
        self.refusals = []
        self.clock_offset = 0.0
