"""Each kind of bad input yields a problem naming the file, entry, field and reason."""

from __future__ import annotations

import json
from pathlib import Path

from bot.dataset import limits, load_dataset, parse_document, validate
from bot.domain import Actor, ActorKind, Topic
from tests.dataset.helpers import as_yaml, only, parse, valid_document

POSITION = "positions[0] (id pos-russia-nato-ukraine-2025-02-18)"
EVENT = "events[0] (id ev-2008-04-03-bucharest-summit)"


def test_valid_document_has_no_problems() -> None:
    """The baseline document used below is itself valid."""
    dataset, problems = parse(valid_document())
    assert problems == []
    assert validate(dataset) == []
    assert len(dataset) == 5


def test_yaml_syntax_error_names_line_and_column() -> None:
    """Broken YAML is reported with its position."""
    problem = only(parse_document("actors:\n  - slug: [unclosed\n", "broken.yaml")[1])
    assert problem.file == "broken.yaml"
    assert "YAML syntax error at line 3" in problem.reason


def test_top_level_must_be_a_mapping() -> None:
    """A list at the top level is rejected with what was found."""
    problem = only(parse_document("- slug: russia\n", "list.yaml")[1])
    assert (problem.file, problem.entry, problem.field) == ("list.yaml", "", "")
    assert "must be a mapping" in problem.reason and "a list" in problem.reason


def test_section_must_be_a_list() -> None:
    """A section given as a mapping is reported against that section."""
    problem = only(parse_document("actors:\n  slug: russia\n", "x.yaml")[1])
    assert problem.field == "actors"
    assert "expected a list" in problem.reason


def test_unknown_top_level_key_is_named() -> None:
    """A misspelt section name is reported, not ignored."""
    document = valid_document()
    document["event"] = document.pop("events")
    problem = only(parse(document)[1])
    assert problem.field == "event"
    assert "unknown top-level key" in problem.reason


def test_unknown_entry_key_is_named_with_a_suggestion() -> None:
    """A typo in a field name names the key and suggests the right one."""
    document = valid_document()
    document["positions"][0]["sumary"] = "typo"
    problem = only(parse(document)[1])
    assert (problem.entry, problem.field) == (POSITION, "sumary")
    assert "unknown key (did you mean 'summary'?)" in problem.reason


def test_missing_required_field() -> None:
    """A position without a summary is dropped with a 'required' problem."""
    document = valid_document()
    del document["positions"][0]["summary"]
    dataset, problems = parse(document)
    problem = only(problems)
    assert (problem.entry, problem.field, problem.reason) == (POSITION, "summary", "is required")
    assert dataset.positions == ()


def test_bad_slug() -> None:
    """An uppercase slug is rejected with the rule."""
    document = valid_document()
    document["actors"][0]["slug"] = "Russia"
    problem = only(parse(document)[1])
    assert (problem.entry, problem.field) == ("actors[0] (slug Russia)", "slug")
    assert "is not a valid slug" in problem.reason


def test_month_thirteen_is_not_a_date() -> None:
    """'2025-13' is reported as not a real date."""
    document = valid_document()
    document["positions"][0]["date"] = "2025-13"
    problem = only(parse(document, "data/positions.yaml")[1])
    assert str(problem) == (
        f"data/positions.yaml: {POSITION}: date: '2025-13' is not a real date (month must be in 1..12)"
    )


def test_february_thirtieth_is_not_a_date() -> None:
    """'2025-02-30' is rejected, whether quoted or a bare YAML date."""
    quoted = valid_document()
    quoted["events"][0]["date"] = "2025-02-30"
    bare = as_yaml(valid_document()).replace("date: '2008-04-03'", "date: 2025-02-30")
    for problems in (parse(quoted)[1], parse_document(bare, "bare.yaml")[1]):
        problem = only(problems)
        assert (problem.entry, problem.field) == (EVENT, "date")
        assert "'2025-02-30' is not a real date" in problem.reason


def test_month_name_is_not_a_date() -> None:
    """A word like 'March' is not accepted as a date."""
    document = valid_document()
    document["events"][0]["date"] = "March"
    problem = only(parse(document)[1])
    assert problem.field == "date"
    assert "'March' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD" in problem.reason


def test_bare_yaml_date_and_year_keep_their_precision() -> None:
    """An unquoted YAML date is day precision; a bare year number is year precision."""
    text = as_yaml(valid_document()).replace("date: '2008-04-03'", "date: 2008")
    text = text.replace("date: '2025-02-18'", "date: 2025-02-18")
    dataset, problems = parse_document(text, "x.yaml")
    assert problems == []
    assert (dataset.events[0].date.iso(), dataset.events[0].date.precision) == ("2008", "year")
    assert (dataset.positions[0].stated.iso(), dataset.positions[0].stated.precision) == ("2025-02-18", "day")


