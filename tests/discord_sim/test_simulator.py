"""The simulator rejects what Discord rejects, with Discord's codes, bodies and headers."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest

from tests.discord_sim import DiscordSimulator, DriverError, SimTimeout, flatten_errors, would_ping
from tests.discord_sim.raw_gateway import RawGateway

POSITION: dict[str, Any] = {
    "name": "position",
    "description": "Where an actor stands",
    "options": [{"type": 3, "name": "actor", "description": "Actor", "required": True, "autocomplete": True}],
}
ADMIN: dict[str, Any] = {
    "name": "admin",
    "description": "Curator tools",
    "default_member_permissions": "32",
    "options": [
        {
            "type": 1,
            "name": "actor-add",
            "description": "Add an actor",
            "options": [
                {"type": 3, "name": "name", "description": "Name", "required": True},
                {"type": 4, "name": "weight", "description": "Weight", "min_value": 1, "max_value": 10},
                {"type": 11, "name": "file", "description": "Source file"},
                {"type": 6, "name": "who", "description": "Who"},
            ],
        }
    ],
}

PICK: dict[str, Any] = {
    "name": "pick",
    "description": "Every other option type, inside a group",
    "options": [
        {
            "type": 2,
            "name": "grp",
            "description": "A group",
            "options": [
                {
                    "type": 1,
                    "name": "sub",
                    "description": "A subcommand",
                    "options": [
                        {"type": 8, "name": "role", "description": "Role", "required": True},
                        {"type": 7, "name": "where", "description": "Channel", "channel_types": [0]},
                        {"type": 9, "name": "who", "description": "Mentionable"},
                        {"type": 10, "name": "ratio", "description": "Number"},
                        {"type": 5, "name": "flag", "description": "Boolean"},
                    ],
                }
            ],
        }
    ],
}


@dataclass
class Answer:
    """A raw HTTP answer."""

    status: int
    body: Any
    headers: dict[str, str]


@dataclass
class Api:
    """Raw REST calls against the simulator, with or without the bot token."""

    session: aiohttp.ClientSession
    sim: DiscordSimulator

    async def __call__(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        auth: bool = True,
        data: Any = None,
        params: dict[str, str] | None = None,
    ) -> Answer:
        headers = {"Authorization": f"Bot {self.sim.token}"} if auth else {}
        async with self.session.request(
            method, self.sim.api_base + path, json=json, data=data, headers=headers, params=params
        ) as resp:
            body = await resp.json() if resp.content_type == "application/json" else await resp.text()
            return Answer(resp.status, body, dict(resp.headers))

    async def respond(self, handle: Any, body: dict[str, Any], *, with_response: bool = True) -> Answer:
        """POST the interaction callback for a handle."""
        params = {"with_response": "true"} if with_response else None
        return await self(
            "POST", f"/interactions/{handle.id}/{handle.token}/callback", json=body, auth=False, params=params
        )


@pytest.fixture(scope="module")
def sim_server() -> Iterator[DiscordSimulator]:
    """A simulator of this module's own (command lists here must not leak into bot tests)."""
    with DiscordSimulator() as simulator:
        yield simulator


@pytest.fixture
async def api(sim: DiscordSimulator) -> AsyncIterator[Api]:
    """Raw REST access."""
    async with aiohttp.ClientSession() as session:
        yield Api(session, sim)


@pytest.fixture
async def gateway(sim: DiscordSimulator, api: Api) -> AsyncIterator[RawGateway]:
    """A bare gateway session holding the shard, so the driver can dispatch interactions."""
    gw = RawGateway(api.session)
    await gw.connect(sim.gateway_url)
    await gw.identify(sim.token, intents=1)
    answer = await api(
        "PUT",
        f"/applications/{sim.application_id}/guilds/{sim.guild('alpha').id}/commands",
        json=[POSITION, ADMIN, PICK],
    )
    assert answer.status == 200, answer.body
    yield gw
    await gw.close(1000)


def paths(answer: Answer) -> list[str]:
    """Dotted field paths of a 50035 body."""
    return list(flatten_errors(answer.body.get("errors", {})))


# --- REST basics ---------------------------------------------------------------------------------
async def test_users_me_without_token_is_401(sim: DiscordSimulator, api: Api) -> None:
    """GET /users/@me without the bot token answers 401 with Discord's body."""
    sim.expect_violation(0, status=401)
    answer = await api("GET", "/users/@me", auth=False)
    assert (answer.status, answer.body) == (401, {"message": "401: Unauthorized", "code": 0})


