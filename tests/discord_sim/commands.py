"""Application commands as Discord stores them: ids, versions, global and per-guild scopes."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

JsonDict = dict[str, Any]

_DEFINITION_KEYS = (
    "type",
    "name",
    "name_localizations",
    "description",
    "description_localizations",
    "options",
    "default_member_permissions",
    "dm_permission",
    "nsfw",
    "contexts",
    "integration_types",
    "handler",
)


def normalise_definition(raw: JsonDict) -> JsonDict:
    """The fields Discord keeps from a command body, with defaults filled in."""
    data = {k: copy.deepcopy(raw[k]) for k in _DEFINITION_KEYS if k in raw}
    data.setdefault("type", 1)
    data.setdefault("description", "")
    data.setdefault("default_member_permissions", None)
    data.setdefault("nsfw", False)
    return data


@dataclass
class StoredCommand:
    """One registered command."""

    id: int
    application_id: int
    guild_id: int | None
    version: int
    definition: JsonDict

    @property
    def name(self) -> str:
        """The command name."""
        return str(self.definition["name"])

    @property
    def type(self) -> int:
        """1 chat input, 2 user, 3 message, 4 entry point."""
        return int(self.definition.get("type", 1))

    @property
    def options(self) -> list[JsonDict]:
        """Top-level options."""
        return list(self.definition.get("options") or [])

    def payload(self) -> JsonDict:
        """The application command object as Discord returns it."""
        data = copy.deepcopy(self.definition)
        data.update(
            {
                "id": str(self.id),
                "application_id": str(self.application_id),
                "version": str(self.version),
            }
        )
        if self.guild_id is not None:
            data["guild_id"] = str(self.guild_id)
        else:
            data.setdefault("contexts", None)
            data.setdefault("integration_types", [0])
        return data


class CommandRegistry:
    """Global and guild command lists; they outlive bot restarts, like Discord's."""

    def __init__(self, application_id: int, new_id: Callable[[], int]) -> None:
        self.application_id = application_id
        self._new_id = new_id
        self._scopes: dict[int | None, dict[tuple[int, str], StoredCommand]] = {None: {}}
        self.overwrite_count: dict[int | None, int] = {}

    def scope(self, guild_id: int | None) -> dict[tuple[int, str], StoredCommand]:
        """The (type, name) → command map of one scope (None = global)."""
        return self._scopes.setdefault(guild_id, {})

    def in_scope(self, guild_id: int | None) -> list[StoredCommand]:
        """Commands of a scope in registration order."""
        return list(self.scope(guild_id).values())

    def _upsert(
        self, guild_id: int | None, raw: JsonDict, existing: dict[tuple[int, str], StoredCommand]
    ) -> StoredCommand:
        definition = normalise_definition(raw)
        key = (int(definition["type"]), str(definition["name"]))
        old = existing.get(key)
        if old is None:
            return StoredCommand(self._new_id(), self.application_id, guild_id, self._new_id(), definition)
        if old.definition != definition:
            return StoredCommand(old.id, self.application_id, guild_id, self._new_id(), definition)
        return old

    def overwrite(self, guild_id: int | None, bodies: list[JsonDict]) -> list[StoredCommand]:
        """Bulk overwrite: keep ids of same-named commands, bump versions of changed ones, drop the rest."""
        existing = self.scope(guild_id)
        new_scope: dict[tuple[int, str], StoredCommand] = {}
        for raw in bodies:
            command = self._upsert(guild_id, raw, existing)
            new_scope[(command.type, command.name)] = command
        self._scopes[guild_id] = new_scope
        self.overwrite_count[guild_id] = self.overwrite_count.get(guild_id, 0) + 1
        return list(new_scope.values())

    def create(self, guild_id: int | None, raw: JsonDict) -> tuple[StoredCommand, bool]:
        """POST: create or replace by (type, name); returns (command, created)."""
        existing = self.scope(guild_id)
        command = self._upsert(guild_id, raw, existing)
        key = (command.type, command.name)
        created = key not in existing
        existing[key] = command
        return command, created

    def get(self, guild_id: int | None, command_id: int) -> StoredCommand | None:
        """A command by id within a scope."""
        for command in self.scope(guild_id).values():
            if command.id == command_id:
                return command
        return None

    def edit(self, guild_id: int | None, command_id: int, raw: JsonDict) -> StoredCommand | None:
        """PATCH: merge fields into an existing command."""
        old = self.get(guild_id, command_id)
        if old is None:
            return None
        merged = {**old.definition, **raw}
        scope = self.scope(guild_id)
        del scope[(old.type, old.name)]
        command = self._upsert(guild_id, merged, {(old.type, str(merged.get("name"))): old})
        scope[(command.type, command.name)] = command
        return command

    def delete(self, guild_id: int | None, command_id: int) -> bool:
        """DELETE: remove a command; False if unknown."""
        scope = self.scope(guild_id)
        for key, command in list(scope.items()):
            if command.id == command_id:
                del scope[key]
                return True
        return False

    def resolve(self, guild_id: int, name: str, command_type: int = 1) -> StoredCommand | None:
        """The command a user would pick in a guild: the guild's own first, then the global one."""
        return self.scope(guild_id).get((command_type, name)) or self.scope(None).get((command_type, name))
