"""Drawing the pictures: the /map stance grid and the /timeline chart (no database, no Discord).

    python -m bench.pictures [--n 30]

Run in a fresh process so the first render is a first render: fonts (and for the chart,
matplotlib) not yet loaded. Prints JSON: first and repeated render times, PNG sizes.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from datetime import date, timedelta
from typing import Any

from bench.stats import summary


def _stance_map(n_actors: int, n_topics: int) -> Any:
    from bot.domain import Actor, ActorKind, MapCell, Stance, StanceMap, Status, Topic

    stances = itertools.cycle(list(Stance))
    actors = tuple(Actor(f"a{i}", f"Актор {i} Federation", ActorKind.STATE) for i in range(n_actors))
    topics = tuple(Topic(f"t{j}", f"Topic {j}: foreign troops after a deal") for j in range(n_topics))
    cells = tuple(
        tuple(
            None
            if (i * 7 + j) % 6 == 0
            else MapCell(next(stances), Status.DISPUTED if (i + j) % 9 == 0 else Status.REPORTED, "p")
            for j in range(n_topics)
        )
        for i in range(n_actors)
    )
    return StanceMap(actors, topics, cells)


def _events(n: int) -> list[Any]:
    from bot.domain import Actor, ActorKind, Event, FuzzyDate, Source, Status

    actors = [Actor(f"a{i}", f"Actor {i}", ActorKind.STATE) for i in range(4)]
    out = []
    for i in range(n):
        day = date(2024, 1, 1) + timedelta(days=45 * i)
        text = day.isoformat() if i % 3 else day.isoformat()[:7]
        out.append(
            Event(
                f"ev-{i}",
                FuzzyDate.parse(text),
                f"Event {i} with a title of ordinary length",
                "Summary.",
                (Source("https://example.org", "Pub"),),
                actors=(actors[i % 4],),
                status=Status.DISPUTED if i % 5 == 0 else Status.REPORTED,
            )
        )
    return out


def _time(fn: Any, arg: Any, n: int) -> dict[str, Any]:
    started = time.perf_counter()
    png = fn(arg)
    first = (time.perf_counter() - started) * 1000
    times = []
    for _ in range(n):
        started = time.perf_counter()
        fn(arg)
        times.append(time.perf_counter() - started)
    return {"first_ms": first, "repeat": summary(times), "bytes": len(png)}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=30, help="repeated renders after the first")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    from bot.render.chart import timeline_chart_png
    from bot.render.stance_map import stance_map_png

    imported = (time.perf_counter() - started) * 1000
    result = {
        "import_ms": imported,
        "map_12x10": _time(stance_map_png, _stance_map(12, 10), args.n),
        "map_8x7": _time(stance_map_png, _stance_map(8, 7), args.n),
        "chart_8": _time(timeline_chart_png, _events(8), max(3, args.n // 5)),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
