"""The aiohttp application: /api/v10 routing, auth, body parsing, 429 injection and recording."""

from __future__ import annotations

import re
from typing import Any

from aiohttp import BodyPartReader, web

from . import api_errors as err
from . import json_codec, routes_channels, routes_core, routes_interactions
from .api_errors import ApiError
from .gateway import GatewayHub
from .http_context import Reply, RequestContext, RouteSpec
from .ratelimits import limited, normal_headers
from .records import RequestRecord, UploadedFile
from .state import SimState

API_VERSION = "v10"


def _compile(template: str) -> re.Pattern[str]:
    pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
    return re.compile(f"^{pattern}$")


def json_response(body: Any, status: int, headers: dict[str, str]) -> web.Response:
    """A JSON response with exactly ``Content-Type: application/json`` (discord.py compares it verbatim)."""
    return web.Response(
        body=json_codec.dumps(body), status=status, headers=headers, content_type="application/json"
    )


class RestApi:
    """Routes every request, records it, and turns ApiErrors into Discord error bodies + violations."""

    def __init__(self, state: SimState, hub: GatewayHub) -> None:
        self.state = state
        self.hub = hub
        self.routes: list[tuple[RouteSpec, re.Pattern[str]]] = [
            (spec, _compile(spec.template))
            for spec in routes_core.routes() + routes_interactions.routes() + routes_channels.routes()
        ]

    def application(self) -> web.Application:
        """Build the aiohttp application (REST, gateway, attachment downloads)."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/api/{version}/{tail:.*}", self.handle_api)
        app.router.add_get("/gateway", self.hub.handle)
        app.router.add_get("/gateway-resume", self.hub.handle)
        app.router.add_get("/attachments/{channel_id}/{attachment_id}/{filename}", self.handle_attachment)
        app.router.add_route("*", "/{tail:.*}", self.handle_unknown)
        return app

    def _record(self, request: web.Request, path: str) -> RequestRecord:
        record = RequestRecord(
            seq=len(self.state.requests),
            at=self.state.now(),
            method=request.method,
            path=path,
            query=dict(request.query),
        )
        self.state.requests.append(record)
        return record

    def _match(self, method: str, path: str) -> tuple[RouteSpec, dict[str, str]]:
        path_matched = False
        for spec, pattern in self.routes:
            found = pattern.match(path)
            if found is None:
                continue
            path_matched = True
            if spec.method == method:
                return spec, found.groupdict()
        raise err.method_not_allowed() if path_matched else err.not_found()

    async def _parse_body(self, request: web.Request) -> tuple[Any, list[UploadedFile]]:
        if request.content_type.startswith("multipart/"):
            payload: Any = None
            files: list[UploadedFile] = []
            reader = await request.multipart()
            async for part in reader:
                if not isinstance(part, BodyPartReader):
                    continue
                name = part.name or ""
                data = await part.read()
                if name == "payload_json":
                    try:
                        payload = json_codec.loads(data)
                    except ValueError:
                        raise err.invalid_json() from None
                elif name.startswith("files["):
                    files.append(
                        UploadedFile(
                            name, part.filename or name, part.headers.get("Content-Type", ""), bytes(data)
                        )
                    )
            return payload, files
        raw = await request.read()
        if not raw:
            return None, []
        try:
            return json_codec.loads(raw), []
        except ValueError:
            raise err.invalid_json() from None

    async def handle_api(self, request: web.Request) -> web.StreamResponse:
        """Everything under /api/{version}/."""
        path = "/" + request.match_info["tail"]
        record = self._record(request, path)
        spec: RouteSpec | None = None
        headers: dict[str, str] = {"Via": "1.1 google"}
        try:
            if request.match_info["version"] != API_VERSION:
                raise err.not_found()
            spec, params = self._match(request.method, path)
            record.route = spec.key
            record.json, record.files = await self._parse_body(request)
            if spec.auth and request.headers.get("Authorization") != f"Bot {self.state.config.token}":
                raise err.unauthorized()
            now = self.state.now()
            for rule in self.state.rate_limits:
                if rule.matches(request.method, path, spec.template):
                    rule.remaining -= 1
                    rule.hits += 1
                    extra, body = limited(rule, spec.key, now)
                    record.rate_limited = True
                    reply = Reply(status=429, body=body, headers=extra)
                    break
            else:
                for refusal in self.state.refusals:
                    if refusal.matches(request.method, spec.template, record.json):
                        refusal.remaining -= 1
                        refusal.hits += 1
                        raise ApiError(refusal.status, refusal.code, refusal.message)
                ctx = RequestContext(
                    self.state,
                    request.method,
                    path,
                    params,
                    dict(request.query),
                    record.json,
                    record.files,
                    record,
                )
                reply = await spec.handler(ctx)
                headers.update(normal_headers(spec.key, now))
        except ApiError as error:
            self.state.record_violation(record, error)
            reply = Reply(status=error.status, body=error.body())
            if spec is not None:
                headers.update(normal_headers(spec.key, self.state.now()))
        headers.update(reply.headers)
        record.status = reply.status
        record.response = reply.body
        self.state.bump()
        if reply.body is None or reply.status == 204:
            return web.Response(status=reply.status, headers=headers)
        return json_response(reply.body, reply.status, headers)

    async def handle_attachment(self, request: web.Request) -> web.StreamResponse:
        """Attachment downloads (the CDN stand-in)."""
        record = self._record(request, request.path)
        attachment_id = request.match_info["attachment_id"]
        attachment = self.state.store.attachments.get(int(attachment_id)) if attachment_id.isdigit() else None
        if attachment is None:
            self.state.record_violation(record, ApiError(404, 0, "attachment not found"))
            record.status = 404
            return web.Response(status=404, text="Not Found")
        record.status = 200
        self.state.bump()
        return web.Response(body=attachment.data, content_type=attachment.content_type)

    async def handle_unknown(self, request: web.Request) -> web.StreamResponse:
        """Anything outside /api/v10, the gateway and attachments."""
        record = self._record(request, request.path)
        error = err.not_found()
        self.state.record_violation(record, error)
        record.status = 404
        return json_response(error.body(), 404, {})
