"""What the simulator records: requests, rejections ("violations") and gateway traffic."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class UploadedFile:
    """One file part of a multipart request."""

    field_name: str
    filename: str
    content_type: str
    data: bytes


@dataclass
class RequestRecord:
    """One REST request and the simulator's answer."""

    seq: int
    at: float
    method: str
    path: str
    query: dict[str, str]
    json: Any = None
    files: list[UploadedFile] = field(default_factory=list)
    route: str | None = None
    status: int = 0
    response: Any = None
    rate_limited: bool = False

    def __repr__(self) -> str:
        return f"<{self.method} {self.path} -> {self.status}>"


@dataclass(frozen=True)
class Violation:
    """A request the simulator rejected the way Discord would."""

    at: float
    method: str
    path: str
    route: str | None
    status: int
    code: int
    message: str
    fields: tuple[str, ...] = ()
    request_json: Any = None

    def describe(self) -> str:
        """One line for failure reports."""
        where = f" at {', '.join(self.fields)}" if self.fields else ""
        return f"{self.method} {self.path} -> {self.status} code {self.code} {self.message!r}{where}"


@dataclass
class ExpectedViolation:
    """A rejection a test declared it expects (strict mode lets it through)."""

    code: int | None = None
    status: int | None = None
    field: str | None = None
    route: str | None = None
    times: int | None = 1
    required: bool = True
    matched: int = 0

    def accepts(self, violation: Violation) -> bool:
        """Whether this expectation covers the violation (field matches by dotted-path suffix)."""
        if self.times is not None and self.matched >= self.times:
            return False
        if self.code is not None and violation.code != self.code:
            return False
        if self.status is not None and violation.status != self.status:
            return False
        if self.route is not None and violation.route != self.route:
            return False
        return self.field is None or any(
            f == self.field or f.endswith("." + self.field) for f in violation.fields
        )

    def describe(self) -> str:
        """One line for failure reports."""
        parts = [
            f"{k}={v!r}"
            for k, v in (
                ("code", self.code),
                ("status", self.status),
                ("field", self.field),
                ("route", self.route),
            )
            if v is not None
        ]
        return f"expected violation({', '.join(parts)}) x{self.times or 'any'}"


@dataclass(frozen=True)
class GatewayEvent:
    """One gateway frame or connection event."""

    at: float
    connection: int
    direction: str
    op: int | None = None
    t: str | None = None
    s: int | None = None
    session_id: str | None = None
    shard: tuple[int, int] | None = None
    detail: str = ""
