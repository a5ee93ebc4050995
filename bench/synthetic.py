"""A synthetic store in the data/ schema: global files plus one directory of local entries per server.

    python bench/synthetic.py OUT_DIR [--scale 1.0] [--seed 7] [--format json|yaml]

At scale 1.0 the store holds 5,000 actors, 1,000 topics, 20,000 positions (with history) and
100,000 events in total, of which 500 servers hold 2 actors, 1 topic, 10 positions and 20 events
each. Popularity is skewed (a few actors and topics carry most entries), as in real briefings.
Every file stays under the loader's 2 MB document limit. `manifest.json` records what was made.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.text import Vocabulary, Weighted

FILE_BUDGET = 1_800_000  # bytes per JSON file; the loader refuses documents over 2 MB
FIRST_DAY = date(1995, 1, 1)
LAST_DAY = date(2025, 10, 31)
STANCES = ("supports", "opposes", "conditional", "ambiguous")
KINDS = ("state", "organisation", "alliance", "person")


@dataclass(frozen=True)
class Scale:
    """Totals across the global scope and every server (local entries are per server)."""

    actors: int = 5000
    topics: int = 1000
    positions: int = 20000
    events: int = 100000
    servers: int = 500
    local_actors: int = 2
    local_topics: int = 1
    local_positions: int = 10
    local_events: int = 20

    def scaled(self, factor: float) -> Scale:
        """The same shape with every total multiplied by `factor` (per-server counts unchanged)."""
        return Scale(
            actors=max(20, round(self.actors * factor)),
            topics=max(10, round(self.topics * factor)),
            positions=max(50, round(self.positions * factor)),
            events=max(100, round(self.events * factor)),
            servers=max(2, round(self.servers * factor)),
        )

    def global_count(self, total: int, per_server: int) -> int:
        """How many of `total` are global once every server has its `per_server`."""
        return max(1, total - self.servers * per_server)


@dataclass
class Manifest:
    """What the generator wrote: enough for the benchmarks to build realistic queries."""

    scale: dict[str, int]
    seed: int
    guild_ids: list[int]
    actors: list[str] = field(default_factory=list)  # global slugs, most popular first
    actor_names: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)  # global slugs, most popular first
    topic_titles: list[str] = field(default_factory=list)
    position_ids: list[str] = field(default_factory=list)
    event_ids: list[str] = field(default_factory=list)
    common_words: list[str] = field(default_factory=list)
    middle_words: list[str] = field(default_factory=list)
    rare_words: list[str] = field(default_factory=list)
    local: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    files: int = 0
    bytes: int = 0
    format: str = "json"

    def save(self, path: Path) -> None:
        """Write as JSON."""
        path.write_text(json.dumps(asdict(self)), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Manifest:
        """Read back what `save` wrote."""
        return cls(**json.loads(path.read_text(encoding="utf-8")))


class _Writer:
    """Splits entries into documents under the size budget."""

    def __init__(self, directory: Path, fmt: str, manifest: Manifest) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.directory = directory
        self.fmt = fmt
        self.manifest = manifest

    def write(self, stem: str, section: str, entries: list[dict[str, Any]]) -> None:
        """Write `entries` of one section as `stem-000.json`, `stem-001.json`, …"""
        chunk: list[str] = []
        size = 0
        number = 0
        budget = FILE_BUDGET if self.fmt == "json" else FILE_BUDGET * 2 // 3
        for entry in entries:
            text = json.dumps(entry, ensure_ascii=False)
            if chunk and size + len(text.encode()) > budget:
                self._flush(f"{stem}-{number:03d}", section, chunk)
                number += 1
                chunk, size = [], 0
            chunk.append(text)
            size += len(text.encode()) + 1
        if chunk:
            self._flush(f"{stem}-{number:03d}", section, chunk)

    def _flush(self, name: str, section: str, chunk: list[str]) -> None:
        if self.fmt == "json":
            body = '{"' + section + '": [\n' + ",\n".join(chunk) + "\n]}\n"
        else:
            body = yaml.safe_dump(
                {section: [json.loads(t) for t in chunk]}, sort_keys=False, allow_unicode=True, width=100
            )
        self._save(name, body)

    def document(self, name: str, sections: dict[str, list[dict[str, Any]]]) -> None:
        """Write a small document holding several sections."""
        if self.fmt == "json":
            body = json.dumps(sections, ensure_ascii=False)
        else:
            body = yaml.safe_dump(sections, sort_keys=False, allow_unicode=True, width=100)
        self._save(name, body)

    def _save(self, name: str, body: str) -> None:
        path = self.directory / f"{name}.{self.fmt}"
        path.write_text(body, encoding="utf-8")
        self.manifest.files += 1
        self.manifest.bytes += len(body.encode())


class Generator:
    """Builds entries deterministically from a seed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.vocab = Vocabulary(self.rng)
        self.roots = [w for w in self.vocab.words[:600] if len(w) <= 12][:300]
        self.publishers = [
            f"{w.capitalize()} {self.rng.choice(('News', 'Times', 'Post', 'Wire', 'Review'))}"
            for w in self.vocab.words[1000:1200]
        ]
        self.pos_serial = 0

    def day(self, start: date = FIRST_DAY, end: date = LAST_DAY) -> date:
        """A random day in [start, end]."""
        return start + timedelta(days=self.rng.randint(0, max((end - start).days, 0)))

    def fuzzy(self, day: date) -> str:
        """The day at a random precision (mostly day)."""
        roll = self.rng.random()
        if roll < 0.8:
            return day.isoformat()
        if roll < 0.95:
            return f"{day.year:04d}-{day.month:02d}"
        return f"{day.year:04d}"

    def sources(self, day: date, n: int) -> list[dict[str, str]]:
        """`n` sources published around `day`."""
        out = []
        for i in range(n):
            publisher = self.rng.choice(self.publishers)
            slug = "-".join(self.vocab.sample(4))
            source = {
                "url": f"https://{publisher.split()[0].lower()}.example.org/{day.year}/{slug}-{i}",
                "publisher": publisher,
            }
            if self.rng.random() < 0.7:
                source["title"] = self.vocab.sentence(self.rng.randint(5, 12))[:200]
            if self.rng.random() < 0.8:
                source["date"] = day.isoformat()
            out.append(source)
        return out

    def status(self, entry: dict[str, Any]) -> None:
        """Set `status` (and a note when disputed)."""
        roll = self.rng.random()
        entry["status"] = "verified" if roll < 0.5 else "reported" if roll < 0.95 else "disputed"
        if entry["status"] == "disputed":
            entry["status_note"] = self.vocab.paragraph(60, 240)

    def actor(self, slug: str, alias_seed: str) -> dict[str, Any]:
        """One actor; aliases are unique (they carry the slug's number)."""
        root = slug.split("-", 1)[0]
        name = f"{root.capitalize()} {self.vocab.sample(1)[0].capitalize()}"
        aliases = [f"{alias_seed}{k}" for k in "xy"[: self.rng.choice((0, 1, 1, 2))]]
        return {"slug": slug, "name": name, "kind": self.rng.choice(KINDS), "aliases": aliases}

    def topic(self, slug: str) -> dict[str, Any]:
        """One topic."""
        a, b, c = (w.capitalize() for w in self.vocab.sample(3))
        return {
            "slug": slug,
            "title": f"{a} {b.lower()} and {c.lower()}",
            "summary": self.vocab.paragraph(80, 300),
        }

    def history(self, actor: str, topic: str, length: int) -> Iterator[dict[str, Any]]:
        """`length` statements of one actor on one topic, oldest first, on distinct days."""
        days = sorted({self.day() for _ in range(length)})
        for day in days:
            self.pos_serial += 1
            entry: dict[str, Any] = {
                "id": f"pos-{self.pos_serial:06d}-{day.isoformat()}",
                "actor": actor,
                "topic": topic,
                "stance": self.rng.choice(STANCES),
                "date": self.fuzzy(day),
                "summary": self.vocab.paragraph(150, 600),
                "sources": self.sources(day, self.rng.choice((1, 1, 2, 3))),
            }
            self.status(entry)
            points = self.rng.choice((0, 0, 2, 3, 4))
            if points:
                entry["key_points"] = list(
                    dict.fromkeys(self.vocab.sentence(self.rng.randint(5, 14))[:200] for _ in range(points))
                )
            if self.rng.random() < 0.3:
                entry["quote"] = self.vocab.sentence(self.rng.randint(8, 30))[:500]
                entry["speaker"] = " ".join(w.capitalize() for w in self.vocab.sample(2))
            yield entry

    def event(self, event_id: str, day: date, actors: list[str], topics: list[str]) -> dict[str, Any]:
        """One event."""
        entry: dict[str, Any] = {
            "id": event_id,
            "date": self.fuzzy(day),
            "title": self.vocab.sentence(self.rng.randint(6, 14))[:200],
            "actors": actors,
            "topics": topics,
            "summary": self.vocab.paragraph(120, 420),
            "sources": self.sources(day, self.rng.choice((1, 1, 2))),
        }
        self.status(entry)
        return entry

    def positions(
        self, actors: list[str], topics: list[str], total: int, skew: float
    ) -> list[dict[str, Any]]:
        """`total` positions over skewed actor × topic pairs, 1–6 statements per pair."""
        pick_actor = Weighted(self.rng, len(actors), skew)
        pick_topic = Weighted(self.rng, len(topics), 0.6)
        pairs: set[tuple[int, int]] = set()
        out: list[dict[str, Any]] = []
        attempts = 0
        while len(out) < total and attempts < total * 20:
            attempts += 1
            pair = (pick_actor.one(), pick_topic.one())
            if pair in pairs:
                continue
            pairs.add(pair)
            length = min(total - len(out), self.rng.choice((1, 1, 2, 2, 3, 3, 4, 5, 6)))
            out.extend(self.history(actors[pair[0]], topics[pair[1]], length))
        return out

    def events(self, prefix: str, actors: list[str], topics: list[str], total: int) -> list[dict[str, Any]]:
        """`total` events tagged with skewed actors and topics."""
        pick_actor = Weighted(self.rng, len(actors), 0.7)
        pick_topic = Weighted(self.rng, len(topics), 0.6)
        out = []
        for i in range(total):
            day = self.day()
            a = [actors[k] for k in pick_actor.distinct(self.rng.choice((1, 2, 2, 3, 4)))]
            t = [topics[k] for k in pick_topic.distinct(self.rng.choice((1, 1, 2, 3)))]
            out.append(self.event(f"ev-{prefix}{i:06d}-{day.isoformat()}", day, a, t))
        return out


