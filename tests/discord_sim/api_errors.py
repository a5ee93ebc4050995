"""Discord's JSON error bodies, as the simulator answers them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

JsonDict = dict[str, Any]


@dataclass
class FormErrors:
    """Collects field errors; renders Discord's nested ``errors`` object for 50035."""

    items: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, path: str, code: str, message: str) -> None:
        """Record an error at a dotted field path ('' for the request itself)."""
        self.items.append((path, code, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    @property
    def paths(self) -> list[str]:
        """Every dotted field path with an error."""
        return [path for path, _, _ in self.items]

    def nested(self) -> JsonDict:
        """The nested form Discord documents: {"embeds": {"0": {"title": {"_errors": [...]}}}}."""
        root: JsonDict = {}
        for path, code, message in self.items:
            node = root
            for part in [p for p in path.split(".") if p != ""]:
                node = node.setdefault(part, {})
            node.setdefault("_errors", []).append({"code": code, "message": message})
        return root

    def raise_if_any(self) -> None:
        """Raise an Invalid Form Body ApiError if anything was recorded."""
        if self.items:
            raise ApiError(400, 50035, "Invalid Form Body", self)


class ApiError(Exception):
    """A rejection the simulator answers with Discord's status, code and body."""

    def __init__(self, status: int, code: int, message: str, form: FormErrors | None = None) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.code = code
        self.message = message
        self.form = form

    @property
    def field_paths(self) -> list[str]:
        """Dotted paths of the offending fields (empty for non-form errors)."""
        return [] if self.form is None else self.form.paths

    def body(self) -> JsonDict:
        """The JSON body Discord sends for this error."""
        data: JsonDict = {"message": self.message, "code": self.code}
        if self.form is not None:
            data["errors"] = self.form.nested()
        return data


def flatten_errors(errors: JsonDict, prefix: str = "") -> dict[str, list[JsonDict]]:
    """Turn Discord's nested ``errors`` object into {"embeds.0.title": [{code, message}]}."""
    flat: dict[str, list[JsonDict]] = {}
    for key, value in errors.items():
        if key == "_errors":
            flat[prefix] = value
            continue
        path = f"{prefix}.{key}" if prefix else key
        flat.update(flatten_errors(value, path))
    return flat


def not_found() -> ApiError:
    """404 for an unknown route."""
    return ApiError(404, 0, "404: Not Found")


def method_not_allowed() -> ApiError:
    """405 for a known route with the wrong method."""
    return ApiError(405, 0, "405: Method Not Allowed")


def unauthorized() -> ApiError:
    """401 for a missing or wrong token."""
    return ApiError(401, 0, "401: Unauthorized")


def unknown_interaction() -> ApiError:
    """404 10062: unknown, expired (3 s) or invalid interaction."""
    return ApiError(404, 10062, "Unknown interaction")


def already_acknowledged() -> ApiError:
    """400 40060: a second initial response."""
    return ApiError(400, 40060, "Interaction has already been acknowledged.")


def unknown_webhook() -> ApiError:
    """404 10015: the interaction token expired (15 min) or was never valid."""
    return ApiError(404, 10015, "Unknown Webhook")


def unknown_message() -> ApiError:
    """404 10008."""
    return ApiError(404, 10008, "Unknown Message")


def unknown_channel() -> ApiError:
    """404 10003."""
    return ApiError(404, 10003, "Unknown Channel")


def unknown_guild() -> ApiError:
    """404 10004."""
    return ApiError(404, 10004, "Unknown Guild")


def unknown_application() -> ApiError:
    """404 10002."""
    return ApiError(404, 10002, "Unknown Application")


def unknown_command() -> ApiError:
    """404 10063."""
    return ApiError(404, 10063, "Unknown application command")


def unknown_user() -> ApiError:
    """404 10013."""
    return ApiError(404, 10013, "Unknown User")


def unknown_member() -> ApiError:
    """404 10007."""
    return ApiError(404, 10007, "Unknown Member")


def missing_access() -> ApiError:
    """403 50001: the bot cannot see the channel."""
    return ApiError(403, 50001, "Missing Access")


def missing_permissions() -> ApiError:
    """403 50013: the bot lacks a permission."""
    return ApiError(403, 50013, "Missing Permissions")


def empty_message() -> ApiError:
    """400 50006."""
    return ApiError(400, 50006, "Cannot send an empty message")


def invalid_json() -> ApiError:
    """400 50109."""
    return ApiError(400, 50109, "The request body contains invalid JSON.")


def cannot_edit_other_author() -> ApiError:
    """403 50005."""
    return ApiError(403, 50005, "Cannot edit a message authored by another user")
