"""DiscordSimulator: the public face tests use (addresses, records, knobs, driver, gateway faults)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .handles import InteractionHandle
from .mentions import would_ping
from .ratelimits import RateLimitRule, RefusalRule
from .records import ExpectedViolation, GatewayEvent, RequestRecord, Violation
from .sim_actions import UserActions
from .sim_gateway import GatewayControls, SessionInfo
from .state import SimConfig
from .world import SimGuild, SimUser

JsonDict = dict[str, Any]

__all__ = ["DiscordSimulator", "SessionInfo"]


class DiscordSimulator(UserActions, GatewayControls):
    """A local Discord (API v10 + gateway) for end-to-end tests of a real discord.py bot."""

    def __init__(self, config: SimConfig | None = None) -> None:
        super().__init__(config)
        self.world = self.state.world

    # --- addresses and identity ----------------------------------------------------------------
    @property
    def token(self) -> str:
        """The bot token the simulator accepts."""
        return self.config.token

    @property
    def api_base(self) -> str:
        """Value for discord.http.Route.BASE / DISCORD_API_BASE_URL."""
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        """Value for DiscordWebSocket.DEFAULT_GATEWAY / DISCORD_GATEWAY_URL."""
        return f"ws://127.0.0.1:{self.port}/gateway"

    @property
    def application_id(self) -> int:
        """The application (and bot user) id."""
        return self.world.application_id

    @property
    def guilds(self) -> list[SimGuild]:
        """The test guilds (alpha on shard 0 and beta on shard 1 when sharding by 2)."""
        return self.world.guilds

    @property
    def bot_user(self) -> SimUser:
        """The bot's user."""
        return self.world.bot

    @property
    def bot_owner(self) -> SimUser:
        """A user to put in OWNER_IDS (a plain member in every guild)."""
        return self.world.bot_owner

    def bot_env(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        """Environment variables pointing a bot process at this simulator."""
        env = {
            "DISCORD_TOKEN": self.token,
            "DISCORD_API_BASE_URL": self.api_base,
            "DISCORD_GATEWAY_URL": self.gateway_url,
            "SYNC_GUILD_IDS": ",".join(str(g.id) for g in self.guilds),
            "OWNER_IDS": str(self.bot_owner.id),
        }
        env.update(extra or {})
        return env

    # --- records -------------------------------------------------------------------------------
    @property
    def requests(self) -> list[RequestRecord]:
        """REST requests since the current test began."""
        return list(self.state.requests[self.state.window.requests :])

    @property
    def all_requests(self) -> list[RequestRecord]:
        """Every REST request since the simulator started."""
        return list(self.state.requests)

    def requests_to(self, route: str) -> list[RequestRecord]:
        """This test's requests whose route key ("POST /channels/{channel_id}/messages") or "METHOD path" matches."""
        rule = RateLimitRule(route, 1, 0)
        return [
            r
            for r in self.requests
            if rule.matches(r.method, r.path, r.route.split(" ", 1)[1] if r.route else None)
        ]

    @property
    def violations(self) -> list[Violation]:
        """Rejections since the current test began."""
        return list(self.state.violations[self.state.window.violations :])

    @property
    def all_violations(self) -> list[Violation]:
        """Every rejection since the simulator started."""
        return list(self.state.violations)

    @property
    def gateway_events(self) -> list[GatewayEvent]:
        """Gateway frames and connection events since the current test began."""
        return list(self.state.gateway_events[self.state.window.gateway_events :])

    def gateway_mark(self) -> int:
        """An index into the full gateway log (pass to ``wait_for_gateway_event(since=...)``)."""
        return len(self.state.gateway_events)

    @property
    def deduplicated_nonces(self) -> list[tuple[int, str]]:
        """(channel_id, nonce) of every POST answered with an earlier message because of enforce_nonce."""
        return list(self.state.deduplicated_nonces)

    # --- strict mode ---------------------------------------------------------------------------
    def expect_violation(
        self,
        code: int | None = None,
        *,
        status: int | None = None,
        field: str | None = None,
        route: str | None = None,
        times: int | None = 1,
        required: bool = True,
    ) -> None:
        """Declare a rejection this test provokes on purpose (``field`` matches a dotted-path suffix)."""
        expectation = ExpectedViolation(code, status, field, route, times, required)
        self.call_sync(lambda: self.state.expectations.append(expectation))

    def begin_test(self) -> None:
        """Open a per-test window: records and waits start here; knobs reset."""
        self.call_sync(self.state.begin_test)

    def end_test(self) -> list[str]:
        """Problems for strict mode: unexpected violations and required expectations never met."""

        def collect() -> list[str]:
            problems = [
                f"unexpected Discord rejection: {v.describe()}" for v in self.state.unexpected_violations()
            ]
            problems += [f"{e.describe()} never happened" for e in self.state.unmet_expectations()]
            return problems

        return self.call_sync(collect)

    # --- knobs ---------------------------------------------------------------------------------
    def rate_limit(
        self,
        route: str,
        *,
        count: int = 1,
        retry_after: float = 0.5,
        is_global: bool = False,
        scope: str = "user",
    ) -> RateLimitRule:
        """Answer the next ``count`` requests to ``route`` with 429 (e.g. "POST /channels/{channel_id}/messages")."""
        rule = RateLimitRule(route, count, retry_after, is_global, "global" if is_global else scope)
        self.call_sync(lambda: self.state.rate_limits.append(rule))
        return rule

    def refuse(
        self,
        route: str,
        when: Callable[[Any], bool],
        *,
        status: int = 400,
        code: int = 50035,
        message: str = "Invalid Form Body",
        count: int = 1_000_000,
    ) -> RefusalRule:
        """Answer requests to ``route`` whose JSON body satisfies ``when`` with an error (a violation)."""
        rule = RefusalRule(route, when, status, code, message, count)
        self.call_sync(lambda: self.state.refusals.append(rule))
        return rule

    async def advance_clock(self, seconds: float) -> None:
        """Move the simulator's clock forward (deadlines, token lifetimes, nonce windows)."""

        def shift() -> None:
            self.state.clock_offset += seconds
            self.state.bump()

        await self.call(shift)

    async def age_interaction(self, handle: InteractionHandle, seconds: float) -> None:
        """Pretend an interaction was created ``seconds`` earlier (test the 3 s / 15 min limits)."""

        def shift() -> None:
            handle.state.created_at -= seconds
            self.state.bump()

        await self.call(shift)

    def would_ping(self, payload: JsonDict, *, channel_message: bool = True) -> list[str]:
        """Who a raw message payload would notify (empty list = nobody)."""
        return would_ping(payload, channel_message=channel_message)
