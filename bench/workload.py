"""The query mix: what users ask, drawn from a synthetic store's manifest with its popularity skew."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from bench.synthetic import Manifest
from bench.text import Weighted

KINDS = (
    "autocomplete",
    "autocomplete_entry",
    "position",
    "timeline",
    "timeline_page",
    "search",
    "brief",
    "entry",
)
E2E_KINDS = ("position", "timeline", "search", "autocomplete")


@dataclass(frozen=True)
class Query:
    """One user request: a command (or autocomplete) with its options, in one server."""

    kind: str
    guild_id: int
    options: dict[str, str] = field(default_factory=dict)
    focused: str = ""  # the option being typed (autocomplete only)
    command: str = ""  # the slash command (autocomplete: the command being filled in)
    page: int = 0

    def label(self) -> str:
        """Short text for logs and errors."""
        opts = " ".join(f"{k}:{v}" for k, v in self.options.items())
        return f"{self.kind} /{self.command} {opts}".strip()


class Mix:
    """Draws queries from a manifest; popular actors and topics are asked about more often."""

    def __init__(self, manifest: Manifest, seed: int = 11, guild_ids: list[int] | None = None) -> None:
        self.m = manifest
        self.rng = random.Random(seed)
        self.guild_ids = guild_ids or manifest.guild_ids
        self.actor_pick = Weighted(self.rng, len(manifest.actors), 0.7)
        self.topic_pick = Weighted(self.rng, len(manifest.topics), 0.6)

    def guild(self) -> int:
        """The asking server."""
        return self.rng.choice(self.guild_ids)

    def actor(self, guild_id: int) -> str:
        """An actor as a user would pick it (mostly the slug autocomplete fills in)."""
        local = self.m.local.get(str(guild_id))
        if local and local["actors"] and self.rng.random() < 0.1:
            return self.rng.choice(local["actors"])
        i = self.actor_pick.one()
        roll = self.rng.random()
        if roll < 0.85:
            return self.m.actors[i]
        if roll < 0.95:
            return self.m.actor_names[i]
        return self.rng.choice(self.m.aliases) if self.m.aliases else self.m.actors[i]

    def topic(self, guild_id: int) -> str:
        """A topic slug (sometimes the server's own)."""
        local = self.m.local.get(str(guild_id))
        if local and local["topics"] and self.rng.random() < 0.1:
            return self.rng.choice(local["topics"])
        return self.m.topics[self.topic_pick.one()]

    def words(self) -> str:
        """A search query: mostly mid-frequency words, sometimes a common or a rare one."""
        roll = self.rng.random()
        mid = self.rng.choice(self.m.middle_words)
        if roll < 0.55:
            return mid
        if roll < 0.75:
            return f"{mid} {self.rng.choice(self.m.middle_words)}"
        if roll < 0.9:
            return f"{self.rng.choice(self.m.common_words)} {mid}"
        return self.rng.choice(self.m.rare_words)

    def typed(self, guild_id: int, actor: bool) -> str:
        """What a user has typed so far into an actor or topic option."""
        roll = self.rng.random()
        if roll < 0.08:
            return ""
        if actor:
            text = self.m.actor_names[self.actor_pick.one()] if roll < 0.5 else self.actor(guild_id)
        else:
            text = self.m.topic_titles[self.topic_pick.one()] if roll < 0.5 else self.topic(guild_id)
        return text[: self.rng.randint(1, min(6, len(text)))].lower()

    def query(self, kind: str) -> Query:
        """One query of `kind` (see KINDS)."""
        g = self.guild()
        if kind == "autocomplete":
            if self.rng.random() < 0.6:
                return Query(kind, g, {"actor": self.typed(g, True)}, "actor", "position")
            return Query(kind, g, {"topic": self.typed(g, False)}, "topic", "timeline")
        if kind == "autocomplete_entry":
            pool = self.m.position_ids if self.rng.random() < 0.5 else self.m.event_ids
            typed = self.rng.choice(pool)[: self.rng.randint(0, 9)]
            return Query(kind, g, {"id": typed}, "id", "entry")
        if kind == "position":
            options = {"actor": self.actor(g)}
            if self.rng.random() < 0.2:
                options["topic"] = self.topic(g)
            return Query(kind, g, options, command="position")
        if kind in ("timeline", "timeline_page"):
            options = {"topic": self.topic(g)}
            if self.rng.random() < 0.15:
                options["since"] = str(self.rng.randint(1995, 2024))
            page = self.rng.choice((1, 2, 3, 5, 10, 50, 200)) if kind == "timeline_page" else 0
            return Query(kind, g, options, command="timeline", page=page)
        if kind == "search":
            return Query(kind, g, {"query": self.words()}, command="search")
        if kind == "brief":
            return Query(kind, g, {"topic": self.topic(g)}, command="brief")
        if kind == "entry":
            pool = self.m.position_ids if self.rng.random() < 0.5 else self.m.event_ids
            return Query(kind, g, {"id": self.rng.choice(pool)}, command="entry")
        raise ValueError(f"unknown query kind {kind!r}")

    def many(self, kind: str, n: int) -> list[Query]:
        """`n` queries of one kind."""
        return [self.query(kind) for _ in range(n)]

    def interleaved(self, kinds: tuple[str, ...], n: int) -> list[Query]:
        """`n` queries cycling through `kinds` (equal shares, shuffled order)."""
        out = [self.query(kinds[i % len(kinds)]) for i in range(n)]
        self.rng.shuffle(out)
        return out
