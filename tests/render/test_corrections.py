"""A correction is never cut mid-sentence: whole, or whole sentences then a pointer to /entry.

Checked on every disputed entry shipped in data/ and on random long corrections, in each view
that shows corrections, with every page inside Discord's limits.
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

import discord
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.dataset import load_dataset
from bot.domain import Actor, Briefing, EntryDetail, Event, PageOf, Position, SearchHit, Status, Topic
from bot.render import brief_embed, entry_pages, search_embed, timeline_embed
from bot.render.text import escape, one_line
from tests.render.builders import assert_sendable, event, found, long_text, position, texts
from tests.support.render import position_pages

DATA = Path(__file__).resolve().parents[2] / "data"
LABEL = "⚠️ **Disputed**"
POINTER = re.compile(r" ?— /entry id:(?P<id>[\w.?-]+) for the full correction$")
CLOSERS = "\"'”’»)]"
EXAMPLES = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@cache
def shipped() -> tuple[list[Position], list[Event]]:
    """Every position and event in data/ as domain objects."""
    dataset, problems = load_dataset(DATA)
    assert problems == []
    actors: dict[str, Actor] = {a.slug: a for a in dataset.actors}
    topics: dict[str, Topic] = {t.slug: t for t in dataset.topics}
    positions = [r.to_domain(actors[r.actor], topics[r.topic]) for r in dataset.positions]
    events = [
        r.to_domain(tuple(actors[a] for a in r.actors), tuple(topics[t] for t in r.topics))
        for r in dataset.events
    ]
    return positions, events


def ends_a_sentence(note: str, shown: str) -> bool:
    """`shown` is `note` up to a full stop, ! ? or … (and closing quotes) followed by a space or the end."""
    if not note.startswith(shown):
        return False
    body = shown.rstrip(CLOSERS)
    return body[-1:] in (".", "!", "?", "…") and (len(shown) == len(note) or note[len(shown)].isspace())


def check_corrections(pages: discord.Embed | list[discord.Embed], notes: dict[str, str]) -> int:
    """Each visible correction is whole, or whole sentences then the pointer; returns how many were seen."""
    assert_sendable(pages)
    seen = 0
    for line in texts(pages).split("\n"):
        if LABEL not in line:
            continue
        banner = line[line.index(LABEL) :]
        seen += 1
        pointer = POINTER.search(banner)
        if any(banner == whole(note) for note in notes.values()):
            continue
        assert pointer is not None, f"correction cut without a pointer: {banner[-80:]!r}"
        note = one_line(notes[pointer.group("id")])
        shown = banner[: pointer.start()].removeprefix(LABEL).removeprefix(" — ")
        if shown:  # label and pointer alone when not even a sentence fits
            prefix = next((note[:n] for n in range(len(note) + 1) if escape(note[:n]) == shown), None)
            assert prefix is not None, f"not a prefix of the correction: {shown[-60:]!r}"
            assert ends_a_sentence(note, prefix), f"cut mid-sentence: {shown[-60:]!r}"
    return seen


def whole(note: str) -> str:
    """The banner with the correction in full."""
    return f"{LABEL} — {escape(one_line(note))}"


def notes_of(entries: list[Position] | list[Event]) -> dict[str, str]:
    """Entry id → correction, for the disputed ones."""
    return {e.id: e.status_note for e in entries if e.status is Status.DISPUTED}


def render_all(positions: list[Position], events: list[Event]) -> list[list[discord.Embed]]:
    """Every view that shows corrections, over these entries."""
    out: list[list[discord.Embed]] = []
    topic = events[0].topics[0] if events and events[0].topics else positions[0].topic
    for start in range(0, len(events), 8):
        chunk = tuple(events[start : start + 8])
        out.append([timeline_embed(topic, PageOf(chunk, start // 8, 8, len(events)))])
    hits = [
        SearchHit(
            e.id,
            "event",
            e.title,
            e.summary,
            e.date,
            e.status,
            correction=e.status_note if e.status is Status.DISPUTED else "",
        )
        for e in events[:10]
    ]
    out.append([search_embed("query", found(hits))])
    out.append([brief_embed(Briefing(topic, tuple(positions[:25]), tuple(events[:5]), len(events)))])
    if positions:
        out.append(position_pages(positions[0].actor, positions[:12]))
        out.append(position_pages(positions[0].actor, positions[:1]))
    for entry in [*positions, *events]:
        if entry.status is Status.DISPUTED:
            out.append(entry_pages(EntryDetail(entry)))
    return out


def test_shipped_corrections_are_never_cut_mid_sentence() -> None:
    """Every disputed entry in data/, in every view: whole, or cut at a sentence end with the pointer."""
    positions, events = shipped()
    notes = notes_of(positions) | notes_of(events)
    assert notes, "data/ has disputed entries to check"
    disputed_events = [e for e in events if e.status is Status.DISPUTED]
    seen = sum(check_corrections(pages, notes) for pages in render_all(positions, disputed_events + events))
    assert seen >= len(notes)


def test_shipped_corrections_are_whole_in_entry() -> None:
    """/entry shows each shipped correction in full."""
    positions, events = shipped()
    for entry in [*positions, *events]:
        if entry.status is Status.DISPUTED:
            assert whole(entry.status_note) in texts(entry_pages(EntryDetail(entry)))


WORD = st.sampled_from(
    [
        "NATO",
        "the",
        "U.S.",
        "said",
        "troops",
        "Kyiv",
        "“ceasefire”",
        "3.5",
        "talks",
        "J.",
        "Smith",
        "e.g.",
        "on",
        "(March)",
    ]
)
END = st.sampled_from([".", "!", "?", "…", ".”", ".)", ""])


@st.composite
def corrections(draw: st.DrawFn) -> str:
    """Prose of 1–40 sentences (some very long, some with abbreviations), up to ~4,000 characters."""
    sentences = []
    for _ in range(draw(st.integers(1, 40))):
        words = draw(st.lists(WORD, min_size=1, max_size=draw(st.sampled_from([5, 20, 120]))))
        sentences.append(words[0].capitalize() + " " + " ".join(words[1:]) + draw(END))
    return " ".join(sentences)[:4000].strip()


@EXAMPLES
@given(st.lists(corrections(), min_size=1, max_size=10), st.integers(0, 1000))
def test_random_corrections_are_never_cut_mid_sentence(notes: list[str], summary_size: int) -> None:
    """Random long corrections with summaries of any size: every view keeps whole sentences and its limits."""
    summary = long_text(max(1, summary_size))
    events = [
        event(f"ev-{n}", summary=summary, status=Status.DISPUTED, status_note=note)
        for n, note in enumerate(notes)
    ]
    positions = [
        position(f"pos-{n}", summary=summary, status=Status.DISPUTED, status_note=note)
        for n, note in enumerate(notes)
    ]
    all_notes = notes_of(events) | notes_of(positions)
    for pages in render_all(positions, events):
        check_corrections(pages, all_notes)
