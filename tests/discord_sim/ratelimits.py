"""Injected HTTP 429s with the headers Discord sends, plus ordinary rate-limit headers."""

from __future__ import annotations

import fnmatch
import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


def bucket_hash(route: str) -> str:
    """A stable, opaque bucket id per route template (like X-RateLimit-Bucket)."""
    return hashlib.sha1(route.encode(), usedforsecurity=False).hexdigest()[:16]


@dataclass
class RateLimitRule:
    """Answer the next ``remaining`` requests matching ``route`` with 429."""

    route: str
    remaining: int
    retry_after: float
    is_global: bool = False
    scope: str = "user"
    hits: int = 0

    def matches(self, method: str, path: str, template: str | None) -> bool:
        """Match "METHOD /template/{param}" exactly, or a glob over "METHOD /concrete/path"."""
        if self.remaining <= 0:
            return False
        concrete = f"{method} {path}"
        if template is not None and self.route == f"{method} {template}":
            return True
        if any(ch in self.route for ch in "*?["):
            return fnmatch.fnmatchcase(concrete, self.route)
        return self.route == concrete


def normal_headers(route_key: str, now: float) -> dict[str, str]:
    """Headers of an ordinary answer: a roomy bucket that never forces the client to wait."""
    return {
        "X-RateLimit-Limit": "5",
        "X-RateLimit-Remaining": "4",
        "X-RateLimit-Reset": f"{now + 1:.3f}",
        "X-RateLimit-Reset-After": "1.000",
        "X-RateLimit-Bucket": bucket_hash(route_key),
    }


def limited(rule: RateLimitRule, route_key: str, now: float) -> tuple[dict[str, str], dict[str, object]]:
    """Headers and body of a 429 for this rule."""
    headers = {
        "Retry-After": str(max(1, math.ceil(rule.retry_after))),
        "X-RateLimit-Limit": "5",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": f"{now + rule.retry_after:.3f}",
        "X-RateLimit-Reset-After": f"{rule.retry_after:.3f}",
        "X-RateLimit-Bucket": bucket_hash(route_key),
        "X-RateLimit-Scope": "global" if rule.is_global else rule.scope,
    }
    if rule.is_global:
        headers["X-RateLimit-Global"] = "true"
    body: dict[str, object] = {
        "message": "You are being rate limited.",
        "retry_after": rule.retry_after,
        "global": rule.is_global,
    }
    return headers, body


@dataclass
class RefusalRule:
    """Refuse the next ``remaining`` requests to ``route`` whose JSON body satisfies ``when``."""

    route: str
    when: Callable[[Any], bool]
    status: int
    code: int
    message: str
    remaining: int = 1
    hits: int = 0

    def matches(self, method: str, template: str | None, body: Any) -> bool:
        """Match "METHOD /template/{param}" and the body predicate."""
        return self.remaining > 0 and self.route == f"{method} {template}" and bool(self.when(body))
