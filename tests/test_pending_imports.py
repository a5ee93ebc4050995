"""Pending import dry runs: expiry and the per-server bounds on number and bytes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.discord_app.pending_imports import PendingImports

T0 = datetime(2025, 1, 1, tzinfo=UTC)


def test_bounds_push_out_the_oldest_and_release_it() -> None:
    """A fourth dry run, or one that would pass the byte budget, releases the server's oldest first."""
    released: list[str] = []
    held = PendingImports(max_per_server=3, max_bytes=10)
    for name in "abc":
        held.add(1, 2, T0, lambda n=name: released.append(n))
    held.add(2, 9, T0, lambda: released.append("other server"))
    held.add(1, 2, T0, lambda: released.append("d"))
    assert released == ["a"]
    held.add(1, 7, T0, lambda: released.append("e"))  # 2 + 2 + 2 + 7 > 10: b and c go too
    assert released == ["a", "b", "c"]
    assert [p.size for p in held.held(1)] == [2, 7]
    assert [p.size for p in held.held(2)] == [9]


def test_expired_dry_runs_are_dropped_and_say_so() -> None:
    """A dry run is expired at its lifetime; the next add drops it; dropping twice releases once."""
    released: list[int] = []
    held = PendingImports(lifetime=timedelta(minutes=10))
    old = held.add(1, 1, T0, lambda: released.append(1))
    assert not old.expired(T0 + timedelta(minutes=9)) and old.expired(T0 + timedelta(minutes=10))
    held.add(1, 1, T0 + timedelta(minutes=11), lambda: released.append(2))
    held.drop(old)
    assert released == [1] and len(held.held(1)) == 1