def test_ftp_url_is_rejected() -> None:
    """Only http and https sources are allowed."""
    document = valid_document()
    document["events"][0]["sources"][0]["url"] = "ftp://example.org/file"
    problem = only(parse(document)[1])
    assert (problem.entry, problem.field) == (EVENT, "sources[0].url")
    assert "must start with http:// or https://" in problem.reason


def test_javascript_url_is_rejected() -> None:
    """A javascript: link is rejected."""
    document = valid_document()
    document["events"][0]["sources"][0]["url"] = "javascript:alert(1)"
    problem = only(parse(document)[1])
    assert problem.field == "sources[0].url"
    assert "found javascript:" in problem.reason


def test_url_without_host_is_rejected() -> None:
    """'https:///path' has no host."""
    document = valid_document()
    document["positions"][0]["sources"][0]["url"] = "https:///path"
    problem = only(parse(document)[1])
    assert problem.field == "sources[0].url"
    assert "no valid host" in problem.reason


def test_url_with_spaces_is_rejected() -> None:
    """Spaces inside a URL are reported."""
    document = valid_document()
    document["positions"][0]["sources"][0]["url"] = "https://example.org/a b"
    assert "spaces or control characters" in only(parse(document)[1]).reason


def test_over_long_summary() -> None:
    """Text over its limit reports its length and the limit."""
    document = valid_document()
    document["positions"][0]["summary"] = "x" * (limits.MAX_SUMMARY + 1)
    problem = only(parse(document)[1])
    assert (problem.entry, problem.field) == (POSITION, "summary")
    assert problem.reason == f"is {limits.MAX_SUMMARY + 1} characters long; the limit is {limits.MAX_SUMMARY}"


def test_too_many_key_points() -> None:
    """More than the allowed number of key points is rejected."""
    document = valid_document()
    document["positions"][0]["key_points"] = ["point"] * (limits.MAX_KEY_POINTS + 1)
    problem = only(parse(document)[1])
    assert problem.field == "key_points"
    assert f"the limit is {limits.MAX_KEY_POINTS}" in problem.reason


def test_control_character_in_text() -> None:
    """A control character is named by code point."""
    document = valid_document()
    document["events"][0]["title"] = "Bucharest\x07 summit"
    problem = only(parse(document)[1])
    assert problem.field == "title"
    assert "U+0007" in problem.reason


def test_newline_in_a_single_line_field() -> None:
    """Titles must be one line; summaries may have several."""
    document = valid_document()
    document["events"][0]["title"] = "Bucharest\nsummit"
    document["events"][0]["summary"] = "Line one.\nLine two."
    problem = only(parse(document)[1])
    assert (problem.field, problem.reason) == ("title", "must be a single line")


def test_whitespace_only_text() -> None:
    """Text that is only whitespace is rejected, even in an optional field."""
    document = valid_document()
    document["positions"][0]["quote"] = "   "
    problem = only(parse(document)[1])
    assert (problem.field, problem.reason) == ("quote", "is only whitespace")


def test_surrounding_whitespace_is_stripped() -> None:
    """Leading and trailing whitespace is removed from text."""
    document = valid_document()
    document["actors"][0]["name"] = "  Russia  "
    dataset, problems = parse(document)
    assert problems == []
    assert dataset.actors[0].name == "Russia"


def test_disputed_without_note() -> None:
    """A disputed entry must say what the correction is."""
    document = valid_document()
    document["events"][0]["status"] = "disputed"
    problem = only(parse(document)[1])
    assert (problem.entry, problem.field) == (EVENT, "status_note")
    assert "required when status is disputed" in problem.reason


def test_wrong_type_for_a_list_field() -> None:
    """A single string where a list is expected is reported."""
    document = valid_document()
    document["actors"][0]["aliases"] = "ru"
    problem = only(parse(document)[1])
    assert (problem.field, problem.reason) == ("aliases", "expected a list, got text")


def test_yaml_boolean_slug_gets_a_quoting_hint() -> None:
    """An unquoted `no` (read as false by YAML) is explained."""
    text = as_yaml(valid_document()).replace("- ru", "- no")
    problem = only(parse_document(text, "x.yaml")[1])
    assert problem.field == "aliases[0]"
    assert "quote words like yes, no" in problem.reason


def test_dangling_actor_and_topic_references() -> None:
    """References to undefined actors and topics are reported by validate."""
    document = valid_document()
    document["positions"][0]["actor"] = "rusia"
    document["events"][0]["topics"] = ["peace-talks"]
    dataset, problems = parse(document, "refs.yaml")
    assert problems == []
    found = {(problem.entry, problem.field): problem.reason for problem in validate(dataset)}
    assert found[(POSITION, "actor")] == "unknown actor 'rusia' (did you mean 'russia'?)"
    assert found[(EVENT, "topics[0]")].startswith("unknown topic 'peace-talks'")


