"""Domain objects for renderer tests: ordinary ones and ones at (or past) every size limit."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

import discord

from bot.domain import (
    Actor,
    ActorKind,
    Event,
    FuzzyDate,
    Position,
    Revision,
    SearchHit,
    SearchResults,
    Source,
    Stance,
    Status,
    Topic,
)
from bot.render import pages_problems
from tests.discord_sim.api_errors import FormErrors
from tests.discord_sim.validate_messages import validate_embeds

HOSTILE = (
    "**bold** `tick` @everyone @here <@123456789012345678> [x](javascript:alert(1)) ](http://a) ||s|| \\"
)
"""Markdown, mentions, a javascript: masked link and a dangling backslash, all in one string."""

WORDS = [
    "lorem",
    "ipsum",
    "dolor",
    "sit",
    "amet",
    "consectetur",
    "adipiscing",
    "elit",
    "sed",
    "do",
    "eiusmod",
    "tempor",
]


def long_text(length: int, seed: str = "") -> str:
    """Prose of exactly `length` characters: words (prefixed with `seed`) and spaces."""
    words = itertools.cycle(WORDS)
    text = ""
    while len(text) < length:
        text += f"{seed}{next(words)} "
    text = text[:length]
    return text[:-1] + "x" if text.endswith(" ") else text


def day(text: str) -> FuzzyDate:
    """`FuzzyDate.parse`, shorter."""
    return FuzzyDate.parse(text)


def source(n: int = 1, *, publisher: str = "Reuters", url: str | None = None, title: str = "") -> Source:
    """A source with a unique URL."""
    return Source(url or f"https://news.example/{n}", publisher, title, day("2025-03-17"))


def actor(slug: str = "russia", name: str = "Russia", **kwargs: object) -> Actor:
    """A global state actor unless told otherwise."""
    return Actor(slug, name, kwargs.pop("kind", ActorKind.STATE), **kwargs)  # type: ignore[arg-type]


def topic(
    slug: str = "ceasefire", title: str = "Ceasefire talks", summary: str = "Talks on a ceasefire."
) -> Topic:
    """A global topic."""
    return Topic(slug, title, summary)


def position(
    pid: str = "ru-ceasefire",
    *,
    who: Actor | None = None,
    about: Topic | None = None,
    stance: Stance = Stance.SUPPORTS,
    summary: str = "Backs a ceasefire along current lines.",
    stated: str = "2025-03-17",
    sources: Sequence[Source] = (),
    **kwargs: object,
) -> Position:
    """A current, reported position with one Reuters source unless told otherwise."""
    return Position(
        pid,
        who or actor(),
        about or topic(),
        stance,
        summary,
        day(stated),
        tuple(sources) or (source(1),),
        **kwargs,  # type: ignore[arg-type]
    )


def event(
    eid: str = "ev-jeddah",
    *,
    title: str = "Jeddah talks",
    summary: str = "Delegations meet in Jeddah.",
    when: str = "2025-03-11",
    sources: Sequence[Source] = (),
    **kwargs: object,
) -> Event:
    """A reported global event with one source unless told otherwise."""
    return Event(eid, day(when), title, summary, tuple(sources) or (source(2, publisher="AP"),), **kwargs)  # type: ignore[arg-type]


def huge_sources(count: int) -> tuple[Source, ...]:
    """Sources with 500-character publishers and titles and long (but linkable) URLs."""
    return tuple(
        Source(
            f"https://news.example/{n}/" + "a" * 400, long_text(500, f"p{n}"), long_text(500), day("2024-02")
        )
        for n in range(count)
    )


def max_id(n: int) -> str:
    """A 64-character entry id (the longest ENTRY_ID_RE allows), unique per `n`."""
    return f"{n:04d}-" + "x" * 59


def huge_position(n: int = 0, **kwargs: object) -> Position:
    """A position with every text at its worst: 500-char names, 5000-char summary and note, 30 sources."""
    fields: dict[str, object] = {
        "who": actor(name=long_text(500, "n")),
        "about": topic(title=long_text(500, "t"), summary=long_text(5000)),
        "summary": long_text(5000),
        "sources": huge_sources(30),
        "status": Status.DISPUTED,
        "status_note": long_text(5000, "note"),
        "key_points": tuple(long_text(1000, f"k{i}") for i in range(30)),
        "quote": long_text(5000, "q"),
        "speaker": long_text(500, "s"),
    }
    fields.update(kwargs)
    return position(max_id(n), **fields)  # type: ignore[arg-type]


def huge_event(n: int = 0, **kwargs: object) -> Event:
    """An event with a 500-char title, 5000-char summary and note, 30 sources and 40 actors."""
    fields: dict[str, object] = {
        "title": long_text(500, "t"),
        "summary": long_text(5000),
        "sources": huge_sources(30),
        "status": Status.DISPUTED,
        "status_note": long_text(5000, "note"),
        "actors": tuple(actor(f"a{i}", long_text(500, f"a{i}")) for i in range(40)),
        "topics": tuple(topic(f"t{i}", long_text(500)) for i in range(10)),
    }
    fields.update(kwargs)
    return event(max_id(n), **fields)  # type: ignore[arg-type]


def found(hits: Sequence[SearchHit], *, more: bool = False) -> SearchResults:
    """The store's answer holding exactly `hits` (all it weighed, unless `more`)."""
    return SearchResults(tuple(hits), matches=len(hits), more=more)