async def test_unknown_route_is_404_and_a_violation(sim: DiscordSimulator, api: Api) -> None:
    """Unknown routes answer Discord's 404 body and are recorded."""
    sim.expect_violation(0, status=404)
    answer = await api("GET", "/nope/123")
    assert answer.body == {"message": "404: Not Found", "code": 0}
    assert sim.violations[0].path == "/nope/123"


async def test_strict_mode_reports_undeclared_and_missing_violations(sim: DiscordSimulator, api: Api) -> None:
    """end_test lists rejections nobody declared, and declared ones that never happened."""
    await api("GET", "/nope")
    assert any("404" in p for p in sim.end_test())
    sim.begin_test()
    sim.expect_violation(50035)
    assert sim.end_test() == ["expected violation(code=50035) x1 never happened"]
    sim.begin_test()


# --- message limits ------------------------------------------------------------------------------
def _embed_with_fields(n: int, value: str = "v") -> dict[str, Any]:
    return {"title": "t", "fields": [{"name": f"f{i}", "value": value} for i in range(n)]}


@pytest.mark.parametrize(
    ("payload", "path"),
    [
        ({"content": "x" * 2001}, "content"),
        ({"embeds": [{"title": "t"}] * 11}, "embeds"),
        ({"embeds": [{"title": "x" * 257}]}, "embeds.0.title"),
        ({"embeds": [{"description": "x" * 4097}]}, "embeds.0.description"),
        ({"embeds": [_embed_with_fields(26)]}, "embeds.0.fields"),
        (
            {
                "embeds": [
                    {"fields": [{"name": "a", "value": "b"}] * 3 + [{"name": "d", "value": "x" * 1025}]}
                ]
            },
            "embeds.0.fields.3.value",
        ),
        ({"embeds": [{"fields": [{"name": "x" * 257, "value": "b"}]}]}, "embeds.0.fields.0.name"),
        ({"embeds": [{"title": "t", "footer": {"text": "x" * 2049}}]}, "embeds.0.footer.text"),
        ({"embeds": [{"title": "t", "author": {"name": "x" * 257}}]}, "embeds.0.author.name"),
        ({"embeds": [{"description": "x" * 4000}, {"description": "y" * 2001}]}, "embeds"),
        (
            {
                "content": "x",
                "components": [
                    {
                        "type": 1,
                        "components": [
                            {"type": 2, "style": 1, "label": "b", "custom_id": f"c{i}"} for i in range(6)
                        ],
                    }
                ],
            },
            "components.0.components",
        ),
        (
            {
                "content": "x",
                "components": [
                    {"type": 1, "components": [{"type": 2, "style": 1, "label": "b", "custom_id": f"r{i}"}]}
                    for i in range(6)
                ],
            },
            "components",
        ),
        (
            {
                "content": "x",
                "components": [
                    {"type": 1, "components": [{"type": 2, "style": 1, "label": "b", "custom_id": "x" * 101}]}
                ],
            },
            "components.0.components.0.custom_id",
        ),
        (
            {
                "content": "x",
                "components": [
                    {"type": 1, "components": [{"type": 2, "style": 1, "label": "x" * 81, "custom_id": "ok"}]}
                ],
            },
            "components.0.components.0.label",
        ),
        (
            {
                "content": "x",
                "components": [
                    {
                        "type": 1,
                        "components": [
                            {"type": 2, "style": 1, "label": "a", "custom_id": "same"},
                            {"type": 2, "style": 1, "label": "b", "custom_id": "same"},
                        ],
                    }
                ],
            },
            "components.0.components.1.custom_id",
        ),
        *(
            (
                {
                    "content": "x",
                    "components": [
                        {
                            "type": 1,
                            "components": [
                                {
                                    "type": 3,
                                    "custom_id": "menu",
                                    "options": [
                                        {"label": "fine", "value": "a"},
                                        {"label": "b", "value": "b", **bad},
                                    ],
                                }
                            ],
                        }
                    ],
                },
                f"components.0.components.0.options.1.{field}",
            )
            for bad, field in (
                ({"label": "x" * 101}, "label"),
                ({"label": ""}, "label"),
                ({"value": "v" * 101}, "value"),
                ({"value": 7}, "value"),
                ({"description": "d" * 101}, "description"),
            )
        ),
        ({"content": "x", "nonce": "n" * 26}, "nonce"),
    ],
)
async def test_message_limits_answer_50035_with_the_field_path(
    sim: DiscordSimulator, api: Api, payload: dict[str, Any], path: str
) -> None:
    """Every documented message/embed/component limit is enforced with the offending field's path."""
    sim.expect_violation(50035, field=path)
    answer = await api("POST", f"/channels/{sim.guild('alpha').general.id}/messages", json=payload)
    assert answer.status == 400
    assert answer.body["code"] == 50035 and answer.body["message"] == "Invalid Form Body"
    assert path in paths(answer)