def test_reference_by_alias_is_explained() -> None:
    """Using an alias instead of the slug is reported with the slug to use."""
    document = valid_document()
    document["positions"][0]["actor"] = "ru"
    dataset, _ = parse(document)
    problem = only(validate(dataset))
    assert problem.reason == "unknown actor 'ru': it is an alias; use the slug 'russia'"


def test_known_slugs_satisfy_references() -> None:
    """Actors and topics known elsewhere (e.g. the database) count as defined."""
    document = valid_document()
    document["positions"][0]["actor"] = "france"
    dataset, _ = parse(document)
    assert validate(dataset, known_actors=["france"], known_topics=[]) == []


def test_duplicate_id_across_positions_and_events() -> None:
    """Ids are unique across positions and events together."""
    document = valid_document()
    document["events"][0]["id"] = document["positions"][0]["id"]
    dataset, _ = parse(document, "dup.yaml")
    problem = only(validate(dataset))
    assert (problem.file, problem.entry, problem.field) == (
        "dup.yaml",
        "events[0] (id pos-russia-nato-ukraine-2025-02-18)",
        "id",
    )
    assert "already used at positions[0] in dup.yaml" in problem.reason


def test_duplicate_actor_slug() -> None:
    """Two actors with the same slug are reported."""
    document = valid_document()
    document["actors"][1]["slug"] = "russia"
    document["events"][0]["actors"] = ["russia"]
    dataset, _ = parse(document)
    problems = validate(dataset)
    assert any(p.field == "slug" and "duplicate slug 'russia'" in p.reason for p in problems)


def test_alias_colliding_with_another_actors_slug() -> None:
    """An alias may not be another actor's slug."""
    document = valid_document()
    document["actors"][1]["aliases"] = ["russia"]
    dataset, _ = parse(document)
    problem = only(validate(dataset))
    assert (problem.entry, problem.field) == ("actors[1] (slug ukraine)", "aliases[0]")
    assert problem.reason == "alias 'russia' is already taken by actor 'russia' (slug)"


def test_alias_colliding_with_another_actors_alias() -> None:
    """Two actors may not share an alias."""
    document = valid_document()
    document["actors"][1]["aliases"] = ["ru"]
    dataset, _ = parse(document)
    assert only(validate(dataset)).reason == "alias 'ru' is already taken by actor 'russia' (alias)"


def test_alias_equal_to_own_slug() -> None:
    """An actor's alias must differ from its own slug."""
    document = valid_document()
    document["actors"][0]["aliases"] = ["russia"]
    problem = only(parse(document)[1])
    assert (problem.field, problem.reason) == ("aliases[0]", "'russia' is the actor's own slug")


def test_duplicate_yaml_key() -> None:
    """A key given twice in one mapping is an error, not a silent overwrite."""
    text = "topics:\n  - slug: a\n    title: A\n    title: B\n"
    problem = only(parse_document(text, "x.yaml")[1])
    assert "duplicate key 'title'" in problem.reason
    assert "line 4" in problem.reason


def test_yaml_alias_is_refused() -> None:
    """YAML aliases (billion-laughs material) are refused outright."""
    text = "a: &x [1, 2]\nb: [*x, *x]\n"
    problem = only(parse_document(text, "bomb.yaml")[1])
    assert "aliases (*name) are not allowed" in problem.reason


def test_deep_nesting_is_refused() -> None:
    """Deeply nested junk is stopped before it can exhaust the stack."""
    problem = only(parse_document("actors: " + "[" * 5000 + "]" * 5000, "deep.yaml")[1])
    assert "nested deeper than" in problem.reason


def test_non_utf8_bytes() -> None:
    """Bytes that are not UTF-8 are reported with their offset."""
    problem = only(parse_document(b"actors: []\ntitle: caf\xe9\n", "latin1.yaml")[1])
    assert (problem.file, problem.entry, problem.field) == ("latin1.yaml", "", "")
    assert "not valid UTF-8 (byte 0xe9 at offset 21)" in problem.reason


def test_utf8_byte_order_mark_is_accepted() -> None:
    """A UTF-8 BOM at the start of a file is harmless."""
    dataset, problems = parse_document(b"\xef\xbb\xbf" + as_yaml(valid_document()).encode(), "bom.yaml")
    assert problems == []
    assert len(dataset) == 5


