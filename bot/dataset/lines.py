"""Where each mapping and key of a YAML document starts (1-based lines), for problems to cite."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass
class LineMap:
    """Line numbers of the mappings in one parsed document, keyed by the mapping object's id.

    Valid while the parsed data lives (ids are only unique among live objects); a parse builds
    it and the problems are found before the data is dropped.
    """

    starts: dict[int, int] = field(default_factory=dict)
    keys: dict[int, dict[str, int]] = field(default_factory=dict)
    _keep: list[object] = field(default_factory=list, repr=False)  # keeps ids unique

    def record(self, mapping: object, line: int, key_lines: dict[str, int]) -> None:
        """Note that `mapping` starts at `line` and each key at its line (0-based marks in, 1-based kept)."""
        self._keep.append(mapping)
        self.starts[id(mapping)] = line + 1
        self.keys[id(mapping)] = {k: v + 1 for k, v in key_lines.items()}

    def line_of(self, mapping: Mapping[object, object] | None, field_path: str = "") -> int | None:
        """The line of `field_path`'s first key in `mapping` (e.g. `sources[0].url` → `sources`), else the mapping's."""
        if mapping is None:
            return None
        key = field_path.split(".", 1)[0].split("[", 1)[0]
        return self.keys.get(id(mapping), {}).get(key) or self.starts.get(id(mapping))


NO_LINES = LineMap()
