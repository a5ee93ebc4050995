"""SQLite search with a word in most documents: ranked by the other words, filtered by it, marked
in the snippet, with the same hits in the same order as when it is ranked too."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, create_engine, text

from bot.db import frequent_terms
from bot.db.frequent_terms import FrequentTerms, marked_also
from bot.db.search import MARK_END, MARK_START, SQLITE_DDL, SqliteSearch


def _bold(snippet: str) -> str:
    return snippet.replace(MARK_START, "[").replace(MARK_END, "]")


def _docs() -> list[tuple[str, int, str, str, str]]:
    """40 documents: "talks" in 30 of them, "ceasefire" in 8 (6 of those with "talks"), each text
    of its own length so that no two rank alike."""
    docs = []
    for n in range(40):
        words = ["talks"] if n < 30 else ["summit"]
        if n % 5 == 0 or n in (31, 33):
            words.append("ceasefire")
        filler = " ".join(f"w{n}x{k}" for k in range(n + 3))
        title = f"Meeting {n}" if n != 10 else "Ceasefire talks in Geneva"
        docs.append((f"ev-{n:02d}", 0, title, f"{filler} {' '.join(words)} end of the day {n}", ""))
    docs.append(("ev-theirs", 777, "Ceasefire talks elsewhere", "talks ceasefire", ""))
    return docs


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[Connection]:
    engine = create_engine(f"sqlite:///{tmp_path / 'search.sqlite'}")
    with engine.connect() as c:
        for ddl in SQLITE_DDL:
            c.execute(text(ddl))
        c.execute(
            text(
                "INSERT INTO entry_search (entry_id, guild_id, kind, title, body, names) "
                "VALUES (:id, :guild, 'event', :title, :body, :names)"
            ),
            [dict(zip(("id", "guild", "title", "body", "names"), d, strict=True)) for d in _docs()],
        )
        yield c
    engine.dispose()


def _filtering() -> SqliteSearch:
    return SqliteSearch(FrequentTerms(min_docs=1))


def _ranking_all() -> SqliteSearch:
    return SqliteSearch(FrequentTerms(min_docs=10**9))


def test_a_word_in_most_documents_is_frequent(conn: Connection) -> None:
    """ "talks" is in 31 of 41 documents: frequent; "ceasefire" (in 11) is not; the last phrase
    is a prefix. From `min_docs` documents only; a new store version counts again."""
    frequent = FrequentTerms(min_docs=1)
    assert frequent.frequent(conn, ['"talks"', '"ceasefire"*'], generation=1) == ['"talks"']
    assert frequent.frequent(conn, ['"ceasefire"', '"talk"*'], generation=1) == ['"talk"*']
    assert FrequentTerms(min_docs=31).frequent(conn, ['"talks"'], generation=None) == ['"talks"']
    assert FrequentTerms(min_docs=32).frequent(conn, ['"talks"'], generation=None) == []
    conn.execute(
        text(
            "INSERT INTO entry_search (entry_id, guild_id, kind, title, body) VALUES (:id, 0, 'event', 'x', 'x')"
        ),
        [{"id": f"ev-more-{n}"} for n in range(21)],
    )
    assert frequent.frequent(conn, ['"talks"'], generation=2) == []  # 31 of 62: not more than half


def test_only_a_word_frequent_in_the_first_documents_is_counted(
    conn: Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a store larger than the sample, a word is counted only if it is in SAMPLE_SHARE of the
    first SAMPLE_DOCS documents: one frequent only among the later ones stays ranked."""
    conn.execute(text("DELETE FROM entry_search"))
    rows = [{"id": f"a-{n}", "body": "alpha"} for n in range(10)]
    rows += [{"id": f"b-{n}", "body": "alpha zulu"} for n in range(30)]
    conn.execute(
        text(
            "INSERT INTO entry_search (entry_id, guild_id, kind, title, body) VALUES (:id, 0, 'event', 't', :body)"
        ),
        rows,
    )
    both = ['"alpha"', '"zulu"']
    assert FrequentTerms(min_docs=1).frequent(conn, both, generation=None) == both  # 40 ≤ SAMPLE_DOCS
    monkeypatch.setattr(frequent_terms, "SAMPLE_DOCS", 10)
    assert FrequentTerms(min_docs=1).frequent(conn, both, generation=None) == ['"alpha"']
    monkeypatch.setattr(frequent_terms, "SAMPLE_DOCS", 25)  # zulu in 15 of the first 25: 60 %
    assert FrequentTerms(min_docs=1).frequent(conn, both, generation=None) == both


def test_filtering_by_a_frequent_word_finds_what_ranking_by_it_finds(conn: Connection) -> None:
    """The same hits in the same order, never a document without the frequent word, never
    another server's; its snippets mark both words."""
    for terms in (["talks", "ceasefire"], ["ceasefire", "talks"], ["talks", "ceasefir"]):
        filtered = _filtering().ranked(conn, terms, 0, 30, match_all=True, exact=10, generation=1)
        ranked = _ranking_all().ranked(conn, terms, 0, 30, match_all=True, exact=10, generation=1)
        assert [r.entry_id for r in filtered] == [r.entry_id for r in ranked], terms
        assert {r.entry_id for r in filtered} == {"ev-00", "ev-05", "ev-10", "ev-15", "ev-20", "ev-25"}, terms
    hits = _filtering().ranked(conn, ["talks", "ceasefire"], 0, 30, match_all=True, generation=1)
    body = next(_bold(r.snippet) for r in hits if r.entry_id == "ev-05")
    assert "[talks] [ceasefire]" in body
    assert hits[0].entry_id == "ev-10"  # both words in its title


def test_a_frequent_word_alone_is_still_ranked(conn: Connection) -> None:
    """A query of frequent words only ranks by them (nothing else to rank by) and finds them all."""
    hits = _filtering().ranked(conn, ["talks"], 0, 50, match_all=True, generation=1)
    assert len(hits) == 30
    assert all("[talks]" in _bold(h.snippet) for h in hits if h.entry_id != "ev-10")
    both = _filtering().ranked(conn, ["talks", "day"], 0, 50, match_all=True, generation=1)
    assert len(both) == 30


def test_marked_also_marks_the_word_as_typed_without_case_or_diacritics() -> None:
    """Whole words only (the prefix starts words), marked parts left as they are."""
    s, e = MARK_START, MARK_END
    snippet = f"Talks in Kyïv; {s}ceasefire{e} talks, talkshow, small-talks {s}talks{e}"
    done = _bold(marked_also(snippet, ["talks", "kyiv"], "", s, e))
    assert done == "[Talks] in [Kyïv]; [ceasefire] [talks], talkshow, small-[talks] [talks]"
    done = _bold(marked_also(snippet, [], "talk", s, e))
    assert done == "[Talks] in Kyïv; [ceasefire] [talks], [talkshow], small-[talks] [talks]"
    assert marked_also(snippet, [], "", s, e) == snippet
