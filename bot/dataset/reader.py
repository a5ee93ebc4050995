"""Turning untrusted bytes into plain Python data (YAML or JSON), or one clear reason why not.

YAML is read with a `SafeLoader` that also refuses anchors/aliases (no "billion laughs"),
nesting deeper than `limits.MAX_NESTING`, and duplicate keys (a silent overwrite hides typos).
"""

from __future__ import annotations

import json
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError

from bot.dataset import limits
from bot.dataset.lines import LineMap


class DocumentError(ValueError):
    """The document cannot be read at all; the message says why (and where, if known)."""


class _StrictLoader(yaml.SafeLoader):
    """`SafeLoader` without aliases, with a nesting limit and duplicate-key detection."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self.lines = LineMap()

    def construct_yaml_map(self, node: Any) -> Any:
        """A dict, with where it and each of its keys start noted in `self.lines`."""
        for data in super().construct_yaml_map(node):
            key_lines = {k.value: k.start_mark.line for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
            self.lines.record(data, node.start_mark.line, key_lines)
            yield data

    def _next_mark(self) -> yaml.Mark | None:
        """Where the next event starts (the pure-Python parser's marks are always `yaml.Mark`)."""
        # types-PyYAML leaves `Parser.peek_event` unannotated; it returns the next Event.
        event: yaml.Event = self.peek_event()  # type: ignore[no-untyped-call]
        mark = event.start_mark
        return mark if isinstance(mark, yaml.Mark) else None

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self._next_mark()
            raise ComposerError(None, None, "aliases (*name) are not allowed in data files", mark)
        self._depth += 1
        try:
            if self._depth > limits.MAX_NESTING:
                mark = self._next_mark()
                raise ComposerError(None, None, f"nested deeper than {limits.MAX_NESTING} levels", mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
            seen: set[tuple[str, str]] = set()
            for key_node, _ in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    key = (key_node.tag, key_node.value)
                    if key in seen:
                        raise ConstructorError(
                            None, None, f"duplicate key {key_node.value!r}", key_node.start_mark
                        )
                    seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node: Any) -> Any:
        """A date, or the raw text when it is not a real date (reported per field later)."""
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)

    def construct_yaml_int(self, node: Any) -> Any:
        """An integer, or the raw text when Python refuses it (e.g. thousands of digits)."""
        try:
            return super().construct_yaml_int(node)
        except ValueError:
            return self.construct_scalar(node)


_StrictLoader.add_constructor("tag:yaml.org,2002:map", _StrictLoader.construct_yaml_map)
_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _StrictLoader.construct_yaml_timestamp)
_StrictLoader.add_constructor("tag:yaml.org,2002:int", _StrictLoader.construct_yaml_int)


def decode(data: str | bytes) -> str:
    """The document as text: size-checked, UTF-8, without a byte-order mark."""
    if isinstance(data, bytes):
        if len(data) > limits.MAX_DOCUMENT_BYTES:
            raise DocumentError(_too_big(len(data)))
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            bad = data[exc.start : exc.start + 1].hex()
            raise DocumentError(
                f"is not valid UTF-8 (byte 0x{bad} at offset {exc.start}); save the file as UTF-8"
            ) from None
    else:
        text = data
        if len(text) > limits.MAX_DOCUMENT_BYTES:
            raise DocumentError(_too_big(len(text)))
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > limits.MAX_DOCUMENT_BYTES:
            raise DocumentError(_too_big(size))
    return text.removeprefix("\ufeff")


def looks_like_json(filename: str, text: str) -> bool:
    """JSON by extension (`.json`), YAML by extension (`.yaml`/`.yml`), else by first character."""
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if suffix == "json":
        return True
    if suffix in ("yaml", "yml"):
        return False
    return text.lstrip()[:1] in ("{", "[")


def load(text: str, *, as_json: bool) -> object:
    """Parse the text as JSON or YAML into plain Python data; `DocumentError` if impossible."""
    return load_with_lines(text, as_json=as_json)[0]


def load_with_lines(text: str, *, as_json: bool) -> tuple[object, LineMap]:
    """`load`, and the line of each YAML mapping and key (none for JSON)."""
    if as_json:
        return _load_json(text), LineMap()
    return _load_yaml(text)


def _load_yaml(text: str) -> tuple[object, LineMap]:
    loader: _StrictLoader | None = None
    try:
        loader = _StrictLoader(text)
        return loader.get_single_data(), loader.lines
    except yaml.MarkedYAMLError as exc:
        raise DocumentError(f"YAML syntax error{_where(exc)}: {exc.problem or exc.context}") from None
    except yaml.reader.ReaderError as exc:
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise DocumentError(
            f"contains the character U+{char:04X}, which YAML does not allow, at position {exc.position}"
        ) from None
    except yaml.YAMLError as exc:
        raise DocumentError(f"YAML error: {_first_line(exc)}") from None
    except RecursionError:
        raise DocumentError(f"is nested deeper than {limits.MAX_NESTING} levels") from None
    except ValueError as exc:
        raise DocumentError(f"YAML error: {_first_line(exc)}") from None
    finally:
        if loader is not None:
            loader.dispose()


def _load_json(text: str) -> object:
    try:
        return json.loads(text, object_pairs_hook=_unique_pairs)
    except json.JSONDecodeError as exc:
        raise DocumentError(
            f"JSON syntax error at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise DocumentError("JSON is nested too deeply") from None
    except ValueError as exc:
        raise DocumentError(f"JSON error: {_first_line(exc)}") from None


def _unique_pairs(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result = dict(pairs)  # in C; the pairs are walked in Python only when a key repeats
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"duplicate key {key[: limits.MAX_SHOWN_VALUE]!r}")
            seen.add(key)
    return result


def _where(exc: yaml.MarkedYAMLError) -> str:
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return ""
    return f" at line {mark.line + 1}, column {mark.column + 1}"


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:200] if lines else type(exc).__name__


def _too_big(size: int) -> str:
    return (
        f"is {size:,} bytes; the limit is {limits.MAX_DOCUMENT_BYTES:,} bytes "
        "(split the data into several files)"
    )
