"""Validation of application command definitions (bulk overwrite, create, edit)."""

from __future__ import annotations

import unicodedata
from typing import Any, cast

from .api_errors import FormErrors
from .validate_messages import check_list, check_string

JsonDict = dict[str, Any]

SUB_COMMAND = 1
SUB_COMMAND_GROUP = 2
STRING = 3
INTEGER = 4
BOOLEAN = 5
USER = 6
CHANNEL = 7
ROLE = 8
MENTIONABLE = 9
NUMBER = 10
ATTACHMENT = 11

CHAT_INPUT = 1
USER_COMMAND = 2
MESSAGE_COMMAND = 3

MAX_PER_TYPE = {CHAT_INPUT: 100, USER_COMMAND: 15, MESSAGE_COMMAND: 15, 4: 1}
MAX_SAFE_INT = 2**53 - 1


def _join(prefix: str, key: str | int) -> str:
    return f"{prefix}.{key}" if prefix else str(key)


def is_valid_chat_input_name(name: str) -> bool:
    """Discord's ``^[-_'\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]{1,32}$``, lowercase where a lowercase exists."""
    if not 1 <= len(name) <= 32:
        return False
    for ch in name:
        if ch in "-_'":
            continue
        category = unicodedata.category(ch)
        if category[0] in "LN":
            if ch.lower() != ch:
                return False
            continue
        if category[0] == "M" and any(s in unicodedata.name(ch, "") for s in ("DEVANAGARI", "THAI")):
            continue
        return False
    return True


