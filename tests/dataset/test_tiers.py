"""Source tiers: the domain table in data/source-tiers.yaml, subdomains, `via`, and bad tables."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.dataset.load import data_files
from bot.dataset.tiers import SHIPPED_TIERS, Tier, TierTable, load_tiers, parse_tiers
from bot.domain import Source

DATA = Path(__file__).resolve().parents[2] / "data"
TABLE = TierTable({"nato.int": Tier.OFFICIAL, "europa.eu": Tier.OFFICIAL, "blogspot.com": Tier.AGGREGATOR,
                   "reuters.com": Tier.WIRE, "press.europa.eu": Tier.PRESS})  # fmt: skip


@pytest.mark.parametrize(
    ("url", "tier"),
    [
        ("https://www.nato.int/cps/en/natohq/official_texts_8443.htm", Tier.OFFICIAL),
        ("https://NATO.INT./x", Tier.OFFICIAL),
        ("https://www.consilium.europa.eu/en/press/", Tier.OFFICIAL),
        ("https://press.europa.eu/a", Tier.PRESS),  # the longest listed match wins
        ("https://politikinewsaaa.blogspot.com/2025/03/x.html", Tier.AGGREGATOR),
        ("https://notnato.int/x", Tier.PRESS),  # a suffix that is not a whole label is no match
        ("https://kyivindependent.com/x", Tier.PRESS),  # unknown: press
        ("not a url", Tier.PRESS),
    ],
)
def test_tier_of_url(url: str, tier: Tier) -> None:
    """A domain covers its subdomains; anything unlisted is press."""
    assert TABLE.of_url(url) is tier


def test_via_counts_as_wire_but_never_lowers_a_tier() -> None:
    """A republisher of agency copy counts as wire; an official page saying via stays official."""
    assert TABLE.of(Source("https://cbc.ca/x", "CBC News", via="Associated Press")) is Tier.WIRE
    assert TABLE.of(Source("https://a.blogspot.com/x", "Blog", via="AFP")) is Tier.WIRE
    assert TABLE.of(Source("https://nato.int/x", "NATO", via="Reuters")) is Tier.OFFICIAL
    assert (
        TABLE.best([Source("https://a.blogspot.com", "B"), Source("https://nato.int", "N")]) is Tier.OFFICIAL
    )
    assert TABLE.best([]) is None


def test_shipped_table_is_clean_and_names_the_issue_examples() -> None:
    """data/source-tiers.yaml reads without problems and ranks the primary publishers the issue names."""
    table, problems = load_tiers(SHIPPED_TIERS)
    assert problems == []
    for url in ("https://www.nato.int/", "https://www.consilium.europa.eu/", "https://www.gov.uk/",
                "https://www.whitehouse.gov/", "https://www.state.gov/", "http://kremlin.ru/", "https://mid.ru/"):  # fmt: skip
        assert table.of_url(url) is Tier.OFFICIAL, url
    for url in (
        "https://www.reuters.com/",
        "https://apnews.com/",
        "https://tass.com/",
        "https://www.ukrinform.net/",
    ):
        assert table.of_url(url) is Tier.WIRE, url


def test_tier_table_is_not_read_as_a_dataset() -> None:
    """The loader skips source-tiers.yaml (it holds no entries)."""
    assert SHIPPED_TIERS in [path.resolve() for path in DATA.iterdir()]
    assert SHIPPED_TIERS.name not in [path.name for path in data_files(DATA)]


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"officail": ["nato.int"]}, "unknown tier"),
        ({"official": "nato.int"}, "expected a list of domains"),
        ({"official": ["https://nato.int/x"]}, "is not a domain name"),
        ({"official": ["www.nato.int"]}, "is not a domain name"),
        ({"official": ["nato.int"], "press": ["nato.int"]}, "already listed under official"),
        (["nato.int"], "expected a mapping"),
    ],
)
def test_bad_table_is_reported(document: object, expected: str, tmp_path: Path) -> None:
    """A mistake in the table is a problem naming the file and what is wrong, not a crash."""
    path = tmp_path / "source-tiers.yaml"
    path.write_text(yaml.safe_dump(document))
    _, problems = load_tiers(path)
    assert any(expected in str(p) and str(path) in str(p) for p in problems), problems


def test_good_entries_of_a_partly_bad_table_are_kept() -> None:
    """One bad domain does not throw the rest of the table away."""
    table, problems = parse_tiers({"official": ["nato.int", "not a domain"]}, "t.yaml")
    assert len(problems) == 1 and table.of_url("https://nato.int") is Tier.OFFICIAL
