"""Digest store tests reuse the store fixtures (SQLite file and PostgreSQL)."""

from tests.store.conftest import seeded, store  # noqa: F401 - fixtures