def test_json_input_reads_the_same_as_yaml() -> None:
    """JSON with the same shape gives the same dataset."""
    from_json, problems = parse_document(json.dumps(valid_document()), "upload.json")
    assert problems == []
    assert from_json == parse(valid_document())[0]


def test_json_is_detected_without_an_extension() -> None:
    """An attachment without an extension is sniffed as JSON by its first character."""
    dataset, problems = parse_document(json.dumps(valid_document()).encode(), "attachment")
    assert problems == []
    assert len(dataset) == 5


def test_json_syntax_error() -> None:
    """Broken JSON is reported with its position."""
    problem = only(parse_document('{"actors": [}', "bad.json")[1])
    assert problem.reason.startswith("the document JSON syntax error at line 1, column 13")


def test_oversized_document() -> None:
    """Documents over the size cap are refused before parsing."""
    blob = b"#" * (limits.MAX_DOCUMENT_BYTES + 1)
    problem = only(parse_document(blob, "huge.yaml")[1])
    assert "the limit is 2,097,152 bytes" in problem.reason


def test_oversized_file_in_a_directory(tmp_path: Path) -> None:
    """load_dataset refuses an oversized file without reading it all."""
    (tmp_path / "big.yaml").write_bytes(b"#" * (limits.MAX_DOCUMENT_BYTES + 1))
    problem = only(load_dataset(tmp_path)[1])
    assert problem.file == str(tmp_path / "big.yaml")
    assert "the limit is" in problem.reason


def test_missing_path() -> None:
    """A path that does not exist is a problem, not an exception."""
    problem = only(load_dataset("/nonexistent/data")[1])
    assert problem.reason == "no such file or directory"


def test_directory_files_are_read_in_sorted_order(tmp_path: Path) -> None:
    """Files are merged in name order and cross-referenced together."""
    document = valid_document()
    (tmp_path / "b-positions.yaml").write_text(as_yaml({"positions": document["positions"]}))
    (tmp_path / "a-base.yaml").write_text(
        as_yaml({"actors": document["actors"], "topics": document["topics"]})
    )
    (tmp_path / "notes.txt").write_text("ignored")
    dataset, problems = load_dataset(tmp_path)
    assert problems == []
    assert [actor.slug for actor in dataset.actors] == ["russia", "ukraine"]
    assert dataset.origin("positions", 0).file == str(tmp_path / "b-positions.yaml")


def test_problem_cap() -> None:
    """A flood of problems is cut short with a summary line."""
    text = as_yaml({"positions": [1] * (limits.MAX_PROBLEMS + 50)})
    problems = parse_document(text, "flood.yaml")[1]
    assert len(problems) == limits.MAX_PROBLEMS + 1
    assert problems[-1].reason == "… and 50 more problems not shown"


def test_alias_colliding_with_a_known_actors_alias() -> None:
    """Aliases of actors already in the database are taken too."""
    document = valid_document()
    document["actors"][0]["aliases"] = ["us"]
    dataset, _ = parse(document)
    known = Actor("united-states", "United States", ActorKind.STATE, aliases=("us", "usa"))
    problem = only(validate(dataset, known_actors=[known]))
    assert (problem.field, problem.reason) == (
        "aliases[0]",
        "alias 'us' is already taken by actor 'united-states' (alias)",
    )


def test_slug_colliding_with_a_known_actors_alias() -> None:
    """A new actor's slug may not be an alias of an existing actor."""
    document = valid_document()
    document["actors"][1]["slug"] = "usa"
    document["events"][0]["actors"] = ["usa"]
    dataset, _ = parse(document)
    known = Actor("united-states", "United States", ActorKind.STATE, aliases=("us", "usa"))
    problem = only(validate(dataset, known_actors=[known]))
    assert (problem.entry, problem.field) == ("actors[1] (slug usa)", "slug")
    assert "already taken by actor 'united-states' (alias)" in problem.reason


def test_updating_a_known_actor_is_not_a_duplicate() -> None:
    """A dataset actor with a known slug replaces it: its old aliases do not collide."""
    document = valid_document()
    dataset, _ = parse(document)
    known = Actor("russia", "Russia", ActorKind.STATE, aliases=("ru",))
    assert validate(dataset, known_actors=[known], known_topics=[Topic("nato-ukraine", "x")]) == []


def test_validate_caps_its_problems() -> None:
    """Thousands of dangling references are cut short with a summary line."""
    document = valid_document()
    event = document["events"][0]
    document["events"] = [
        {**event, "id": f"ev-{index}", "topics": ["missing"]} for index in range(limits.MAX_PROBLEMS + 5)
    ]
    dataset, _ = parse(document)
    problems = validate(dataset)
    assert len(problems) == limits.MAX_PROBLEMS + 1
    assert problems[-1].reason == "… and 5 more problems not shown"
