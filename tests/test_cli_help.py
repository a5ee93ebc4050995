"""Every verb's --help says what it does and shows an example; preview's lists each command's options."""

from __future__ import annotations

import contextlib
import io

import pytest

from bot.cli import PREVIEW_OPTIONS, build_parser


def verbs() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "verb")
    return sorted(sub.choices)  # type: ignore[arg-type]


def help_text(*argv: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        build_parser().parse_args([*argv, "--help"])
    return out.getvalue()


@pytest.mark.parametrize("verb", verbs())
def test_verb_help_has_description_and_example(verb: str) -> None:
    """`python -m bot VERB --help`: a sentence on what it does and an example command line."""
    text = help_text(verb)
    body = text.split("\n\n")
    assert len(body) >= 3 and body[1].strip().endswith("."), text  # usage, description, …
    assert "example:\n  " in text
    example = text.split("example:\n", 1)[1].strip().splitlines()[0]
    assert f"python -m bot {verb}" in example


def test_preview_help_lists_every_command_and_option() -> None:
    """preview --help names each slash command it answers with all of its options."""
    text = help_text("preview")
    for name, options in PREVIEW_OPTIONS.items():
        line = next((x for x in text.splitlines() if x.strip().split(" ")[0] == f"/{name}"), None)
        assert line is not None, name
        for option in options:
            assert option in line, (name, option)
