"""Hypothesis strategies: valid datasets (for round trips) and hostile documents (for fuzzing)."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

from bot.dataset import Dataset, EventRecord, PositionRecord, limits
from bot.domain import (
    ENTRY_ID_RE,
    SLUG_RE,
    Actor,
    ActorKind,
    FuzzyDate,
    Source,
    SourceRole,
    Stance,
    Status,
    Topic,
    Verification,
)

# Printable text as the loader accepts it: no control, surrogate or bidi-override characters.
_SAFE_CHARS = st.characters(
    blacklist_categories=("Cc", "Cs"),
    blacklist_characters="\ufffe\uffff\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
)


def clean_text(max_len: int, *, multiline: bool = False, min_len: int = 1) -> st.SearchStrategy[str]:
    """Text the loader keeps unchanged: stripped, within limits, allowed characters only."""
    alphabet = st.one_of(_SAFE_CHARS, st.just("\n")) if multiline else _SAFE_CHARS
    text = st.text(alphabet=alphabet, max_size=min(max_len, 60)).map(str.strip)
    return text.filter(lambda value: len(value) >= min_len)


slugs = st.from_regex(SLUG_RE, fullmatch=True)
entry_ids = st.from_regex(ENTRY_ID_RE, fullmatch=True)
fuzzy_dates = st.builds(
    FuzzyDate,
    st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)),
    st.sampled_from(["day", "month", "year"]),
).map(lambda d: FuzzyDate.parse(d.iso()))
urls = st.builds(
    "{}://{}.{}/{}".format,
    st.sampled_from(["http", "https"]),
    st.from_regex(r"[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True),
    st.sampled_from(["org", "int", "com", "ua"]),
    st.from_regex(r"[A-Za-z0-9._~%/?=&-]{0,40}", fullmatch=True),
)
sources = st.builds(
    Source,
    url=urls,
    publisher=clean_text(limits.MAX_PUBLISHER),
    title=clean_text(limits.MAX_SOURCE_TITLE, min_len=0),
    published=st.none() | fuzzy_dates,
    via=clean_text(limits.MAX_PUBLISHER, min_len=0),
    role=st.none() | st.sampled_from(list(SourceRole)),
)
verifications = st.none() | st.sampled_from(list(Verification))
source_lists = st.lists(sources, min_size=1, max_size=3).map(tuple)
statuses = st.sampled_from(list(Status))


def _note_for(status: Status) -> st.SearchStrategy[str]:
    return clean_text(limits.MAX_STATUS_NOTE, multiline=True, min_len=1 if status is Status.DISPUTED else 0)


actors = st.builds(
    Actor,
    slug=slugs,
    name=clean_text(limits.MAX_ACTOR_NAME),
    kind=st.sampled_from(list(ActorKind)),
    aliases=st.lists(slugs, max_size=3, unique=True).map(tuple),
).filter(lambda actor: actor.slug not in actor.aliases)
topics = st.builds(
    Topic,
    slug=slugs,
    title=clean_text(limits.MAX_TOPIC_TITLE),
    summary=clean_text(limits.MAX_TOPIC_SUMMARY, multiline=True, min_len=0),
)
positions = statuses.flatmap(
    lambda status: st.builds(
        PositionRecord,
        id=entry_ids,
        actor=slugs,
        topic=slugs,
        stance=st.sampled_from(list(Stance)),
        summary=clean_text(limits.MAX_SUMMARY, multiline=True),
        stated=fuzzy_dates,
        sources=source_lists,
        status=st.just(status),
        status_note=_note_for(status),
        key_points=st.lists(clean_text(limits.MAX_KEY_POINT), max_size=3, unique=True).map(tuple),
        quote=clean_text(limits.MAX_QUOTE, multiline=True, min_len=0),
        speaker=clean_text(limits.MAX_SPEAKER, min_len=0),
        verification=verifications,
        gist=clean_text(limits.MAX_GIST, min_len=0),
    )
)
events = statuses.flatmap(
    lambda status: st.builds(
        EventRecord,
        id=entry_ids,
        date=fuzzy_dates,
        title=clean_text(limits.MAX_EVENT_TITLE),
        summary=clean_text(limits.MAX_SUMMARY, multiline=True),
        sources=source_lists,
        actors=st.lists(slugs, max_size=3, unique=True).map(tuple),
        topics=st.lists(slugs, min_size=1, max_size=3, unique=True).map(tuple),
        status=st.just(status),
        status_note=_note_for(status),
        verification=verifications,
    )
)
datasets = st.builds(
    Dataset,
    actors=st.lists(actors, max_size=3).map(tuple),
    topics=st.lists(topics, max_size=3).map(tuple),
    positions=st.lists(positions, max_size=3).map(tuple),
    events=st.lists(events, max_size=3).map(tuple),
)

# --- hostile input -----------------------------------------------------------------------------

NASTY_STRINGS = [
    "@everyone",
    "@here",
    "<@123456789012345678>",
    "**bold** __under__ ~~gone~~ ||spoiler||",
    "```\ncode\n```",
    "[click](javascript:alert(1))",
    "javascript:alert(1)",
    "\u202egnirts desrever",
    "\x00\x01\x1b[31m",
    "\ud800",
    "\ufeff",
    "  ",
    "",
    "2025-13",
    "2025-02-30",
    "March",
    "yes",
    "null",
    "ftp://x",
    "https://",
    "*alias",
    "&anchor",
    "!!python/object:os.system",
    "{{}}",
    "%s%n",
]
_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(NASTY_STRINGS),
    st.integers(min_value=0, max_value=3_000).map(lambda n: "A" * n),
    st.dates().map(str),
)
json_values = st.recursive(
    _leaves,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=30,
)

FIELD_NAMES = sorted(
    {
        "slug", "name", "kind", "aliases", "title", "summary", "id", "actor", "topic", "stance",
        "key_points", "quote", "speaker", "date", "status", "status_note", "sources", "actors",
        "topics", "url", "publisher", "colour", "via", "role", "verification", "gist",
    }
)  # fmt: skip
_field_values = st.one_of(
    json_values,
    st.lists(st.dictionaries(st.sampled_from(FIELD_NAMES), json_values, max_size=5), max_size=3),
)
shaped_entries = st.dictionaries(st.sampled_from(FIELD_NAMES), _field_values, max_size=8)
shaped_documents = st.dictionaries(
    st.sampled_from(["actors", "topics", "positions", "events", "extras"]),
    st.lists(shaped_entries, max_size=4) | json_values,
    max_size=5,
)