def generate(
    out: Path, scale: Scale, *, seed: int = 7, guild_ids: list[int] | None = None, fmt: str = "json"
) -> Manifest:
    """Write the synthetic store under `out` (global/ and servers/<guild id>/) and return its manifest."""
    gen = Generator(seed)
    ids = list(guild_ids or [])
    ids += [900_000_000_000_000_000 + n for n in range(scale.servers - len(ids))]
    ids = ids[: scale.servers]
    manifest = Manifest(scale=asdict(scale), seed=seed, guild_ids=ids, format=fmt)
    n_actors = scale.global_count(scale.actors, scale.local_actors)
    n_topics = scale.global_count(scale.topics, scale.local_topics)
    actors = [
        gen.actor(f"{gen.roots[i % len(gen.roots)]}-{i}", f"{gen.roots[i % len(gen.roots)][:2]}{i}")
        for i in range(n_actors)
    ]
    topics = [gen.topic(f"{w}-t{i}") for i, w in enumerate(gen.vocab.sample(n_topics))]
    actor_slugs = [a["slug"] for a in actors]
    topic_slugs = [t["slug"] for t in topics]
    positions = gen.positions(
        actor_slugs, topic_slugs, scale.global_count(scale.positions, scale.local_positions), 0.7
    )
    events = gen.events("", actor_slugs, topic_slugs, scale.global_count(scale.events, scale.local_events))
    glob = _Writer(out / "global", fmt, manifest)
    glob.write("00-actors", "actors", actors)
    glob.write("01-topics", "topics", topics)
    glob.write("02-positions", "positions", positions)
    glob.write("03-events", "events", events)
    manifest.actors = actor_slugs
    manifest.actor_names = [a["name"] for a in actors]
    manifest.aliases = [alias for a in actors for alias in a["aliases"]]
    manifest.topics = topic_slugs
    manifest.topic_titles = [t["title"] for t in topics]
    manifest.position_ids = [p["id"] for p in positions[:: max(1, len(positions) // 2000)]]
    manifest.event_ids = [e["id"] for e in events[:: max(1, len(events) // 2000)]]
    manifest.common_words = gen.vocab.band(0.0, 0.005)
    manifest.middle_words = gen.vocab.band(0.05, 0.1)
    manifest.rare_words = gen.vocab.band(0.6, 0.62)
    for g, guild_id in enumerate(ids):
        local_actors = [
            gen.actor(f"{gen.roots[g % len(gen.roots)]}-g{g}-{k}", f"g{g}x{k}")
            for k in range(scale.local_actors)
        ]
        local_topics = [gen.topic(f"local-g{g}-{k}") for k in range(scale.local_topics)]
        la = [a["slug"] for a in local_actors] + actor_slugs[:20]
        lt = [t["slug"] for t in local_topics] + topic_slugs[:10]
        local_pos = gen.positions(la, lt, scale.local_positions, 0.5)
        for p in local_pos:
            p["id"] = f"g{g}-{p['id']}"
        local_events = gen.events(f"g{g}-", la, lt, scale.local_events)
        doc = _Writer(out / "servers" / str(guild_id), fmt, manifest)
        doc.document(
            "local",
            {"actors": local_actors, "topics": local_topics, "positions": local_pos, "events": local_events},
        )
        manifest.local[str(guild_id)] = {
            "actors": [a["slug"] for a in local_actors],
            "topics": [t["slug"] for t in local_topics],
            "positions": [p["id"] for p in local_pos[:3]],
        }
    manifest.save(out / "manifest.json")
    return manifest


def main(argv: list[str] | None = None) -> int:
    """Command line: write a synthetic store."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every total (default 1.0)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--format", choices=("json", "yaml"), default="json")
    args = parser.parse_args(argv)
    manifest = generate(args.out, Scale().scaled(args.scale), seed=args.seed, fmt=args.format)
    print(f"{manifest.files} files, {manifest.bytes / 1e6:.1f} MB in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