async def test_embed_field_error_is_nested_like_discord(sim: DiscordSimulator, api: Api) -> None:
    """The errors object nests keys per path segment and ends in _errors."""
    sim.expect_violation(50035, field="embeds.0.fields.3.value")
    payload = {
        "embeds": [{"fields": [{"name": "a", "value": "b"}] * 3 + [{"name": "d", "value": "x" * 1025}]}]
    }
    answer = await api("POST", f"/channels/{sim.guild('alpha').general.id}/messages", json=payload)
    error = answer.body["errors"]["embeds"]["0"]["fields"]["3"]["value"]["_errors"][0]
    assert error == {"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 1024 or fewer in length."}


async def test_empty_message_and_hidden_channel_are_rejected(sim: DiscordSimulator, api: Api) -> None:
    """50006 for an empty message, 50001 where the bot cannot see the channel."""
    sim.expect_violation(50006)
    sim.expect_violation(50001)
    alpha = sim.guild("alpha")
    assert (await api("POST", f"/channels/{alpha.general.id}/messages", json={"content": ""})).body[
        "code"
    ] == 50006
    answer = await api("POST", f"/channels/{alpha.staff_only.id}/messages", json={"content": "hi"})
    assert (answer.status, answer.body["code"]) == (403, 50001)


# --- nonce ---------------------------------------------------------------------------------------
async def test_enforce_nonce_returns_the_first_message(sim: DiscordSimulator, api: Api) -> None:
    """Same nonce + enforce_nonce within the window returns the original message; without it, two messages."""
    channel = sim.guild("alpha").briefings
    body = {"content": "digest", "nonce": "digest-42", "enforce_nonce": True}
    first = await api("POST", f"/channels/{channel.id}/messages", json=body)
    second = await api("POST", f"/channels/{channel.id}/messages", json=body)
    assert first.body["id"] == second.body["id"]
    assert sim.deduplicated_nonces[-1] == (channel.id, "digest-42")
    loose = await api("POST", f"/channels/{channel.id}/messages", json={"content": "x", "nonce": "digest-42"})
    assert loose.body["id"] != first.body["id"]
    await sim.advance_clock(6 * 60)
    later = await api("POST", f"/channels/{channel.id}/messages", json=body)
    assert later.body["id"] != first.body["id"]
    posted = await sim.channel_messages(channel)
    assert len(posted) == 3


# --- rate limits ---------------------------------------------------------------------------------
async def test_injected_429_has_discord_headers_and_body(sim: DiscordSimulator, api: Api) -> None:
    """A 429 carries retry_after, global, Retry-After and every X-RateLimit header; then the route recovers."""
    channel = sim.guild("alpha").general
    sim.rate_limit("POST /channels/{channel_id}/messages", count=1, retry_after=0.25)
    limited = await api("POST", f"/channels/{channel.id}/messages", json={"content": "a"})
    assert limited.status == 429
    assert limited.body == {"message": "You are being rate limited.", "retry_after": 0.25, "global": False}
    for header in (
        "Retry-After",
        "X-RateLimit-Limit",
        "X-RateLimit-Remaining",
        "X-RateLimit-Reset",
        "X-RateLimit-Reset-After",
        "X-RateLimit-Bucket",
        "X-RateLimit-Scope",
        "Via",
    ):
        assert header in limited.headers
    assert limited.headers["X-RateLimit-Remaining"] == "0"
    assert limited.headers["X-RateLimit-Scope"] == "user"
    assert (await api("POST", f"/channels/{channel.id}/messages", json={"content": "a"})).status == 200
    assert [r.status for r in sim.requests_to("POST /channels/{channel_id}/messages")] == [429, 200]


