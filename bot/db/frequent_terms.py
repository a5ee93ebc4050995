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

import re
import unicodedata
from collections.abc import Hashable, Sequence

from sqlalchemy import Connection, text

FREQUENT_SHARE = 0.5  # of all documents: above it FTS5's bm25 gives the phrase an IDF of 1e-6
FREQUENT_MIN_DOCS = 2000  # fewer documents are cheap to rank: such a word stays ranked and marked
_KNOWN_MAX = 10_000  # phrases remembered per store version

_DOCUMENTS = text("SELECT count(*) FROM entry_search_docsize")  # one row per document
_DOCS_UP_TO = text(  # stops counting at :cap, so a word in every document costs half a count
    "SELECT count(*) FROM (SELECT 1 FROM entry_search WHERE entry_search MATCH :phrase LIMIT :cap)"
)
_WORD = re.compile(r"\w+")


class FrequentTerms:
    """Which FTS5 phrases are frequent, remembered per store version (`generation`)."""

    def __init__(self, min_docs: int = FREQUENT_MIN_DOCS) -> None:
        self._min_docs = min_docs
        self._known: tuple[Hashable, dict[str, bool], int] | None = None

    def frequent(self, conn: Connection, phrases: Sequence[str], generation: Hashable | None) -> list[str]:
        """Those of `phrases` (FTS5 phrase syntax) in more than half of all documents and in at
        least `min_docs` of them. A store version's answers are remembered until the next one
        (None: nothing is remembered)."""
        known = self._known
        if known is None or generation is None or known[0] != generation or len(known[1]) > _KNOWN_MAX:
            documents = int(conn.execute(_DOCUMENTS).scalar_one())
            known = (generation, {}, documents)
            if generation is not None:
                self._known = known  # one tuple: a reader on another thread sees old or new, whole
        _, seen, documents = known
        cap = max(int(documents * FREQUENT_SHARE), self._min_docs - 1) + 1
        found = []
        for phrase in phrases:
            hit = seen.get(phrase)
            if hit is None:
                hit = seen[phrase] = (
                    conn.execute(_DOCS_UP_TO, {"phrase": phrase, "cap": cap}).scalar_one() >= cap
                )
            if hit:
                found.append(phrase)
        return found


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
