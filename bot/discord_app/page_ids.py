"""Page button custom_ids: a query and a page, encoded and decoded in this one place.

An id reads `pg:<view>:<page>:<field>|<field>|…` — the view's two-letter code, the page counted
from 0, and the query's fields in the view's layout order, "" for an unset one. The format is
stable: buttons posted months ago must still decode, so change a layout only by adding fields at
its end. The asking server is never part of an id (a click answers from its own server's data).

    po  actor | topic                          /position
    tl  topic | actor | since | until [| c]    /timeline ("c": with the chart)
    en  id                                     /entry
    ac  (none)                                 /actors
    to  (none)                                 /topics
    br  topic                                  /brief (one page: a "Which one?" menu's option)
    cm  topic | actor_a | actor_b              /compare (likewise)
    mp  actor… | "" | topic…                   /map (likewise; the empty field between the lists)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.domain import (
    ActorsQuery,
    BriefQuery,
    CompareQuery,
    EntryQuery,
    FuzzyDate,
    MapQuery,
    PagedQuery,
    PositionQuery,
    TimelineQuery,
    TopicsQuery,
)

CUSTOM_ID_MAX = 100
"""Discord's limit on a component's custom_id."""

PAGE_PREFIX = "pg:"
MAX_PAGE = 9999
"""The highest page an id can name (four digits)."""

TEMPLATE = r"pg:(?P<view>[a-z]{2}):(?P<page>\d{1,4}):(?P<fields>[a-z0-9|-]*)"
"""Every page id matches this (the page buttons' DynamicItem template); decode() checks the rest."""

_ID_RE = re.compile(TEMPLATE)
_FIELD_RE = re.compile(r"^[a-z0-9-]*$")
CHART_FLAG = "c"

AskedQuery = PagedQuery | BriefQuery | CompareQuery | MapQuery
"""A query an id can carry: a paged one, or one a "Which one?" menu asks again (page 0 only)."""


@dataclass(frozen=True, slots=True)
class Layout:
    """How one view's query is laid out as fields: `fields` writes them, `parse` reads them back
    (None when they are not a query of this view)."""

    code: str
    kind: type[Any]
    fields: Callable[[Any], tuple[str, ...]]
    parse: Callable[[list[str]], AskedQuery | None]
    paged: bool = True  # False: its answer is one page, and only page 0 decodes


def _date(text: str) -> FuzzyDate | None:
    return FuzzyDate.parse(text) if text else None


def _position_fields(q: PositionQuery) -> tuple[str, ...]:
    return (q.actor, q.topic or "")


def _position(f: list[str]) -> PositionQuery | None:
    if not 1 <= len(f) <= 2 or not f[0]:
        return None
    return PositionQuery(f[0], (f[1] if len(f) > 1 else "") or None)


def _timeline_fields(q: TimelineQuery) -> tuple[str, ...]:
    dates = (q.since.iso() if q.since else "", q.until.iso() if q.until else "")
    return (q.topic, q.actor or "", *dates, *((CHART_FLAG,) if q.chart else ()))


def _timeline(f: list[str]) -> TimelineQuery | None:
    if not 1 <= len(f) <= 5 or not f[0]:
        return None
    topic, actor, since, until, chart = (*f, "", "", "", "")[:5]
    if chart not in ("", CHART_FLAG):
        return None
    try:
        return TimelineQuery(topic, actor or None, _date(since), _date(until), chart == CHART_FLAG)
    except ValueError:
        return None


def _entry(f: list[str]) -> EntryQuery | None:
    return EntryQuery(f[0]) if len(f) == 1 and f[0] else None


def _brief(f: list[str]) -> BriefQuery | None:
    return BriefQuery(f[0]) if len(f) == 1 and f[0] else None


def _compare(f: list[str]) -> CompareQuery | None:
    return CompareQuery(f[0], f[1], f[2]) if len(f) == 3 and all(f) else None


def _map(f: list[str]) -> MapQuery | None:
    if f.count("") != 1:
        return None
    split = f.index("")
    actors, topics = tuple(f[:split]), tuple(f[split + 1 :])
    return MapQuery(actors, topics) if actors or topics else None


LAYOUTS: tuple[Layout, ...] = (
    Layout("po", PositionQuery, _position_fields, _position),
    Layout("tl", TimelineQuery, _timeline_fields, _timeline),
    Layout("en", EntryQuery, lambda q: (q.id,), _entry),
    Layout("ac", ActorsQuery, lambda q: (), lambda f: None if f else ActorsQuery()),
    Layout("to", TopicsQuery, lambda q: (), lambda f: None if f else TopicsQuery()),
    Layout("br", BriefQuery, lambda q: (q.topic,), _brief, paged=False),
    Layout("cm", CompareQuery, lambda q: (q.topic, q.actor_a, q.actor_b), _compare, paged=False),
    Layout("mp", MapQuery, lambda q: (*q.actors, "", *q.topics), _map, paged=False),
)
_BY_CODE = {layout.code: layout for layout in LAYOUTS}
_BY_KIND = {layout.kind: layout for layout in LAYOUTS}


def encode(query: AskedQuery, page: int) -> str:
    """The custom_id of a button (or a menu option's value) that shows `page` of `query`'s answer."""
    fields = _BY_KIND[type(query)].fields(query)
    return f"{PAGE_PREFIX}{_BY_KIND[type(query)].code}:{page}:{'|'.join(fields)}"


def decode(custom_id: str) -> tuple[AskedQuery, int] | None:
    """The query and page a button's custom_id names; None for anything the bot would not make."""
    match = _ID_RE.fullmatch(custom_id)
    if match is None or (layout := _BY_CODE.get(match["view"])) is None:
        return None
    if not layout.paged and int(match["page"]) != 0:
        return None
    fields = match["fields"].split("|") if match["fields"] else []
    query = layout.parse(fields)
    return None if query is None else (query, int(match["page"]))


def fits(query: AskedQuery) -> bool:
    """Whether every page of `query` has an id within Discord's limit that decodes back to it."""
    layout = _BY_KIND[type(query)]
    if not all(_FIELD_RE.match(f) for f in layout.fields(query)):
        return False
    page = MAX_PAGE if layout.paged else 0
    last = encode(query, page)
    return len(last) <= CUSTOM_ID_MAX and decode(last) == (query, page)