# --- commands ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("command", "path"),
    [
        ({"name": "Position", "description": "d"}, "0.name"),
        ({"name": "has space", "description": "d"}, "0.name"),
        ({"name": "x" * 33, "description": "d"}, "0.name"),
        ({"name": "ok", "description": ""}, "0.description"),
        ({"name": "ok", "description": "d" * 101}, "0.description"),
        (
            {
                "name": "ok",
                "description": "d",
                "options": [{"type": 3, "name": f"o{i}", "description": "d"} for i in range(26)],
            },
            "0.options",
        ),
        (
            {
                "name": "ok",
                "description": "d",
                "options": [
                    {"type": 3, "name": "a", "description": "d"},
                    {"type": 3, "name": "b", "description": "d", "required": True},
                ],
            },
            "0.options",
        ),
        (
            {
                "name": "ok",
                "description": "d",
                "options": [
                    {
                        "type": 3,
                        "name": "a",
                        "description": "d",
                        "choices": [{"name": f"c{i}", "value": f"v{i}"} for i in range(26)],
                    }
                ],
            },
            "0.options.0.choices",
        ),
        (
            {"name": "ok", "description": "d", "options": [{"type": 12, "name": "a", "description": "d"}]},
            "0.options.0.type",
        ),
        (
            {
                "name": "ok",
                "description": "d",
                "options": [
                    {"type": 1, "name": "sub", "description": "d"},
                    {"type": 3, "name": "a", "description": "d"},
                ],
            },
            "0.options",
        ),
        (
            {
                "name": "ok",
                "description": "d",
                "options": [
                    {
                        "type": 2,
                        "name": "grp",
                        "description": "d",
                        "options": [{"type": 3, "name": "a", "description": "d"}],
                    }
                ],
            },
            "0.options.0.options.0.type",
        ),
        (
            {
                "name": "ok",
                "description": "d",
                "options": [
                    {
                        "type": 1,
                        "name": "sub",
                        "description": "d",
                        "options": [{"type": 1, "name": "deeper", "description": "d"}],
                    }
                ],
            },
            "0.options.0.options.0.type",
        ),
        (
            {
                "name": "ok",
                "description": "d",
                "options": [
                    {"type": 4, "name": "n", "description": "d", "choices": [{"name": "one", "value": "1"}]}
                ],
            },
            "0.options.0.choices.0.value",
        ),
    ],
)
async def test_bad_command_definitions_answer_50035(
    sim: DiscordSimulator, api: Api, command: dict[str, Any], path: str
) -> None:
    """Names, descriptions, option counts/order/types, choices and nesting are validated like Discord."""
    sim.expect_violation(50035, field=path)
    answer = await api(
        "PUT", f"/applications/{sim.application_id}/guilds/{sim.guild('beta').id}/commands", json=[command]
    )
    assert answer.status == 400, answer.body
    assert path in paths(answer)


async def test_more_than_100_global_commands_is_rejected(sim: DiscordSimulator, api: Api) -> None:
    """Bulk overwrite with 101 chat-input commands fails."""
    sim.expect_violation(50035)
    commands = [{"name": f"c{i}", "description": "d"} for i in range(101)]
    answer = await api("PUT", f"/applications/{sim.application_id}/commands", json=commands)
    assert answer.status == 400


async def test_commands_keep_ids_and_bump_versions(sim: DiscordSimulator, api: Api) -> None:
    """Overwriting keeps a command's id; its version changes only when the definition does."""
    url = f"/applications/{sim.application_id}/guilds/{sim.guild('beta').id}/commands"
    first = (await api("PUT", url, json=[{"name": "x", "description": "one"}])).body[0]
    same = (await api("PUT", url, json=[{"name": "x", "description": "one"}])).body[0]
    changed = (await api("PUT", url, json=[{"name": "x", "description": "two"}])).body[0]
    assert first["id"] == same["id"] == changed["id"]
    assert first["version"] == same["version"] != changed["version"]
    assert (await api("GET", url)).body == [changed]
    assert int(first["id"]) > 2**22 and isinstance(first["id"], str)


# --- interactions --------------------------------------------------------------------------------
async def test_double_initial_response_is_40060(sim: DiscordSimulator, api: Api, gateway: RawGateway) -> None:
    """A second initial response answers 400 code 40060."""
    sim.expect_violation(40060)
    handle = await sim.invoke_command("alpha", "member", "position", {"actor": "russia"})
    first = await api.respond(handle, {"type": 4, "data": {"content": "ok"}})
    assert first.status == 200
    assert first.body["resource"]["message"]["content"] == "ok"
    assert first.body["interaction"]["id"] == str(handle.id)
    second = await api.respond(handle, {"type": 4, "data": {"content": "again"}})
    assert (second.status, second.body) == (
        400,
        {"message": "Interaction has already been acknowledged.", "code": 40060},
    )


async def test_late_initial_response_is_10062(sim: DiscordSimulator, api: Api, gateway: RawGateway) -> None:
    """An initial response more than 3 s after dispatch answers 404 code 10062, and the user saw no reply."""
    sim.expect_violation(10062)
    handle = await sim.invoke_command("alpha", "member", "position", {"actor": "russia"})
    await sim.age_interaction(handle, 3.5)
    answer = await api.respond(handle, {"type": 4, "data": {"content": "too late"}})
    assert (answer.status, answer.body) == (404, {"message": "Unknown interaction", "code": 10062})
    with pytest.raises(SimTimeout, match="did not respond"):
        await handle.response(timeout=1)


