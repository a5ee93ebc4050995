"""REST routes: login, gateway discovery, application info and application commands."""

from __future__ import annotations

from . import api_errors as err
from .api_errors import FormErrors
from .http_context import Reply, RequestContext, RouteSpec
from .validate_commands import validate_command, validate_command_list


async def get_me(ctx: RequestContext) -> Reply:
    """GET /users/@me."""
    bot = ctx.state.world.bot
    return Reply(
        body={**bot.payload(), "verified": True, "mfa_enabled": False, "email": None, "locale": "en-US"}
    )


async def get_user(ctx: RequestContext) -> Reply:
    """GET /users/{user_id}."""
    user = ctx.state.world.users.get(ctx.snowflake("user_id", err.unknown_user))
    if user is None:
        raise err.unknown_user()
    return Reply(body=user.payload())


async def get_gateway(ctx: RequestContext) -> Reply:
    """GET /gateway."""
    return Reply(body={"url": f"{ctx.state.ws_base}/gateway"})


async def get_gateway_bot(ctx: RequestContext) -> Reply:
    """GET /gateway/bot."""
    return Reply(
        body={
            "url": f"{ctx.state.ws_base}/gateway",
            "shards": ctx.state.config.recommended_shards,
            "session_start_limit": {
                "total": 1000,
                "remaining": 999,
                "reset_after": 14_400_000,
                "max_concurrency": 1,
            },
        }
    )


async def get_application(ctx: RequestContext) -> Reply:
    """GET /oauth2/applications/@me and /applications/@me."""
    world = ctx.state.world
    return Reply(
        body={
            "id": str(world.application_id),
            "name": world.bot.username,
            "icon": None,
            "description": "Local Discord simulator application",
            "summary": "",
            "type": None,
            "bot_public": False,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "flags": 0,
            "owner": world.bot_owner.payload(),
            "team": None,
            "bot": world.bot.payload(),
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "install_params": {"scopes": ["bot", "applications.commands"], "permissions": "0"},
            "integration_types_config": {"0": {}},
            "approximate_guild_count": len(world.guilds),
            "tags": [],
        }
    )


def _scope(ctx: RequestContext) -> int | None:
    if ctx.snowflake("application_id", err.unknown_application) != ctx.state.world.application_id:
        raise err.ApiError(403, 50001, "Missing Access")
    if "guild_id" not in ctx.params:
        return None
    guild_id = ctx.snowflake("guild_id", err.unknown_guild)
    try:
        ctx.state.world.guild(guild_id)
    except KeyError:
        raise err.missing_access() from None
    return guild_id


async def list_commands(ctx: RequestContext) -> Reply:
    """GET /applications/{app}/commands and /applications/{app}/guilds/{guild}/commands."""
    guild_id = _scope(ctx)
    return Reply(body=[c.payload() for c in ctx.state.commands.in_scope(guild_id)])


async def overwrite_commands(ctx: RequestContext) -> Reply:
    """PUT (bulk overwrite) — validated like Discord: 50035 with the field path."""
    guild_id = _scope(ctx)
    form = FormErrors()
    validate_command_list(form, ctx.json)
    form.raise_if_any()
    commands = ctx.state.commands.overwrite(guild_id, ctx.json)
    ctx.state.bump()
    return Reply(body=[c.payload() for c in commands])


async def create_command(ctx: RequestContext) -> Reply:
    """POST: create (201) or replace by name (200)."""
    guild_id = _scope(ctx)
    form = FormErrors()
    validate_command(form, "", ctx.json)
    form.raise_if_any()
    if guild_id is None:
        total = len([c for c in ctx.state.commands.in_scope(None) if c.type == ctx.json.get("type", 1)])
        if total >= 100 and not any(
            c.name == ctx.json.get("name") for c in ctx.state.commands.in_scope(None)
        ):
            raise err.ApiError(400, 30032, "Maximum number of application commands reached (100)")
    command, created = ctx.state.commands.create(guild_id, ctx.json)
    ctx.state.bump()
    return Reply(status=201 if created else 200, body=command.payload())


async def get_command(ctx: RequestContext) -> Reply:
    """GET one command."""
    guild_id = _scope(ctx)
    command = ctx.state.commands.get(guild_id, ctx.snowflake("command_id", err.unknown_command))
    if command is None:
        raise err.unknown_command()
    return Reply(body=command.payload())


async def edit_command(ctx: RequestContext) -> Reply:
    """PATCH one command."""
    guild_id = _scope(ctx)
    command_id = ctx.snowflake("command_id", err.unknown_command)
    old = ctx.state.commands.get(guild_id, command_id)
    if old is None:
        raise err.unknown_command()
    form = FormErrors()
    validate_command(form, "", {**old.definition, **ctx.body_dict()})
    form.raise_if_any()
    command = ctx.state.commands.edit(guild_id, command_id, ctx.body_dict())
    assert command is not None
    ctx.state.bump()
    return Reply(body=command.payload())


async def delete_command(ctx: RequestContext) -> Reply:
    """DELETE one command."""
    guild_id = _scope(ctx)
    if not ctx.state.commands.delete(guild_id, ctx.snowflake("command_id", err.unknown_command)):
        raise err.unknown_command()
    ctx.state.bump()
    return Reply(status=204)


async def list_command_permissions(ctx: RequestContext) -> Reply:
    """GET /applications/{app}/guilds/{guild}/commands/permissions (no overrides are configured)."""
    _scope(ctx)
    return Reply(body=[])


def routes() -> list[RouteSpec]:
    """The routes of this module."""
    specs = [
        RouteSpec("GET", "/users/@me", get_me),
        RouteSpec("GET", "/users/{user_id}", get_user),
        RouteSpec("GET", "/gateway", get_gateway, auth=False),
        RouteSpec("GET", "/gateway/bot", get_gateway_bot),
        RouteSpec("GET", "/oauth2/applications/@me", get_application),
        RouteSpec("GET", "/applications/@me", get_application),
        RouteSpec(
            "GET",
            "/applications/{application_id}/guilds/{guild_id}/commands/permissions",
            list_command_permissions,
        ),
    ]
    for base in (
        "/applications/{application_id}/commands",
        "/applications/{application_id}/guilds/{guild_id}/commands",
    ):
        specs += [
            RouteSpec("GET", base, list_commands),
            RouteSpec("PUT", base, overwrite_commands),
            RouteSpec("POST", base, create_command),
            RouteSpec("GET", base + "/{command_id}", get_command),
            RouteSpec("PATCH", base + "/{command_id}", edit_command),
            RouteSpec("DELETE", base + "/{command_id}", delete_command),
        ]
    return specs
