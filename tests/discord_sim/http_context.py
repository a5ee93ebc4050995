"""Types shared by the REST route modules."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from .api_errors import ApiError, FormErrors
from .records import RequestRecord, UploadedFile
from .state import SimState


@dataclass
class Reply:
    """What a route handler answers (``body`` None means 204 No Content)."""

    status: int = 200
    body: Any = None
    raw: bytes | None = None
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class RequestContext:
    """One parsed REST request."""

    state: SimState
    method: str
    path: str
    params: dict[str, str]
    query: dict[str, str]
    json: Any
    files: list[UploadedFile]
    record: RequestRecord

    def snowflake(self, name: str, error: Callable[[], ApiError]) -> int:
        """A path parameter as an int snowflake, or the given 404."""
        value = self.params[name]
        if not value.isdigit():
            raise error()
        return int(value)

    def flag(self, name: str) -> bool:
        """A boolean query parameter ("true"/"1" are true, per Discord's boolean query strings)."""
        return self.query.get(name, "").lower() in ("true", "1")

    def body_dict(self) -> dict[str, Any]:
        """The JSON body as an object, or 50035 if it is something else."""
        if self.json is None:
            return {}
        if not isinstance(self.json, dict):
            form = FormErrors()
            form.add("", "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
            form.raise_if_any()
        body: dict[str, Any] = self.json
        return body


Handler = Callable[[RequestContext], Awaitable[Reply]]


@dataclass(frozen=True)
class RouteSpec:
    """One REST route: method, template under /api/v10, handler, and whether a bot token is required."""

    method: str
    template: str
    handler: Handler
    auth: bool = True

    @property
    def key(self) -> str:
        """ "METHOD /template" — the name rate-limit rules and records use."""
        return f"{self.method} {self.template}"