async def test_edits_after_15_minutes_are_10015(sim: DiscordSimulator, api: Api, gateway: RawGateway) -> None:
    """@original edits and follow-ups fail with 10015 once the token expired."""
    sim.expect_violation(10015, times=2)
    handle = await sim.invoke_command("alpha", "member", "position", {"actor": "russia"})
    assert (await api.respond(handle, {"type": 5})).status == 200
    await sim.age_interaction(handle, 15 * 60 + 1)
    base = f"/webhooks/{sim.application_id}/{handle.token}"
    edit = await api("PATCH", base + "/messages/@original", json={"content": "x"}, auth=False)
    follow = await api("POST", base, json={"content": "x"}, auth=False)
    assert edit.body == follow.body == {"message": "Unknown Webhook", "code": 10015}


async def test_defer_then_edit_shows_the_final_message(
    sim: DiscordSimulator, api: Api, gateway: RawGateway
) -> None:
    """Type 5 shows a loading message; the @original edit replaces it; handles see the final state."""
    handle = await sim.invoke_command("alpha", "member", "position", {"actor": "russia"})
    deferred = await api.respond(handle, {"type": 5, "data": {"flags": 64}})
    assert deferred.body["interaction"]["response_message_loading"] is True
    response = await handle.response()
    assert (
        response.deferred and response.ephemeral and response.message is not None and response.message.loading
    )
    base = f"/webhooks/{sim.application_id}/{handle.token}"
    await api("PATCH", base + "/messages/@original", json={"content": "step 1"}, auth=False)
    await api("PATCH", base + "/messages/@original", json={"embeds": [{"title": "Russia"}]}, auth=False)
    final = await handle.original()
    assert (final.content, final.embeds[0]["title"], final.ephemeral, final.loading) == (
        "step 1",
        "Russia",
        True,
        False,
    )
    follow = await api("POST", base, json={"content": "more", "flags": 64}, auth=False)
    assert follow.body["flags"] & 64
    assert (await handle.followup(0)).content == "more"


async def test_followup_after_defer_edits_the_loading_message(
    sim: DiscordSimulator, api: Api, gateway: RawGateway
) -> None:
    """Documented compatibility: the first follow-up after a defer edits the loading message."""
    handle = await sim.invoke_command("alpha", "member", "position", {"actor": "russia"})
    await api.respond(handle, {"type": 5})
    answer = await api(
        "POST", f"/webhooks/{sim.application_id}/{handle.token}", json={"content": "done"}, auth=False
    )
    original = await handle.original()
    assert answer.body["id"] == str(original.id) and original.content == "done"
    assert await handle.followups() == []


async def test_outcome_waits_past_thinking_however_long_the_bot_works(
    sim: DiscordSimulator, api: Api, gateway: RawGateway
) -> None:
    """A defer, then a silence longer than outcome()'s quiet window, then the answer: the outcome is
    the answer, not the loading message (an e2e test once read "thinking…" after a slow fetch)."""
    handle = await sim.invoke_command("alpha", "member", "position", {"actor": "russia"})
    await api.respond(handle, {"type": 5, "data": {"flags": 64}})

    async def answer_late() -> None:
        await asyncio.sleep(0.6)  # twice outcome()'s quiet window
        base = f"/webhooks/{sim.application_id}/{handle.token}"
        await api("POST", base, json={"content": "fetched", "flags": 64}, auth=False)

    late = asyncio.create_task(answer_late())
    outcome = await handle.outcome(quiet=0.3)
    await late
    assert outcome.original is not None
    assert (outcome.original.loading, outcome.original.content) == (False, "fetched")


async def test_autocomplete_result_limits(sim: DiscordSimulator, api: Api, gateway: RawGateway) -> None:
    """More than 25 choices, or a name over 100 characters, answers 50035."""
    sim.expect_violation(50035, field="data.choices")
    handle = await sim.autocomplete_interaction(
        "alpha", "member", "position", {"actor": "ru"}, focused="actor"
    )
    frame = await gateway.wait_for(
        lambda f: f.get("t") == "INTERACTION_CREATE" and f["d"]["id"] == str(handle.id)
    )
    assert frame["d"]["data"]["options"][0] == {"name": "actor", "type": 3, "value": "ru", "focused": True}
    too_many = [{"name": f"n{i}", "value": f"v{i}"} for i in range(26)]
    answer = await api.respond(handle, {"type": 8, "data": {"choices": too_many}})
    assert answer.status == 400 and "data.choices" in paths(answer)
    sim.expect_violation(50035, field="data.choices.0.name")
    handle = await sim.autocomplete_interaction(
        "alpha", "member", "position", {"actor": "ru"}, focused="actor"
    )
    answer = await api.respond(handle, {"type": 8, "data": {"choices": [{"name": "x" * 101, "value": "x"}]}})
    assert "data.choices.0.name" in paths(answer)
    handle = await sim.autocomplete_interaction(
        "alpha", "member", "position", {"actor": "ru"}, focused="actor"
    )
    await api.respond(handle, {"type": 8, "data": {"choices": [{"name": "Russia", "value": "russia"}]}})
    assert await handle.choices() == [{"name": "Russia", "value": "russia"}]