def _check_name(errors: FormErrors, path: str, name: Any, *, chat_input: bool, what: str) -> None:
    if name is None:
        errors.add(path, "BASE_TYPE_REQUIRED", "This field is required")
    elif not isinstance(name, str):
        errors.add(path, "BASE_TYPE_STRING", f'Could not interpret "{name!r}" as string.')
    elif not 1 <= len(name) <= 32:
        errors.add(path, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32 in length.")
    elif chat_input and not is_valid_chat_input_name(name):
        code = (
            "APPLICATION_COMMAND_INVALID_NAME"
            if what == "Command"
            else "APPLICATION_COMMAND_OPTION_INVALID_NAME"
        )
        errors.add(path, code, f"{what} name is invalid")


def _value_matches(option_type: int, value: Any) -> bool:
    if option_type == STRING:
        return isinstance(value, str)
    if option_type == INTEGER:
        return isinstance(value, int) and not isinstance(value, bool) and abs(value) <= MAX_SAFE_INT
    return isinstance(value, int | float) and not isinstance(value, bool)


def _validate_choices(errors: FormErrors, path: str, option: JsonDict, option_type: int) -> None:
    raw = option.get("choices")
    if raw is None:
        return
    if option_type not in (STRING, INTEGER, NUMBER):
        errors.add(
            _join(path, "choices"),
            "APPLICATION_COMMAND_OPTION_CHOICES_INVALID_TYPE",
            "Choices are only valid for STRING, INTEGER and NUMBER options",
        )
        return
    if raw and option.get("autocomplete"):
        errors.add(
            _join(path, "autocomplete"),
            "APPLICATION_COMMAND_AUTOCOMPLETE_AND_CHOICES_EXCLUSIVE",
            "Autocomplete and choices cannot both be set",
        )
    for k, choice in enumerate(check_list(errors, _join(path, "choices"), raw, hi=25)):
        cpath = _join(_join(path, "choices"), k)
        if not isinstance(choice, dict):
            errors.add(cpath, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
            continue
        check_string(errors, _join(cpath, "name"), choice.get("name"), lo=1, hi=100, required=True)
        value = choice.get("value")
        if value is None:
            errors.add(_join(cpath, "value"), "BASE_TYPE_REQUIRED", "This field is required")
        elif not _value_matches(option_type, value):
            errors.add(
                _join(cpath, "value"),
                "APPLICATION_COMMAND_OPTION_CHOICE_VALUE_INVALID",
                "Choice value type does not match the option type",
            )
        elif isinstance(value, str):
            check_string(errors, _join(cpath, "value"), value, lo=1, hi=100)


def _validate_option_fields(errors: FormErrors, path: str, option: JsonDict, option_type: int) -> None:
    _validate_choices(errors, path, option, option_type)
    if option.get("autocomplete") and option_type not in (STRING, INTEGER, NUMBER):
        errors.add(
            _join(path, "autocomplete"),
            "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_INVALID_TYPE",
            "Autocomplete is only valid for STRING, INTEGER and NUMBER options",
        )
    lo, hi = option.get("min_value"), option.get("max_value")
    for key, value in (("min_value", lo), ("max_value", hi)):
        if value is None:
            continue
        if option_type not in (INTEGER, NUMBER):
            errors.add(
                _join(path, key),
                "APPLICATION_COMMAND_OPTION_INVALID_FIELD",
                f"{key} is only valid for INTEGER and NUMBER options",
            )
        elif not _value_matches(option_type, value):
            errors.add(_join(path, key), "NUMBER_TYPE_COERCE", f'Value "{value}" is not a valid number.')
    if isinstance(lo, int | float) and isinstance(hi, int | float) and lo > hi:
        errors.add(_join(path, "min_value"), "NUMBER_TYPE_MAX", f"Must be less than or equal to {hi}.")
    for key, (low, high) in (("min_length", (0, 6000)), ("max_length", (1, 6000))):
        value = option.get(key)
        if value is None:
            continue
        if option_type != STRING:
            errors.add(
                _join(path, key),
                "APPLICATION_COMMAND_OPTION_INVALID_FIELD",
                f"{key} is only valid for STRING options",
            )
        elif isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            errors.add(_join(path, key), "NUMBER_TYPE_MAX", f"Must be between {low} and {high}.")
    channel_types = option.get("channel_types")
    if channel_types is not None:
        if option_type != CHANNEL:
            errors.add(
                _join(path, "channel_types"),
                "APPLICATION_COMMAND_OPTION_INVALID_FIELD",
                "channel_types is only valid for CHANNEL options",
            )
        for k, ctype in enumerate(check_list(errors, _join(path, "channel_types"), channel_types, hi=20)):
            if ctype not in (0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15, 16):
                errors.add(
                    _join(_join(path, "channel_types"), k),
                    "BASE_TYPE_CHOICES",
                    "Value must be a channel type.",
                )


def _validate_options(errors: FormErrors, path: str, options: Any, *, level: str) -> None:
    """Options of a command ("command"), a subcommand group ("group") or a subcommand ("subcommand")."""
    items = check_list(errors, path, options, hi=25)
    names: set[str] = set()
    kinds: set[bool] = set()
    seen_optional = False
    for i, option in enumerate(items):
        opath = _join(path, i)
        if not isinstance(option, dict):
            errors.add(opath, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
            continue
        option_type = option.get("type")
        if option_type not in range(1, 12) or isinstance(option_type, bool):
            errors.add(
                _join(opath, "type"),
                "BASE_TYPE_CHOICES",
                "Value must be one of {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}.",
            )
            continue
        name = option.get("name")
        _check_name(errors, _join(opath, "name"), name, chat_input=True, what="Option")
        if isinstance(name, str):
            if name in names:
                errors.add(
                    _join(opath, "name"),
                    "APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS",
                    "Option names must be unique",
                )
            names.add(name)
        check_string(
            errors, _join(opath, "description"), option.get("description"), lo=1, hi=100, required=True
        )
        is_sub = option_type in (SUB_COMMAND, SUB_COMMAND_GROUP)
        kinds.add(is_sub)
        if level == "group" and option_type != SUB_COMMAND:
            errors.add(
                _join(opath, "type"),
                "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                "Sub-command groups may only contain sub-commands",
            )
        elif level == "subcommand" and is_sub:
            errors.add(
                _join(opath, "type"),
                "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                "Sub-commands cannot contain sub-commands or sub-command groups",
            )
        if option_type == SUB_COMMAND:
            _validate_options(errors, _join(opath, "options"), option.get("options"), level="subcommand")
        elif option_type == SUB_COMMAND_GROUP:
            _validate_options(errors, _join(opath, "options"), option.get("options"), level="group")
        else:
            if option.get("options"):
                errors.add(
                    _join(opath, "options"),
                    "APPLICATION_COMMAND_OPTION_INVALID_FIELD",
                    "Only sub-commands and groups may have options",
                )
            _validate_option_fields(errors, opath, option, cast(int, option_type))
            if option.get("required"):
                if seen_optional:
                    errors.add(
                        path,
                        "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                        "Required options must be placed before non-required options",
                    )
            else:
                seen_optional = True
    if len(kinds) > 1:
        errors.add(
            path,
            "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
            "Sub-command and sub-command group option types are mutually exclusive to all other types",
        )


def _size(node: Any) -> int:
    """Characters counted toward the 8000 limit: names, descriptions, choice names/values (longest localization)."""
    if not isinstance(node, dict):
        return 0
    total = 0
    for key in ("name", "description"):
        values = [node.get(key), *(node.get(f"{key}_localizations") or {}).values()]
        total += max((len(v) for v in values if isinstance(v, str)), default=0)
    for choice in node.get("choices") or []:
        if isinstance(choice, dict):
            total += _size(
                {"name": choice.get("name"), "name_localizations": choice.get("name_localizations")}
            )
            if isinstance(choice.get("value"), str):
                total += len(choice["value"])
    for option in node.get("options") or []:
        total += _size(option)
    return total


def validate_command(errors: FormErrors, prefix: str, command: Any) -> None:
    """One command definition."""
    if not isinstance(command, dict):
        errors.add(prefix, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return
    ctype = command.get("type", CHAT_INPUT)
    if ctype not in (1, 2, 3, 4):
        errors.add(_join(prefix, "type"), "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4}.")
        return
    chat_input = ctype == CHAT_INPUT
    _check_name(errors, _join(prefix, "name"), command.get("name"), chat_input=chat_input, what="Command")
    description = command.get("description")
    if chat_input:
        check_string(errors, _join(prefix, "description"), description, lo=1, hi=100, required=True)
        _validate_options(errors, _join(prefix, "options"), command.get("options"), level="command")
    else:
        if description not in (None, ""):
            errors.add(
                _join(prefix, "description"),
                "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION",
                "Context menu commands cannot have a description",
            )
        if command.get("options"):
            errors.add(
                _join(prefix, "options"),
                "APPLICATION_COMMAND_OPTIONS_INVALID",
                "Only CHAT_INPUT commands can have options",
            )
    perms = command.get("default_member_permissions")
    # Documented as a string, but Discord also accepts a JSON integer (discord.py sends one).
    valid = (isinstance(perms, str) and perms.isdigit()) or (type(perms) is int and perms >= 0)
    if perms is not None and not valid:
        errors.add(
            _join(prefix, "default_member_permissions"),
            "BASE_TYPE_STRING",
            "Must be a string of a permission bitfield",
        )
    for key, allowed in (("contexts", (0, 1, 2)), ("integration_types", (0, 1))):
        for k, value in enumerate(check_list(errors, _join(prefix, key), command.get(key), hi=3)):
            if value not in allowed:
                errors.add(
                    _join(_join(prefix, key), k), "BASE_TYPE_CHOICES", f"Value must be one of {set(allowed)}."
                )
    if _size(command) > 8000:
        errors.add(prefix, "APPLICATION_COMMAND_TOO_LARGE", "Command exceeds maximum size (8000)")


def validate_command_list(errors: FormErrors, commands: Any) -> None:
    """A bulk overwrite body: every command valid, names unique per type, ≤100 chat input commands."""
    if not isinstance(commands, list):
        errors.add("", "BASE_TYPE_ARRAY", "Must be an array.")
        return
    seen: set[tuple[int, str]] = set()
    counts: dict[int, int] = {}
    for i, command in enumerate(commands):
        validate_command(errors, str(i), command)
        if not isinstance(command, dict):
            continue
        ctype = command.get("type", CHAT_INPUT)
        counts[ctype] = counts.get(ctype, 0) + 1
        key = (ctype, str(command.get("name")))
        if key in seen:
            errors.add(
                _join(str(i), "name"),
                "APPLICATION_COMMANDS_DUPLICATE_NAME",
                "Application command names must be unique",
            )
        seen.add(key)
    for ctype, count in counts.items():
        limit = MAX_PER_TYPE.get(ctype)
        if limit is not None and count > limit:
            errors.add("", "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")
