"""Actor/topic autocomplete over many names: the best choices, in order, as the ranking rule says."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.domain import Actor, ActorKind
from bot.errors import Ambiguous, NotFound
from bot.store.catalog import MAX_CHOICES, MIN_NAMED, NameIndex

GUILD = 77

words = st.text(alphabet="abc", min_size=1, max_size=4)
names = st.lists(st.lists(words, min_size=1, max_size=3).map(" ".join), min_size=1, max_size=120, unique=True)


def entries(all_names: list[str]) -> list[tuple[int, int, Actor, str, list[str], list[str]]]:
    """Every third name is the server's own; slugs are unique; names' words are secondary keys."""
    out = []
    for i, name in enumerate(all_names):
        slug = f"x{i:03d}"
        scope = GUILD if i % 3 == 0 else 0
        words = [w for w in name.split() if w != name]
        out.append((i, scope, Actor(slug, name, ActorKind.STATE, (), scope), name, [slug, name], words))
    return out


def expected(all_names: list[str], guild: int | None, q: str) -> list[str]:
    """The rule, by brute force: prefix of slug or name (0), of a word (1); then label order."""
    best: dict[str, tuple[int, str]] = {}
    for _i, scope, actor, label, primary, secondary in entries(all_names):
        if scope not in (0, guild):
            continue
        ranks = [0 for k in primary if k.startswith(q)] + [1 for k in secondary if k.startswith(q)]
        if ranks:
            best[actor.slug] = (min(ranks), label.lower())
    return [slug for slug, _ in sorted(best.items(), key=lambda kv: kv[1])[:MAX_CHOICES]]


@given(names, st.sampled_from([None, GUILD]), st.text(alphabet="abc", min_size=1, max_size=2))
def test_prefix_choices_are_the_best_by_rank_then_name(
    all_names: list[str], guild: int | None, q: str
) -> None:
    index = NameIndex("actor", entries(all_names))
    got = [slug for _, slug in index.complete(guild, q)]
    want = expected(all_names, guild, q)
    if len(want) >= MAX_CHOICES or len(q) < 2:
        assert got == want  # substring matches only fill a short list of prefix matches
    else:
        assert got[: len(want)] == want


@given(names, st.sampled_from([None, GUILD]), st.text(alphabet="abc", min_size=1, max_size=4))
@example(["b", "aa", "a", "a b"], GUILD, "b")  # "b" is also a word of "a b", which sorts first
@example(["b aaab"], GUILD, "aaa")  # a word starting with the query is not a name starting with it
def test_a_search_names_an_item_by_its_whole_name_or_a_start_of_three_letters(
    all_names: list[str], guild: int | None, q: str
) -> None:
    """What `/search` points at: items visible to the server whose slug or name is the query, or
    starts with it once it has three letters; a word inside a name is not enough. Up to two."""
    index = NameIndex("actor", entries(all_names))
    got = [actor.slug for actor in index.named(guild, q)]
    want = {
        actor.slug
        for _i, scope, actor, _label, primary, _words in entries(all_names)
        if scope in (0, guild) and any(k == q or (len(q) >= MIN_NAMED and k.startswith(q)) for k in primary)
    }
    assert set(got) <= want
    assert len(got) == min(2, len(want))


@given(names, st.sampled_from([None, GUILD]), st.text(alphabet="abc ", min_size=1, max_size=4))
@example(["b", "x", "y", "a b"], GUILD, "b")  # "b" and "a b" both the server's; "a b" sorts first
@example(["a a", "a"], GUILD, "a")  # the server's "a a" has the word "a"; the global "a" is named so
def test_a_slug_or_name_resolves_to_its_item_before_another_items_word(
    all_names: list[str], guild: int | None, q: str
) -> None:
    """`/position actor:b` opens the actor named "b", not "a b" (whose word "b" sorts first)."""
    index = NameIndex("actor", entries(all_names))
    key = " ".join(q.split())
    named = [
        actor.slug
        for _i, scope, actor, _label, primary, _words in entries(all_names)
        if scope in (0, guild) and key in primary
    ]
    if named:
        assert index.resolve(guild, q)[1].slug in named


@given(names, st.sampled_from([None, GUILD]), st.text(alphabet="abc", min_size=1, max_size=4))
@example(["a b", "c b"], None, "b")  # a word of two global names: which one?
@example(["a b", "c b", "b c"], None, "b")  # the server's "a b" is not visible without a server
@example(["a b", "c d"], GUILD, "b")  # a word of one name opens it
def test_a_word_of_a_name_opens_the_one_visible_item_with_it_and_asks_among_several(
    all_names: list[str], guild: int | None, q: str
) -> None:
    """No slug or name is `q`: a word of exactly one visible name opens that item; a word of
    several raises Ambiguous offering all of them (only those the server sees), by name; none,
    NotFound."""
    index = NameIndex("actor", entries(all_names))
    visible = [(a, p, w) for _i, scope, a, _label, p, w in entries(all_names) if scope in (0, guild)]
    if any(q in primary for _, primary, _ in visible):
        return  # a slug or name: test_a_slug_or_name_resolves_to_its_item_before_another_items_word
    having = sorted((a for a, _, w in visible if q in w), key=lambda a: a.name.lower())
    if len(having) == 1:
        assert index.resolve(guild, q)[1] == having[0]
    elif having:
        with pytest.raises(Ambiguous) as err:
            index.resolve(guild, q)
        assert err.value.candidates == tuple((a.slug, a.name) for a in having)
    else:
        with pytest.raises(NotFound) as missing:
            index.resolve(guild, q)
        assert not isinstance(missing.value, Ambiguous)


def test_in_order_added_is_by_id_with_a_servers_own_item_in_place_of_the_global_one() -> None:
    """Oldest first whatever the names; the server's own `ru` stands in for the global one (at its
    own, later place), other servers see the global one; no item appears twice."""

    def item(
        item_id: int, scope: int, slug: str, name: str
    ) -> tuple[int, int, Actor, str, list[str], list[str]]:
        return (item_id, scope, Actor(slug, name, ActorKind.STATE, (), scope), name, [slug, name.lower()], [])

    index = NameIndex(
        "actor",
        [
            item(3, 0, "zz", "Zed"),
            item(1, 0, "ru", "Russia"),
            item(7, GUILD, "ru", "Our Russia"),
            item(5, 0, "aa", "Aland"),
        ],
    )
    assert [(a.slug, a.name) for a in index.in_order_added(GUILD)] == [
        ("zz", "Zed"),
        ("aa", "Aland"),
        ("ru", "Our Russia"),
    ]
    assert [a.name for a in index.in_order_added(None)] == ["Russia", "Zed", "Aland"]
    assert [a.name for a in index.in_order_added(GUILD + 1)] == ["Russia", "Zed", "Aland"]
