"""JSON in and out of the simulator: orjson where it can, the standard library where orjson refuses.

Under load the simulator's own JSON work and copies of message bodies were a third of its CPU, and
its CPU bounds the benchmark's floor. orjson gives the same values for every body Discord accepts;
the fallbacks keep the old behaviour for the rest (integers past 64 bits, lone surrogates).
"""

from __future__ import annotations

import copy
import json
from typing import Any

import orjson


def loads(raw: bytes | str) -> Any:
    """Parse a JSON body; ValueError when it is not JSON."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return json.loads(raw)


def dumps(value: Any) -> bytes:
    """Encode a body the way ``json.dumps`` would read back (keys that are not strings become strings)."""
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)
    except TypeError:
        return json.dumps(value).encode()


def copy_json(value: Any) -> Any:
    """A deep copy of JSON data (dicts, lists, strings, numbers), much cheaper than ``copy.deepcopy``."""
    try:
        return orjson.loads(orjson.dumps(value))
    except TypeError:
        return copy.deepcopy(value)
