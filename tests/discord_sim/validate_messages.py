"""Discord's documented limits for messages, embeds, components, modals and autocomplete."""

from __future__ import annotations

from typing import Any

from .api_errors import FormErrors

JsonDict = dict[str, Any]

IS_COMPONENTS_V2 = 1 << 15
EPHEMERAL = 1 << 6
SUPPRESS_EMBEDS = 1 << 2
SUPPRESS_NOTIFICATIONS = 1 << 12
LOADING = 1 << 7

SELECT_TYPES = {3, 5, 6, 7, 8}
V2_TOP_LEVEL = {1, 9, 10, 12, 13, 14, 17}


def _join(prefix: str, key: str | int) -> str:
    return f"{prefix}.{key}" if prefix else str(key)


def check_string(
    errors: FormErrors,
    path: str,
    value: Any,
    *,
    lo: int = 0,
    hi: int,
    required: bool = False,
    strip: bool = False,
) -> None:
    """Length-check one string field the way Discord reports it."""
    if value is None:
        if required:
            errors.add(path, "BASE_TYPE_REQUIRED", "This field is required")
        return
    if not isinstance(value, str):
        errors.add(path, "BASE_TYPE_STRING", f'Could not interpret "{value!r}" as string.')
        return
    length = len(value.strip()) if strip else len(value)
    if (required and length == 0 and lo >= 1) or (strip and length < lo):
        errors.add(path, "BASE_TYPE_REQUIRED", "This field is required")
    elif length > hi and (lo <= 0 or strip):
        errors.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {hi} or fewer in length.")
    elif length > hi or length < lo:
        errors.add(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {lo} and {hi} in length.")


def check_list(errors: FormErrors, path: str, value: Any, *, lo: int = 0, hi: int) -> list[Any]:
    """Check an array's type and length; return it (or [] when invalid)."""
    if value is None:
        return []
    if not isinstance(value, list):
        errors.add(path, "BASE_TYPE_ARRAY", "Must be an array.")
        return []
    if len(value) > hi or len(value) < lo:
        if lo <= 0:
            errors.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {hi} or fewer in length.")
        else:
            errors.add(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {lo} and {hi} in length.")
    return value


def check_int(errors: FormErrors, path: str, value: Any, *, lo: int, hi: int) -> None:
    """Range-check an integer field."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        errors.add(path, "NUMBER_TYPE_COERCE", f'Value "{value}" is not int.')
    elif value < lo:
        errors.add(path, "NUMBER_TYPE_MIN", f"Must be greater than or equal to {lo}.")
    elif value > hi:
        errors.add(path, "NUMBER_TYPE_MAX", f"Must be less than or equal to {hi}.")


# --- embeds --------------------------------------------------------------------------------------
def _trimmed_len(value: Any) -> int:
    return len(value.strip()) if isinstance(value, str) else 0


def validate_embeds(errors: FormErrors, prefix: str, embeds: Any) -> None:
    """Per-field embed limits, ≤10 embeds and the 6000-character total."""
    path = _join(prefix, "embeds")
    items = check_list(errors, path, embeds, hi=10)
    total = 0
    for i, embed in enumerate(items):
        epath = _join(path, i)
        if not isinstance(embed, dict):
            errors.add(epath, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
            continue
        check_string(errors, _join(epath, "title"), embed.get("title"), hi=256, strip=True)
        check_string(errors, _join(epath, "description"), embed.get("description"), hi=4096, strip=True)
        check_string(errors, _join(epath, "url"), embed.get("url"), hi=2048)
        total += _trimmed_len(embed.get("title")) + _trimmed_len(embed.get("description"))
        color = embed.get("color")
        if color is not None:
            check_int(errors, _join(epath, "color"), color, lo=0, hi=0xFFFFFF)
        fields = check_list(errors, _join(epath, "fields"), embed.get("fields"), hi=25)
        for j, fld in enumerate(fields):
            fpath = _join(_join(epath, "fields"), j)
            if not isinstance(fld, dict):
                errors.add(fpath, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
                continue
            check_string(
                errors, _join(fpath, "name"), fld.get("name"), lo=1, hi=256, required=True, strip=True
            )
            check_string(
                errors, _join(fpath, "value"), fld.get("value"), lo=1, hi=1024, required=True, strip=True
            )
            total += _trimmed_len(fld.get("name")) + _trimmed_len(fld.get("value"))
        footer = embed.get("footer")
        if isinstance(footer, dict):
            check_string(
                errors,
                _join(epath, "footer.text"),
                footer.get("text"),
                lo=1,
                hi=2048,
                required=True,
                strip=True,
            )
            total += _trimmed_len(footer.get("text"))
        author = embed.get("author")
        if isinstance(author, dict):
            check_string(
                errors,
                _join(epath, "author.name"),
                author.get("name"),
                lo=1,
                hi=256,
                required=True,
                strip=True,
            )
            total += _trimmed_len(author.get("name"))
    if total > 6000:
        errors.add(path, "BASE_TYPE_MAX_LENGTH", "Embed size exceeds maximum size of 6000")


# --- components ----------------------------------------------------------------------------------
class _ComponentWalk:
    """State shared while walking one message's or modal's components."""

    def __init__(self, errors: FormErrors) -> None:
        self.errors = errors
        self.custom_ids: set[str] = set()
        self.count = 0
        self.text_length = 0

    def custom_id(self, path: str, value: Any, *, required: bool = True) -> None:
        check_string(self.errors, _join(path, "custom_id"), value, lo=1, hi=100, required=required)
        if isinstance(value, str):
            if value in self.custom_ids:
                self.errors.add(
                    _join(path, "custom_id"),
                    "COMPONENT_CUSTOM_ID_DUPLICATED",
                    "Component custom id cannot be duplicated",
                )
            self.custom_ids.add(value)


def _validate_button(walk: _ComponentWalk, path: str, comp: JsonDict) -> None:
    errors = walk.errors
    style = comp.get("style")
    if style not in (1, 2, 3, 4, 5, 6):
        errors.add(_join(path, "style"), "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4, 5, 6}.")
        return
    check_string(errors, _join(path, "label"), comp.get("label"), hi=80)
    if style == 5:
        check_string(errors, _join(path, "url"), comp.get("url"), lo=1, hi=512, required=True)
        if comp.get("custom_id") is not None:
            errors.add(
                _join(path, "custom_id"),
                "BUTTON_COMPONENT_CUSTOM_ID_URL_MUTUALLY_EXCLUSIVE",
                "A custom id and url cannot both be specified",
            )
    elif style == 6:
        if comp.get("sku_id") is None:
            errors.add(_join(path, "sku_id"), "BASE_TYPE_REQUIRED", "This field is required")
    else:
        walk.custom_id(path, comp.get("custom_id"))


def _validate_select(walk: _ComponentWalk, path: str, comp: JsonDict) -> None:
    errors = walk.errors
    walk.custom_id(path, comp.get("custom_id"))
    check_string(errors, _join(path, "placeholder"), comp.get("placeholder"), hi=150)
    check_int(errors, _join(path, "min_values"), comp.get("min_values"), lo=0, hi=25)
    check_int(errors, _join(path, "max_values"), comp.get("max_values"), lo=1, hi=25)
    if comp.get("type") == 3:
        options = check_list(errors, _join(path, "options"), comp.get("options"), lo=1, hi=25)
        if comp.get("options") is None:
            errors.add(_join(path, "options"), "BASE_TYPE_REQUIRED", "This field is required")
        for k, opt in enumerate(options):
            if not isinstance(opt, dict) or _option_ok(opt):
                continue  # the common case: no paths to build, nothing to report
            opath = _join(_join(path, "options"), k)
            check_string(errors, _join(opath, "label"), opt.get("label"), lo=1, hi=100, required=True)
            check_string(errors, _join(opath, "value"), opt.get("value"), lo=1, hi=100, required=True)
            check_string(errors, _join(opath, "description"), opt.get("description"), hi=100)


def _option_ok(opt: JsonDict) -> bool:
    """A select option whose label, value and description are all within Discord's limits."""
    label, value, description = opt.get("label"), opt.get("value"), opt.get("description")
    return (
        isinstance(label, str)
        and 1 <= len(label) <= 100
        and isinstance(value, str)
        and 1 <= len(value) <= 100
        and (description is None or (isinstance(description, str) and len(description) <= 100))
    )


def _validate_text_input(walk: _ComponentWalk, path: str, comp: JsonDict, *, needs_label: bool) -> None:
    errors = walk.errors
    walk.custom_id(path, comp.get("custom_id"))
    if comp.get("style") not in (1, 2):
        errors.add(_join(path, "style"), "BASE_TYPE_CHOICES", "Value must be one of {1, 2}.")
    check_string(errors, _join(path, "label"), comp.get("label"), lo=1, hi=45, required=needs_label)
    check_int(errors, _join(path, "min_length"), comp.get("min_length"), lo=0, hi=4000)
    check_int(errors, _join(path, "max_length"), comp.get("max_length"), lo=1, hi=4000)
    check_string(errors, _join(path, "value"), comp.get("value"), hi=4000)
    check_string(errors, _join(path, "placeholder"), comp.get("placeholder"), hi=100)
    lo, hi = comp.get("min_length"), comp.get("max_length")
    if isinstance(lo, int) and isinstance(hi, int) and lo > hi:
        errors.add(_join(path, "min_length"), "NUMBER_TYPE_MAX", f"Must be less than or equal to {hi}.")


def _validate_component(walk: _ComponentWalk, path: str, comp: Any, *, in_modal: bool, depth: int) -> None:
    errors = walk.errors
    if not isinstance(comp, dict):
        errors.add(path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return
    walk.count += 1
    ctype = comp.get("type")
    if ctype == 1:
        children = check_list(errors, _join(path, "components"), comp.get("components"), lo=1, hi=5)
        if comp.get("components") is None:
            errors.add(_join(path, "components"), "BASE_TYPE_REQUIRED", "This field is required")
        kinds = [c.get("type") for c in children if isinstance(c, dict)]
        if any(k in SELECT_TYPES or k == 4 for k in kinds) and len(kinds) > 1:
            errors.add(
                _join(path, "components"),
                "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                "The specified component exceeds the maximum width",
            )
        for i, child in enumerate(children):
            _validate_component(
                walk, _join(_join(path, "components"), i), child, in_modal=in_modal, depth=depth + 1
            )
    elif ctype == 2:
        _validate_button(walk, path, comp)
    elif ctype in SELECT_TYPES:
        _validate_select(walk, path, comp)
    elif ctype == 4:
        if not in_modal:
            errors.add(_join(path, "type"), "COMPONENT_TYPE_INVALID", "Text inputs are only valid in modals")
        _validate_text_input(walk, path, comp, needs_label=depth > 0)
    elif ctype == 10:
        check_string(errors, _join(path, "content"), comp.get("content"), lo=1, hi=4000, required=True)
        if isinstance(comp.get("content"), str):
            walk.text_length += len(comp["content"])
    elif ctype == 18:
        check_string(errors, _join(path, "label"), comp.get("label"), lo=1, hi=45, required=True)
        check_string(errors, _join(path, "description"), comp.get("description"), hi=100)
        child = comp.get("component")
        if not isinstance(child, dict):
            errors.add(_join(path, "component"), "BASE_TYPE_REQUIRED", "This field is required")
        elif child.get("type") == 4:
            walk.count += 1
            _validate_text_input(walk, _join(path, "component"), child, needs_label=False)
        else:
            _validate_component(walk, _join(path, "component"), child, in_modal=in_modal, depth=depth + 1)
    elif ctype in (9, 17):
        children = check_list(errors, _join(path, "components"), comp.get("components"), lo=1, hi=40)
        for i, child in enumerate(children):
            _validate_component(
                walk, _join(_join(path, "components"), i), child, in_modal=in_modal, depth=depth + 1
            )
        accessory = comp.get("accessory")
        if isinstance(accessory, dict):
            _validate_component(walk, _join(path, "accessory"), accessory, in_modal=in_modal, depth=depth + 1)
    elif ctype in (11, 12, 13, 14, 19, 21, 22, 23):
        pass
    else:
        errors.add(
            _join(path, "type"), "BASE_TYPE_CHOICES", f"Value must be a known component type, not {ctype!r}."
        )


def validate_components(errors: FormErrors, prefix: str, components: Any, *, flags: int) -> None:
    """Action rows (≤5, ≤5 buttons each), custom_id ≤100 and unique, labels, selects; V2 counts."""
    path = _join(prefix, "components")
    v2 = bool(flags & IS_COMPONENTS_V2)
    items = check_list(errors, path, components, hi=40 if v2 else 5)
    walk = _ComponentWalk(errors)
    for i, comp in enumerate(items):
        cpath = _join(path, i)
        if isinstance(comp, dict) and not v2 and comp.get("type") != 1:
            errors.add(
                _join(cpath, "type"), "UNION_TYPE_CHOICES", 'Value of field "type" must be one of (1,).'
            )
            continue
        if isinstance(comp, dict) and v2 and comp.get("type") not in V2_TOP_LEVEL:
            errors.add(
                _join(cpath, "type"), "UNION_TYPE_CHOICES", "Component type is not valid at the top level."
            )
            continue
        _validate_component(walk, cpath, comp, in_modal=False, depth=0)
    if v2 and walk.count > 40:
        errors.add(path, "BASE_TYPE_MAX_LENGTH", "Must be 40 or fewer in length.")
    if v2 and walk.text_length > 4000:
        errors.add(
            path, "BASE_TYPE_MAX_LENGTH", "Text display content must be 4000 or fewer in length in total."
        )


# --- whole messages ------------------------------------------------------------------------------
def validate_allowed_mentions(errors: FormErrors, prefix: str, value: Any) -> None:
    """allowed_mentions: parse values, ≤100 ids, parse/ids mutually exclusive."""
    if value is None:
        return
    path = _join(prefix, "allowed_mentions")
    if not isinstance(value, dict):
        errors.add(path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return
    parse = check_list(errors, _join(path, "parse"), value.get("parse"), hi=3)
    for i, kind in enumerate(parse):
        if kind not in ("users", "roles", "everyone"):
            errors.add(
                _join(_join(path, "parse"), i),
                "BASE_TYPE_CHOICES",
                "Value must be one of ('users', 'roles', 'everyone').",
            )
    for kind in ("users", "roles"):
        ids = check_list(errors, _join(path, kind), value.get(kind), hi=100)
        if ids and kind in parse:
            errors.add(
                path,
                "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                f'parse:["{kind}"] and {kind}: [ids...] are mutually exclusive.',
            )


def validate_message(errors: FormErrors, prefix: str, data: JsonDict) -> None:
    """Validate a message create/edit body (content, embeds, components, mentions, nonce, attachments)."""
    check_string(errors, _join(prefix, "content"), data.get("content"), hi=2000)
    validate_embeds(errors, prefix, data.get("embeds"))
    flags = data.get("flags") or 0
    if not isinstance(flags, int):
        errors.add(_join(prefix, "flags"), "NUMBER_TYPE_COERCE", f'Value "{flags}" is not int.')
        flags = 0
    if flags & IS_COMPONENTS_V2 and (data.get("content") or data.get("embeds")):
        errors.add(
            _join(prefix, "content"),
            "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
            "The 'content' and 'embeds' fields cannot be used when using MessageFlags.IS_COMPONENTS_V2",
        )
    validate_components(errors, prefix, data.get("components"), flags=flags)
    validate_allowed_mentions(errors, prefix, data.get("allowed_mentions"))
    nonce = data.get("nonce")
    if nonce is not None:
        if isinstance(nonce, str):
            check_string(errors, _join(prefix, "nonce"), nonce, hi=25)
        elif isinstance(nonce, bool) or not isinstance(nonce, int):
            errors.add(_join(prefix, "nonce"), "BASE_TYPE_STRING", "Nonce must be an integer or a string.")
    attachments = check_list(errors, _join(prefix, "attachments"), data.get("attachments"), hi=10)
    for i, att in enumerate(attachments):
        if isinstance(att, dict):
            check_string(
                errors,
                _join(_join(_join(prefix, "attachments"), i), "description"),
                att.get("description"),
                hi=1024,
            )
    check_list(errors, _join(prefix, "sticker_ids"), data.get("sticker_ids"), hi=3)


def validate_modal(errors: FormErrors, prefix: str, data: Any) -> None:
    """Modal: custom_id 1–100, title 1–45, 1–5 components, labels ≤45, text input lengths."""
    if not isinstance(data, dict):
        errors.add(prefix, "BASE_TYPE_REQUIRED", "This field is required")
        return
    walk = _ComponentWalk(errors)
    walk.custom_id(prefix, data.get("custom_id"))
    check_string(errors, _join(prefix, "title"), data.get("title"), lo=1, hi=45, required=True)
    path = _join(prefix, "components")
    if data.get("components") is None:
        errors.add(path, "BASE_TYPE_REQUIRED", "This field is required")
    items = check_list(errors, path, data.get("components"), lo=1, hi=5)
    for i, comp in enumerate(items):
        cpath = _join(path, i)
        if isinstance(comp, dict) and comp.get("type") not in (1, 10, 18):
            errors.add(_join(cpath, "type"), "UNION_TYPE_CHOICES", "Value must be one of (1, 10, 18).")
            continue
        _validate_component(walk, cpath, comp, in_modal=True, depth=0)


def validate_autocomplete_choices(
    errors: FormErrors, prefix: str, data: Any, option_type: int | None
) -> None:
    """Autocomplete result: ≤25 choices, name 1–100, string value ≤100, value type matching the option."""
    if not isinstance(data, dict):
        errors.add(prefix, "BASE_TYPE_REQUIRED", "This field is required")
        return
    path = _join(prefix, "choices")
    if data.get("choices") is None:
        errors.add(path, "BASE_TYPE_REQUIRED", "This field is required")
    choices = check_list(errors, path, data.get("choices"), hi=25)
    for i, choice in enumerate(choices):
        cpath = _join(path, i)
        if not isinstance(choice, dict):
            errors.add(cpath, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
            continue
        check_string(errors, _join(cpath, "name"), choice.get("name"), lo=1, hi=100, required=True)
        value = choice.get("value")
        vpath = _join(cpath, "value")
        if value is None:
            errors.add(vpath, "BASE_TYPE_REQUIRED", "This field is required")
        elif option_type == 4 and (isinstance(value, bool) or not isinstance(value, int)):
            errors.add(vpath, "NUMBER_TYPE_COERCE", f'Value "{value}" is not int.')
        elif option_type == 10 and (isinstance(value, bool) or not isinstance(value, int | float)):
            errors.add(vpath, "NUMBER_TYPE_COERCE", f'Value "{value}" is not a valid number.')
        elif option_type in (3, None) and not isinstance(value, str):
            errors.add(vpath, "BASE_TYPE_STRING", f'Could not interpret "{value!r}" as string.')
        elif isinstance(value, str):
            check_string(errors, vpath, value, hi=100)
