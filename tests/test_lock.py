"""requirements.lock: every package pinned with hashes, within pyproject.toml's ranges (regenerate when they change)."""

from __future__ import annotations

import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import REPO_ROOT

LOCK = (REPO_ROOT / "requirements.lock").read_text(encoding="utf-8")
PROJECT = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
REGENERATE = (
    "regenerate: uv pip compile pyproject.toml --extra postgres --generate-hashes "
    "--python-version 3.11 -o requirements.lock"
)


def pins() -> dict[str, tuple[str, str]]:
    """name → (version, the pin's whole text up to the next pin)."""
    found: dict[str, tuple[str, str]] = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", LOCK):
        head = re.match(r"([A-Za-z0-9._-]+)==([^\s\\]+)", block)
        if head:
            found[canonicalize_name(head[1])] = (head[2], block)
    return found


def test_every_pin_is_exact_and_hashed() -> None:
    """Each locked package has an exact version and at least one sha256 hash."""
    locked = pins()
    assert locked
    for name, (_version, block) in locked.items():
        assert "--hash=sha256:" in block, f"{name} has no hash; {REGENERATE}"


def test_lock_matches_pyproject_ranges() -> None:
    """Every runtime and postgres dependency is locked at a version pyproject.toml allows."""
    locked = pins()
    for line in [*PROJECT["dependencies"], *PROJECT["optional-dependencies"]["postgres"]]:
        req = Requirement(line.split("#", 1)[0])
        name = canonicalize_name(req.name)
        assert name in locked, f"{name} is not in requirements.lock; {REGENERATE}"
        assert req.specifier.contains(locked[name][0], prereleases=True), (
            f"{name}=={locked[name][0]} is outside {req.specifier}; {REGENERATE}"
        )