async def test_modal_limits_and_submit(sim: DiscordSimulator, api: Api, gateway: RawGateway) -> None:
    """Modal titles over 45 are rejected; a valid modal can be submitted with typed values."""
    sim.expect_violation(50035, field="data.title")
    modal = {
        "custom_id": "note",
        "title": "x" * 46,
        "components": [
            {
                "type": 18,
                "label": "Note",
                "component": {"type": 4, "custom_id": "text", "style": 2, "max_length": 50},
            }
        ],
    }
    handle = await sim.invoke_command("alpha", "admin", "position", {"actor": "russia"})
    assert (await api.respond(handle, {"type": 9, "data": modal})).status == 400
    handle = await sim.invoke_command("alpha", "admin", "position", {"actor": "russia"})
    assert (await api.respond(handle, {"type": 9, "data": {**modal, "title": "Add a note"}})).status == 200
    with pytest.raises(DriverError, match="length"):
        await sim.submit_modal(handle, "note", {"text": "y" * 51})
    submitted = await sim.submit_modal(handle, "note", {"text": "hello"})
    frame = await gateway.wait_for(
        lambda f: f.get("t") == "INTERACTION_CREATE" and f["d"]["id"] == str(submitted.id)
    )
    assert frame["d"]["data"]["components"][0]["component"]["value"] == "hello"


async def test_button_click_and_update_message(sim: DiscordSimulator, api: Api, gateway: RawGateway) -> None:
    """Clicking a button dispatches a component interaction; type 7 edits the message it is on."""
    handle = await sim.invoke_command("alpha", "member", "position", {"actor": "russia"})
    row = {"type": 1, "components": [{"type": 2, "style": 1, "label": "Next", "custom_id": "page:2"}]}
    await api.respond(handle, {"type": 4, "data": {"content": "page 1", "components": [row]}})
    message = (await handle.response()).message
    assert message is not None and message.button(label="Next")["custom_id"] == "page:2"
    click = await sim.click(message, "page:2", "member")
    frame = await gateway.wait_for(
        lambda f: f.get("t") == "INTERACTION_CREATE" and f["d"]["id"] == str(click.id)
    )
    assert frame["d"]["message"]["id"] == str(message.id)
    await api.respond(click, {"type": 7, "data": {"content": "page 2"}})
    assert (await click.original()).content == "page 2"
    with pytest.raises(DriverError, match="no component"):
        await sim.click(message, "missing", "member")


async def test_multipart_response_with_file_is_downloadable(
    sim: DiscordSimulator, api: Api, gateway: RawGateway
) -> None:
    """A callback with files[0] stores an attachment served at a loopback URL."""
    handle = await sim.invoke_command("alpha", "member", "position", {"actor": "russia"})
    form = aiohttp.FormData(quote_fields=False)
    form.add_field(
        "payload_json",
        '{"type": 4, "data": {"content": "export", "attachments": [{"id": 0, "filename": "export.yaml"}]}}',
        content_type="application/json",
    )
    form.add_field("files[0]", b"actors: []\n", filename="export.yaml", content_type="application/x-yaml")
    answer = await api(
        "POST",
        f"/interactions/{handle.id}/{handle.token}/callback",
        data=form,
        auth=False,
        params={"with_response": "true"},
    )
    url = answer.body["resource"]["message"]["attachments"][0]["url"]
    assert url.startswith("http://127.0.0.1:")
    async with api.session.get(url) as resp:
        assert await resp.read() == b"actors: []\n"
    message = (await handle.response()).message
    assert message is not None and message.attachments[0].text() == "actors: []\n"


async def test_edit_uploading_a_file_adds_it_once(
    sim: DiscordSimulator, api: Api, gateway: RawGateway
) -> None:
    """An edit with files[0] and no `attachments` list keeps the old files and adds the new one once."""
    handle = await sim.invoke_command("alpha", "member", "position", {"actor": "russia"})
    assert (await api.respond(handle, {"type": 4, "data": {"content": "report"}})).status == 200
    form = aiohttp.FormData(quote_fields=False)
    form.add_field("payload_json", '{"content": "report, with file"}', content_type="application/json")
    form.add_field("files[0]", b"a,b\n", filename="report.csv", content_type="text/csv")
    base = f"/webhooks/{sim.application_id}/{handle.token}"
    edited = await api("PATCH", base + "/messages/@original", data=form, auth=False)
    assert [a["filename"] for a in edited.body["attachments"]] == ["report.csv"]
    final = await handle.original()
    assert final.content == "report, with file"
    assert [a.filename for a in final.attachments] == ["report.csv"]


