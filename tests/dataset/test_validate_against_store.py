"""Checking a small dataset against many known actors and topics: same answers, cheaply."""

from __future__ import annotations

import pytest

from bot.dataset import fields, validate
from bot.dataset.validate import KnownNames
from bot.domain import Actor, ActorKind, Topic
from tests.dataset.helpers import parse, valid_document

MANY = [Actor(f"actor-{i}", f"Actor {i}", ActorKind.STATE, (f"a{i}",)) for i in range(5000)]
TOPICS = [Topic(f"topic-{i}", f"Topic {i}") for i in range(1000)]


def server_document() -> dict[str, object]:
    """A server's own actor, plus a position and an event naming known (global) actors and topics."""
    document = valid_document()
    document["actors"] = [{"slug": "local-1", "name": "Local", "kind": "person", "aliases": ["loc"]}]
    document["topics"] = []
    document["positions"][0].update(actor="actor-7", topic="topic-3")
    document["events"][0].update(actors=["actor-9", "local-1"], topics=["topic-3"])
    return document


def test_references_to_known_items_pass() -> None:
    """A dataset naming known slugs (objects or plain slugs, mixed) has no problems."""
    dataset, _ = parse(server_document())
    assert validate(dataset, MANY, TOPICS) == []
    assert validate(dataset, ["actor-7", *MANY[8:10]], ["topic-3"]) == []


def test_alias_of_a_known_actor_among_many_is_taken() -> None:
    """An alias already used by one of thousands of known actors is reported with its owner."""
    document = server_document()
    document["actors"][0]["aliases"] = ["a4321"]
    dataset, _ = parse(document)
    (problem,) = validate(dataset, ["some-slug", *MANY], TOPICS)
    assert problem.field == "aliases[0]"
    assert problem.reason == "alias 'a4321' is already taken by actor 'actor-4321' (alias)"


def test_reference_to_a_known_alias_suggests_the_slug() -> None:
    """Naming a known actor by its alias gets the slug to use instead."""
    document = server_document()
    document["positions"][0]["actor"] = "a7"
    dataset, _ = parse(document)
    (problem,) = validate(dataset, MANY, TOPICS)
    assert problem.reason == "unknown actor 'a7': it is an alias; use the slug 'actor-7'"


def test_unknown_reference_gets_a_hint_from_the_known_slugs() -> None:
    """A misspelt known slug is pointed at the right one."""
    document = server_document()
    document["events"][0]["topics"] = ["topic-3x"]
    dataset, _ = parse(document)
    (problem,) = validate(dataset, MANY, TOPICS)
    assert problem.field == "topics[0]" and "(did you mean 'topic-3'?)" in problem.reason


def test_references_can_be_left_to_the_store() -> None:
    """With references=False only the dataset's own consistency is checked."""
    dataset, _ = parse(server_document())
    assert validate(dataset, references=False) == []
    assert [p.field for p in validate(dataset)] == ["actor", "topic", "actors[0]", "topics[0]"]


def test_a_server_layer_over_indexed_global_names_answers_as_the_merged_list() -> None:
    """Checking against the global names indexed once, with a server's own laid over them, finds
    what checking against the server's whole merged list finds: its own actor shadows the global
    one of the same slug (with that one's aliases), the other global aliases stay taken."""
    own = [Actor("actor-5", "Own five", ActorKind.PERSON, ("mine",))]  # shadows the global actor-5
    merged = own + [a for a in MANY if a.slug != "actor-5"]
    layered = KnownNames(MANY, TOPICS).layered(own, [Topic("own-topic", "Own")])
    cases = {
        "a5": [],  # the shadowed global actor's alias is free in this server
        "a6": ["alias 'a6' is already taken by actor 'actor-6' (alias)"],
        "mine": ["alias 'mine' is already taken by actor 'actor-5' (alias)"],
    }
    for alias, expected in cases.items():
        document = server_document()
        document["actors"][0]["aliases"] = [alias]
        document["positions"][0].update(actor="actor-5", topic="own-topic")
        dataset, _ = parse(document)
        merged_reasons = [p.reason for p in validate(dataset, merged, [*TOPICS, Topic("own-topic", "Own")])]
        assert [p.reason for p in validate(dataset, known=layered)] == merged_reasons == expected
    document = server_document()
    document["positions"][0]["topic"] = "own-topix"
    dataset, _ = parse(document)
    (problem,) = validate(dataset, known=layered)  # hints come from both layers
    assert problem.reason == "unknown topic 'own-topix' (did you mean 'own-topic'?)"


def test_known_names_are_given_one_way() -> None:
    """Items and an index at once would be ambiguous: refused, not silently merged."""
    dataset, _ = parse(server_document())
    with pytest.raises(TypeError):
        validate(dataset, MANY, known=KnownNames(MANY, TOPICS))


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org",
        "http://Example.ORG/a/b?x=1#f",
        "https://a-b.c-d.example.org.:8080/path",
        "https://example.org:65535/",
        "HTTPS://EXAMPLE.ORG/",
        "https://example.org/@someone",
        "https://example.org:65536/",
        "https://user@example.org/",
        "https://ex_ample.org/",
        "https://-example.org/",
        "https://example..org/",
        "https://example.org\\@evil.org/",
        "https://[::1]/",
        "https://xn--bcher-kva.example/",
        "https://bücher.example/",
        "ftp://example.org/",
        "https://example.org:/",
    ],
)
def test_url_fast_path_agrees_with_the_full_check(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every URL is accepted or refused (with the same message) with and without the fast path."""

    def outcome() -> str:
        try:
            return "ok " + fields.url(url)
        except fields.FieldError as exc:
            return f"error {exc}"

    fast = outcome()
    monkeypatch.setattr(fields, "_SIMPLE_URL", type("Never", (), {"fullmatch": staticmethod(lambda _: None)}))
    assert outcome() == fast
