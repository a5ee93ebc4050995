"""REST routes: interaction callbacks and the interaction webhook (@original, follow-ups)."""

from __future__ import annotations

from . import api_errors as err
from . import interactions as ix
from .http_context import Reply, RequestContext, RouteSpec


async def callback(ctx: RequestContext) -> Reply:
    """POST /interactions/{id}/{token}/callback (204, or 200 with the callback response if with_response)."""
    interaction_id = ctx.snowflake("interaction_id", err.unknown_interaction)
    body, _ = ix.handle_callback(ctx.state, interaction_id, ctx.params["token"], ctx.json, ctx.files)
    if ctx.flag("with_response"):
        return Reply(body=body)
    return Reply(status=204)


def _interaction(ctx: RequestContext) -> ix.InteractionState:
    return ix.interaction_for_webhook(
        ctx.state, ctx.snowflake("application_id", err.unknown_webhook), ctx.params["token"]
    )


async def get_message(ctx: RequestContext) -> Reply:
    """GET /webhooks/{app}/{token}/messages/{@original|id}."""
    inter = _interaction(ctx)
    return Reply(body=ix.message_for_token(ctx.state, inter, ctx.params["message_id"]).payload())


async def edit_message(ctx: RequestContext) -> Reply:
    """PATCH /webhooks/{app}/{token}/messages/{@original|id}."""
    inter = _interaction(ctx)
    message = ix.message_for_token(ctx.state, inter, ctx.params["message_id"])
    return Reply(body=ix.edit_message(ctx.state, inter, message, ctx.body_dict(), ctx.files))


async def delete_message(ctx: RequestContext) -> Reply:
    """DELETE /webhooks/{app}/{token}/messages/{@original|id}."""
    inter = _interaction(ctx)
    ix.delete_message(ctx.state, inter, ix.message_for_token(ctx.state, inter, ctx.params["message_id"]))
    return Reply(status=204)


async def followup(ctx: RequestContext) -> Reply:
    """POST /webhooks/{app}/{token}: a follow-up message (``wait`` is always true for interactions)."""
    inter = _interaction(ctx)
    return Reply(body=ix.create_followup(ctx.state, inter, ctx.body_dict(), ctx.files))


def routes() -> list[RouteSpec]:
    """The routes of this module (none needs a bot token, like Discord's)."""
    base = "/webhooks/{application_id}/{token}"
    return [
        RouteSpec("POST", "/interactions/{interaction_id}/{token}/callback", callback, auth=False),
        RouteSpec("POST", base, followup, auth=False),
        RouteSpec("GET", base + "/messages/{message_id}", get_message, auth=False),
        RouteSpec("PATCH", base + "/messages/{message_id}", edit_message, auth=False),
        RouteSpec("DELETE", base + "/messages/{message_id}", delete_message, auth=False),
    ]
