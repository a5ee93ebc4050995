"""The `/timeline … chart:true` picture: a page's events as marks on a date axis.

A day-precise event is a dot; one known only to the month or year is a bar spanning that
period. Each actor an event names has its own mark in that actor's colour (several are stacked at
the event's date), with a legend; a disputed event is hollow. Drawn with matplotlib's Agg backend
into memory (no I/O, no display); callers run it off the event loop.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, timedelta
from typing import NamedTuple

import discord

from bot.domain import Event, Status
from bot.render.fonts import font_path
from bot.render.style import NEUTRAL

CHART_FILENAME = "timeline.png"
NO_ACTOR = "no actor named"
_PALETTE = (
    "#5865F2",
    "#E74C3C",
    "#2ECC71",
    "#F1C40F",
    "#E67E22",
    "#1ABC9C",
    "#9B59B6",
    "#3498DB",
    "#E91E63",
    "#95A5A6",
)
_GREY = "#949BA4"
_BG, _FG = "#2B2D31", "#F2F3F5"
_LABEL_CHARS = 34
_DOT_POINTS = 10  # a lone event's dot, in points
_BAR_HEIGHT = 0.5  # a lone event's bar, in rows
_STACK_SPAN = 0.8  # the most of its row an event's stacked marks take


def timeline_chart_png(events: Sequence[Event], everyone: Sequence[str] = ()) -> bytes:
    """The events (a page, in list order, top to bottom) as a PNG chart; small (tens of KB).

    `everyone` (the slugs of every actor the server sees, in a fixed order: oldest first, so that
    adding one keeps the others' colours) gives each actor its colour, the same on every page and
    chart; without it, actors are coloured in order of appearance.
    """
    from matplotlib import dates as mdates
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.patches import Patch

    prop = FontProperties(fname=str(font_path()), size=9)
    colours = _actor_colours(events, everyone)
    fig = Figure(figsize=(8, 1.2 + 0.42 * max(1, len(events))), dpi=100, facecolor=_BG, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_facecolor(_BG)
    marks: list[_Mark] = []
    for row, event in enumerate(events):
        hollow = event.status is Status.DISPUTED
        start = mdates.date2num(event.date.value)
        width = 0.0
        if event.date.precision != "day":
            width = mdates.date2num(event.date.end + timedelta(days=1)) - start
        names = _actor_names(event)
        places = _stack(len(events) - 1 - row, len(names))  # the first event of the list on top
        for name, (y, size) in zip(names, places, strict=True):
            marks.append(_Mark(start, width, y, size, colours[name], hollow, len(names) == 1))
    # One call per kind of mark: a page of events of several actors draws in one pass.
    if dots := [m for m in marks if not m.width]:
        ax.scatter(
            [m.x for m in dots],
            [m.y for m in dots],
            s=[(m.size * _DOT_POINTS) ** 2 for m in dots],
            c=["none" if m.hollow else m.colour for m in dots],
            edgecolors=[m.colour for m in dots],
            linewidths=[m.edge for m in dots],
            zorder=3,
        )
    if bars := [m for m in marks if m.width]:
        ax.barh(
            [m.y for m in bars],
            [m.width for m in bars],
            left=[m.x for m in bars],
            height=[m.size * _BAR_HEIGHT for m in bars],
            color=["none" if m.hollow else m.colour for m in bars],
            edgecolor=[m.colour for m in bars],
            linewidth=[m.edge for m in bars],
        )
    ax.set_yticks(range(len(events)))
    ax.set_yticklabels([_label(e) for e in reversed(events)], fontproperties=prop, color=_FG)
    ax.set_ylim(-0.7, len(events) - 0.3)
    first = min((e.date.value for e in events), default=date.today())
    last = max((e.date.end for e in events), default=date.today())
    pad = max(timedelta(days=10), (last - first) / 20)
    ax.set_xlim(mdates.date2num(first - pad), mdates.date2num(last + pad))
    locator = mdates.AutoDateLocator(minticks=3, maxticks=7)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    for label in ax.get_xticklabels():
        label.set_fontproperties(prop)
    ax.tick_params(colors=_FG)
    ax.xaxis.get_offset_text().set_color(_FG)
    ax.grid(axis="x", color="#4E5058", linewidth=0.6)
    for spine in ax.spines.values():
        spine.set_color("#4E5058")
    handles = [Patch(facecolor=c, edgecolor=c, label=name) for name, c in colours.items()]
    handles.append(Patch(facecolor="none", edgecolor=_FG, label="disputed (hollow)"))
    legend = fig.legend(
        handles=handles,
        prop=prop,
        loc="outside lower center",
        ncol=min(len(handles), 4),
        frameon=False,
    )
    for text in legend.get_texts():
        text.set_color(_FG)
    out = io.BytesIO()
    fig.savefig(out, format="png", facecolor=_BG)
    return out.getvalue()


def chart_embed(filename: str = CHART_FILENAME) -> discord.Embed:
    """An embed holding only the picture `filename` (sent above the list it illustrates)."""
    embed = discord.Embed(colour=NEUTRAL)
    embed.set_image(url=f"attachment://{filename}")
    return embed


class _Mark(NamedTuple):
    """One actor's mark of one event: a dot (`width` 0) or a bar spanning `width` days."""

    x: float
    width: float
    y: float
    size: float  # 1 for an event's only mark
    colour: str
    hollow: bool
    lone: bool

    @property
    def edge(self) -> float:
        return 2 if self.lone else 1.5


def _actor_names(event: Event) -> list[str]:
    return [actor.name for actor in event.actors] or [NO_ACTOR]


def _stack(y: float, count: int) -> list[tuple[float, float]]:
    """Where `count` marks of one event sit in its row, top to bottom, and their size (1 = a lone
    mark's): one per actor, stacked at the event's date so each is coloured by its own actor."""
    if count == 1:
        return [(y, 1.0)]
    step = min(0.28, _STACK_SPAN / (count - 1))
    top = y + step * (count - 1) / 2
    size = min(0.7, step / 0.28 * 0.7)
    return [(top - i * step, size) for i in range(count)]


def _actor_colours(events: Sequence[Event], everyone: Sequence[str]) -> dict[str, str]:
    """A colour per actor name, in order of first appearance (the legend's order).

    An actor's own colour is the palette's at its place in `everyone` (else at its place on the
    page); two actors of a page with the same own colour are told apart, the later in `everyone`
    taking the next colour free on the page. Events naming no actor are grey.
    """
    place = {slug: i for i, slug in enumerate(everyone)}
    names: dict[str, int] = {}  # name → its place, in order of appearance
    for event in events:
        for who in event.actors:
            names.setdefault(who.name, place.get(who.slug, len(place) + len(names)))
    colours: dict[str, str] = {}
    taken: set[int] = set()
    size = len(_PALETTE)
    for name, at in sorted(names.items(), key=lambda item: item[1]):
        own = at % size
        free = next((c % size for c in range(own, own + size) if c % size not in taken), own)
        taken.add(free)
        colours[name] = _PALETTE[free]
    ordered = {name: colours[name] for name in names}
    if any(not event.actors for event in events):
        ordered[NO_ACTOR] = _GREY
    return ordered


def _label(event: Event) -> str:
    title = " ".join(event.title.split())
    if len(title) > _LABEL_CHARS:
        title = title[: _LABEL_CHARS - 1].rstrip() + "…"
    return f"{event.date.human()} · {title}"