# --- driver --------------------------------------------------------------------------------------
async def test_driver_types_options_from_synced_definitions(
    sim: DiscordSimulator, gateway: RawGateway
) -> None:
    """Unknown commands/options, wrong types, ranges and default_member_permissions are refused."""
    with pytest.raises(DriverError, match="no /nope"):
        await sim.invoke_command("alpha", "member", "nope")
    with pytest.raises(DriverError, match="no option 'country'"):
        await sim.invoke_command("alpha", "member", "position", {"country": "x"})
    with pytest.raises(DriverError, match="requires option 'actor'"):
        await sim.invoke_command("alpha", "member", "position", {})
    with pytest.raises(DriverError, match="hidden"):
        await sim.invoke_command("alpha", "curator", "admin actor-add", {"name": "x"})
    with pytest.raises(DriverError, match="needs an int"):
        await sim.invoke_command("alpha", "admin", "admin actor-add", {"name": "x", "weight": "3"})
    with pytest.raises(DriverError, match="max_value"):
        await sim.invoke_command("alpha", "admin", "admin actor-add", {"name": "x", "weight": 11})
    with pytest.raises(DriverError, match="subcommands"):
        await sim.invoke_command("alpha", "admin", "admin")


async def test_driver_builds_complete_payloads(sim: DiscordSimulator, gateway: RawGateway) -> None:
    """Subcommands nest, resolved data covers users and attachments, permissions are computed strings."""
    alpha = sim.guild("alpha")
    upload = await sim.register_attachment("actors.yaml", b"- id: russia\n")
    handle = await sim.invoke_command(
        alpha,
        "curator",
        "admin actor-add",
        {"name": "Russia", "weight": 3, "file": upload, "who": alpha.member},
        ignore_default_permissions=True,
    )
    frame = await gateway.wait_for(
        lambda f: f.get("t") == "INTERACTION_CREATE" and f["d"]["id"] == str(handle.id)
    )
    d = frame["d"]
    for key in (
        "id",
        "application_id",
        "type",
        "data",
        "guild_id",
        "channel",
        "channel_id",
        "member",
        "app_permissions",
        "token",
        "version",
        "locale",
        "guild_locale",
        "entitlements",
        "authorizing_integration_owners",
        "context",
        "attachment_size_limit",
    ):
        assert key in d, key
    sub = d["data"]["options"][0]
    assert (sub["name"], sub["type"]) == ("actor-add", 1)
    assert {o["name"]: o["value"] for o in sub["options"]} == {
        "name": "Russia",
        "weight": 3,
        "file": str(upload.id),
        "who": str(alpha.member.id),
    }
    resolved = d["data"]["resolved"]
    assert resolved["attachments"][str(upload.id)]["url"] == upload.url
    assert str(alpha.member.id) in resolved["users"] and str(alpha.member.id) in resolved["members"]
    assert d["member"]["permissions"].isdigit() and d["member"]["roles"] == [str(alpha.role("Curator").id)]
    assert int(d["channel"]["guild_id"]) == alpha.id and d["channel"]["type"] == 0


async def test_driver_resolves_roles_channels_and_groups(sim: DiscordSimulator, gateway: RawGateway) -> None:
    """A group/subcommand path nests twice; roles and channels land in resolved; types are kept."""
    alpha = sim.guild("alpha")
    options = {
        "role": "Curator",
        "where": alpha.briefings,
        "who": alpha.admin_role,
        "ratio": 0.5,
        "flag": True,
    }
    handle = await sim.invoke_command("alpha", "member", "pick grp sub", options)
    frame = await gateway.wait_for(
        lambda f: f.get("t") == "INTERACTION_CREATE" and f["d"]["id"] == str(handle.id)
    )
    group = frame["d"]["data"]["options"][0]
    assert (group["name"], group["type"], group["options"][0]["name"]) == ("grp", 2, "sub")
    values = {o["name"]: o["value"] for o in group["options"][0]["options"]}
    assert values == {
        "role": str(alpha.role("Curator").id),
        "where": str(alpha.briefings.id),
        "who": str(alpha.admin_role.id),
        "ratio": 0.5,
        "flag": True,
    }
    resolved = frame["d"]["data"]["resolved"]
    assert set(resolved["roles"]) == {str(alpha.role("Curator").id), str(alpha.admin_role.id)}
    assert resolved["channels"][str(alpha.briefings.id)]["permissions"].isdigit()
    with pytest.raises(DriverError, match="SimRole"):
        await sim.invoke_command("alpha", "member", "pick grp sub", {"role": 5})