def revision(n: int = 0, *, reason: str = "confirmed by a second outlet") -> Revision:
    """An edit that changed the status."""
    return Revision(
        "ru-ceasefire",
        "edit",
        123456789012345678,
        datetime(2025, 3, 18, 10, 5, tzinfo=UTC),
        {"status": ("reported", "verified")},
        reason,
    )


def texts(embeds: discord.Embed | Iterable[discord.Embed]) -> str:
    """Everything a user can read in the embeds, in reading order (title, description, fields, footer)."""
    if isinstance(embeds, discord.Embed):
        embeds = [embeds]
    parts: list[str] = []
    for embed in embeds:
        parts += [embed.title or "", embed.description or ""]
        for field in embed.fields:
            parts += [field.name or "", field.value or ""]
        parts.append(embed.footer.text or "")
    return "\n".join(parts)


_LINK = re.compile(r"(?<!\\)\[((?:\\.|[^\]\\\n])*)\]\(([^()\s]*)\)")


def link_targets(text: str) -> list[str]:
    """The URLs of every masked link Discord would render in `text` (code spans hold none)."""
    outside_code = re.sub(r"\\.|`[^`]*`", lambda m: m.group() if m.group()[0] == "\\" else "``", text)
    return [m.group(2) for m in _LINK.finditer(outside_code)]


def markup_problems(embeds: discord.Embed | Iterable[discord.Embed]) -> list[str]:
    """Markup hazards: non-http(s) links, live @everyone/@here, unbalanced code spans."""
    pages = [embeds] if isinstance(embeds, discord.Embed) else list(embeds)
    problems = [
        f"unsafe link {url}"
        for url in link_targets(texts(pages))
        if not url.startswith(("http://", "https://"))
    ]
    for part in texts(pages).split("\n"):
        if re.search(r"@(everyone|here)", part):
            problems.append(f"live mention in {part[:60]!r}")
    for page in pages:
        for text in [page.title or "", page.description or "", *(f.value or "" for f in page.fields)]:
            if "`" in re.findall(r"\\.|`[^`]*`|`", text):
                problems.append(f"unbalanced backticks in {text[:60]!r}")
    return problems


def assert_sendable(embeds: discord.Embed | Sequence[discord.Embed]) -> None:
    """No Discord limit broken on any page, and no markup hazard."""
    pages = [embeds] if isinstance(embeds, discord.Embed) else list(embeds)
    problems = pages_problems(pages) + markup_problems(pages)
    assert problems == [], problems
    for number, page in enumerate(pages, start=1):  # and as the simulator's own copy of Discord's limits
        refused = FormErrors()
        validate_embeds(refused, "", [page.to_dict()])
        assert not refused, f"page {number}: {refused.items}"


def desc(embed: discord.Embed) -> str:
    """The description, or '' when unset."""
    return embed.description or ""


def foot(embed: discord.Embed) -> str:
    """The footer text, or '' when unset."""
    return embed.footer.text or ""


def fname(embed: discord.Embed, index: int) -> str:
    """Field `index`'s name."""
    return embed.fields[index].name or ""


def fval(embed: discord.Embed, index: int) -> str:
    """Field `index`'s value."""
    return embed.fields[index].value or ""
