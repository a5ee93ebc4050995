"""Words found in most documents, which FTS5's bm25 ranks at no cost to the answer but a high one
to the query.

bm25 weighs a phrase by its IDF, and FTS5 gives a phrase found in more than half of all documents
an IDF of 1e-6 instead of a negative one: such a word (a "the", or "ukraine" in a store about
Ukraine) changes no score beyond the sixth decimal. Still, to learn that, bm25 counts the phrase's
documents by reading its whole doclist for every query that holds it: "<common word> <rare word>"
ranked 10× slower than the rare word alone on the benchmark store. So a search ranks by the
other words and keeps the frequent ones as a filter (bot.db.search), and FTS5 marks only the
words it ranked by in the snippet: `marked_also` marks the frequent ones there too.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, TextClause, text

FREQUENT_SHARE = 0.5  # of all documents: above it FTS5's bm25 gives the phrase an IDF of 1e-6
FREQUENT_MIN_DOCS = 2000  # fewer documents are cheap to rank: such a word stays ranked and marked
SAMPLE_DOCS = 4096  # the first documents (by rowid), where a phrase must look frequent to be counted
SAMPLE_SHARE = 0.4  # of those: below it the phrase is taken as not frequent without a count
_KNOWN_MAX = 10_000  # phrases remembered per store version

_DOCUMENTS = text("SELECT count(*), max(id) FROM entry_search_docsize")  # one row per document
_SAMPLE_EDGE = text("SELECT id FROM entry_search_docsize ORDER BY id LIMIT 1 OFFSET :offset")
_DOCS_UP_TO = text(  # stops counting at :cap, so a word in every document costs half a count
    "SELECT count(*) FROM (SELECT 1 FROM entry_search WHERE entry_search MATCH :phrase LIMIT :cap)"
)
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class _Known:
    """What one store version's searches learnt: the phrases seen, and the documents' counts."""

    generation: Hashable
    seen: dict[str, bool]
    documents: int
    sampled: int  # documents up to `edge`
    edge: int  # the rowid of the last document of the sample


class FrequentTerms:
    """Which FTS5 phrases are frequent, remembered per store version (`generation`).

    A phrase's exact count reads its whole doclist (up to half the documents): for a word of a
    few hundred documents that cost more than it saved, paid by every new word. So only a phrase
    that holds at least SAMPLE_SHARE of the first SAMPLE_DOCS documents is counted (a few dozen
    doclist entries read for most words); one that does not is taken as not frequent, which at
    worst leaves a frequent word ranked (slower, same answer). A store with fewer than twice
    `min_docs` documents has no frequent phrase and asks nothing.
    """

    def __init__(self, min_docs: int = FREQUENT_MIN_DOCS) -> None:
        self._min_docs = min_docs
        self._known: _Known | None = None

    def frequent(self, conn: Connection, phrases: Sequence[str], generation: Hashable | None) -> list[str]:
        """Those of `phrases` (FTS5 phrase syntax) in more than half of all documents and in at
        least `min_docs` of them. A store version's answers are remembered until the next one
        (None: nothing is remembered)."""
        known = self._known
        if (
            known is None
            or generation is None
            or known.generation != generation
            or len(known.seen) > _KNOWN_MAX
        ):
            known = self._count_documents(conn, generation)
            if generation is not None:
                self._known = known  # one object: a reader on another thread sees old or new, whole
        cap = max(int(known.documents * FREQUENT_SHARE), self._min_docs - 1) + 1
        if cap > known.documents:
            return []
        new = [p for p in dict.fromkeys(phrases) if p not in known.seen]
        if new:
            likely = _in_sample(conn, new, known) if known.sampled < known.documents else new
            for phrase in new:
                known.seen[phrase] = phrase in likely and bool(
                    conn.execute(_DOCS_UP_TO, {"phrase": phrase, "cap": cap}).scalar_one() >= cap
                )
        return [p for p in phrases if known.seen[p]]

    @staticmethod
    def _count_documents(conn: Connection, generation: Hashable | None) -> _Known:
        documents, last = conn.execute(_DOCUMENTS).one()
        if documents > SAMPLE_DOCS:
            return _Known(
                generation,
                {},
                documents,
                SAMPLE_DOCS,
                conn.execute(_SAMPLE_EDGE, {"offset": SAMPLE_DOCS - 1}).scalar_one(),
            )
        return _Known(generation, {}, documents, documents, last or 0)


def _in_sample(conn: Connection, phrases: Sequence[str], known: _Known) -> set[str]:
    """Those of `phrases` in at least SAMPLE_SHARE of the sample's documents: one statement."""
    counts = conn.execute(
        _sample_statement(len(phrases)), {"edge": known.edge} | {f"p{i}": p for i, p in enumerate(phrases)}
    )
    return {p for p, n in zip(phrases, counts.one(), strict=True) if n >= known.sampled * SAMPLE_SHARE}


@functools.cache
def _sample_statement(phrases: int) -> TextClause:
    """Each phrase's documents up to the sample's edge (parameters :p0…, :edge), in one row."""
    part = "(SELECT count(*) FROM entry_search WHERE entry_search MATCH :p{i} AND rowid <= :edge)"
    return text("SELECT " + ", ".join(part.format(i=i) for i in range(phrases)))


def marked_also(snippet: str, words: Sequence[str], prefix: str, start: str, end: str) -> str:
    """`snippet` with each of `words` (and any word starting with `prefix`, if given) marked with
    `start`…`end` where it is not marked already; compared without case or diacritics, as FTS5's
    tokenizer does (its stemming is not repeated here: the word as typed is marked)."""
    if not words and not prefix:
        return snippet
    wanted = {_folded(w) for w in words}
    begins = _folded(prefix) if prefix else ""

    def mark(match: re.Match[str]) -> str:
        word = _folded(match[0])
        hit = word in wanted or (begins and word.startswith(begins))
        return f"{start}{match[0]}{end}" if hit else match[0]

    parts = re.split(f"({re.escape(start)}.*?{re.escape(end)})", snippet, flags=re.DOTALL)
    parts[::2] = [_WORD.sub(mark, part) for part in parts[::2]]  # the marked parts stay as they are
    return "".join(parts)


def _folded(word: str) -> str:
    """Lowercase without diacritics (as unicode61 with remove_diacritics compares)."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