# --- gateway -------------------------------------------------------------------------------------
async def test_gateway_rejects_bad_token_and_privileged_intents(sim: DiscordSimulator, api: Api) -> None:
    """IDENTIFY with a wrong token closes 4004; with a privileged intent not enabled closes 4014."""
    sim.expect_violation(4004)
    sim.expect_violation(4014)
    for token, intents, code in ((sim.token + "x", 1, 4004), (sim.token, 1 | (1 << 15), 4014)):
        gw = RawGateway(api.session)
        await gw.connect(sim.gateway_url)
        await gw.send({"op": 2, "d": {"token": token, "intents": intents, "properties": {}}})
        assert await gw.wait_closed() == code


async def test_gateway_hello_ready_shards_and_resume(sim: DiscordSimulator, api: Api) -> None:
    """HELLO, READY (shard, resume URL), GUILD_CREATE only for owned guilds, heartbeat ACK, RESUME replay."""
    gw = RawGateway(api.session)
    await gw.connect(sim.gateway_url)
    hello = await gw.wait_for(lambda f: f["op"] == 10)
    assert hello["d"]["heartbeat_interval"] == 41250
    ready = await gw.identify(sim.token, intents=1, shard=[1, 2])
    assert ready["d"]["shard"] == [1, 2] and ready["d"]["resume_gateway_url"].endswith("/gateway-resume")
    assert ready["d"]["application"]["id"] == str(sim.application_id)
    created = await gw.wait_for(lambda f: f.get("t") == "GUILD_CREATE")
    assert created["d"]["id"] == str(sim.guild("beta").id)
    assert [f["d"]["id"] for f in gw.frames if f.get("t") == "GUILD_CREATE"] == [str(sim.guild("beta").id)]
    await gw.send({"op": 1, "d": 2})
    await gw.wait_for(lambda f: f["op"] == 11)
    await gw.close(4000)
    session_id, last_seq = ready["d"]["session_id"], ready["s"]
    resumed = RawGateway(api.session)
    await resumed.connect(ready["d"]["resume_gateway_url"])
    await resumed.send({"op": 6, "d": {"token": sim.token, "session_id": session_id, "seq": last_seq}})
    await resumed.wait_for(lambda f: f.get("t") == "RESUMED")
    assert [f.get("t") for f in resumed.frames if f["op"] == 0] == ["GUILD_CREATE", "RESUMED"]
    await resumed.close(1000)
    stale = RawGateway(api.session)
    await stale.connect(sim.gateway_url)
    await stale.send({"op": 6, "d": {"token": sim.token, "session_id": session_id, "seq": last_seq}})
    assert (await stale.wait_for(lambda f: f["op"] == 9))["d"] is False
    await stale.close(1000)


async def test_plain_json_gateway_without_compress(sim: DiscordSimulator, api: Api) -> None:
    """Without the compress query the gateway speaks plain text frames."""
    gw = RawGateway(api.session)
    await gw.connect(sim.gateway_url, compress=False)
    ready = await gw.identify(sim.token)
    assert ready["d"]["v"] == 10
    await gw.close(1000)


# --- mentions ------------------------------------------------------------------------------------
def test_would_ping_follows_allowed_mentions() -> None:
    """@everyone/@here and user/role mentions ping unless allowed_mentions forbids them."""
    user = "<@826984208793731073>"
    assert would_ping({"content": "@everyone hi"}) == ["@everyone"]
    assert would_ping({"content": "@here", "allowed_mentions": {"parse": []}}) == []
    assert would_ping({"content": user}, channel_message=False) == ["user:826984208793731073"]
    assert would_ping({"content": "<@&826984208793731073>"}, channel_message=False) == []
    assert would_ping({"content": user, "allowed_mentions": {"parse": [], "users": ["826984208793731073"]}})


async def test_timeouts_are_bounded_and_explain(sim: DiscordSimulator, gateway: RawGateway) -> None:
    """A handle wait that cannot succeed fails quickly with a description of what happened."""
    handle = await sim.invoke_command("alpha", "member", "position", {"actor": "russia"})
    started = time.monotonic()
    with pytest.raises(SimTimeout, match="/position"):
        await handle.response(timeout=0.3)
    assert time.monotonic() - started < 2
    await asyncio.sleep(0)
