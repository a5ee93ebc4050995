"""The curated files in data/ are valid, complete enough and honest about weak claims."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.dataset import Dataset, load_dataset, parse_document
from bot.dataset.load import data_files
from bot.dataset.records import PositionRecord
from bot.domain import Status

DATA = Path(__file__).resolve().parents[2] / "data"

SECTION_G = {
    "ev-2023-07-vilnius-irreversible-path-claim": "Washington",
    "ev-2025-03-trump-march-scepticism-claim": "February",
    "ev-2025-03-uk-first-troop-offer-claim": "16 February",
    "ev-2025-03-17-grushko-wording-claim": "ironclad",
}
SEED_ARTICLE = "https://algeriemonde.live/index.php/2025/03/17/natos-approach-to-ukraine-peace-talks-faces-critical-hurdles"


@pytest.fixture(scope="module")
def shipped() -> Dataset:
    """The dataset in data/, loaded once."""
    dataset, problems = load_dataset(DATA)
    assert problems == []
    return dataset


@pytest.mark.parametrize("path", data_files(DATA), ids=lambda path: path.name)
def test_each_data_file_passes_the_schema(path: Path) -> None:
    """Every file in data/ parses on its own with no problems."""
    _, problems = parse_document(path.read_bytes(), str(path))
    assert [str(problem) for problem in problems] == []


def test_whole_directory_validates() -> None:
    """data/ loads and cross-validates with no problems at all."""
    _, problems = load_dataset(DATA)
    assert [str(problem) for problem in problems] == []


def test_minimum_counts(shipped: Dataset) -> None:
    """data/ ships at least 7 actors, 4 topics, 15 positions and 30 events."""
    assert len(shipped.actors) >= 7
    assert len(shipped.topics) >= 4
    assert len(shipped.positions) >= 15
    assert len(shipped.events) >= 30


def test_required_actors_and_topics_exist(shipped: Dataset) -> None:
    """The core actors and topics named in the brief are present."""
    actors = {actor.slug for actor in shipped.actors}
    topics = {topic.slug for topic in shipped.topics}
    assert {
        "russia",
        "nato",
        "united-states",
        "united-kingdom",
        "france",
        "european-union",
        "ukraine",
    } <= actors
    assert {"nato-ukraine", "peace-talks", "peacekeepers", "security-guarantees"} <= topics


@pytest.mark.parametrize(
    ("alias", "slug"),
    [("us", "united-states"), ("usa", "united-states"), ("uk", "united-kingdom"), ("eu", "european-union")],
)
def test_required_aliases(shipped: Dataset, alias: str, slug: str) -> None:
    """Common abbreviations resolve to the right actor."""
    owners = {name: actor.slug for actor in shipped.actors for name in actor.aliases}
    assert owners[alias] == slug


def test_every_entry_has_an_http_source(shipped: Dataset) -> None:
    """Each position and event cites at least one http(s) URL."""
    for record in (*shipped.positions, *shipped.events):
        assert record.sources, record.id
        assert all(source.url.startswith(("http://", "https://")) for source in record.sources), record.id


def test_us_nato_position_has_history(shipped: Dataset) -> None:
    """The US stance on NATO membership was stated several times in 2025: February to April, then the
    November peace plan; the earlier statements stay in the history."""
    dates = sorted(
        record.stated.iso()
        for record in shipped.positions
        if record.actor == "united-states"
        and record.topic == "nato-ukraine"
        and record.stated.value.year == 2025
    )
    assert len(dates) >= 3
    assert dates[0].startswith("2025-02")
    assert any(date.startswith("2025-04") for date in dates)
    assert dates[-1].startswith("2025-11")


def test_russia_peacekeepers_position_has_history(shipped: Dataset) -> None:
    """Russia's rejection of peacekeepers is recorded in February and in March 2025."""
    months = {
        record.stated.iso()[:7]
        for record in shipped.positions
        if record.actor == "russia" and record.topic == "peacekeepers"
    }
    assert {"2025-02", "2025-03"} <= months


@pytest.mark.parametrize(("entry_id", "correction"), sorted(SECTION_G.items()))
def test_section_g_misattribution_is_disputed(shipped: Dataset, entry_id: str, correction: str) -> None:
    """Each misattribution from section G is a disputed entry whose note gives the correction."""
    entries = {record.id: record for record in (*shipped.positions, *shipped.events)}
    entry = entries[entry_id]
    assert entry.status is Status.DISPUTED
    assert correction in entry.status_note


def test_seed_article_is_cited_by_its_claims(shipped: Dataset) -> None:
    """The disputed claims taken from the seed article cite it (the Madrid claim is not from it)."""
    from_seed = [entry_id for entry_id in SECTION_G if "madrid" not in entry_id]
    events = {event.id: event for event in shipped.events}
    for entry_id in from_seed:
        assert SEED_ARTICLE in {source.url for source in events[entry_id].sources}, entry_id


def test_unconfirmed_zakharova_date_is_flagged(shipped: Dataset) -> None:
    """Item 27's unconfirmed date is said to be unconfirmed."""
    record = next(p for p in shipped.positions if p.id == "pos-russia-peacekeepers-2025-03-13")
    assert record.status is Status.REPORTED
    assert "unconfirmed" in record.status_note.lower()


def test_ids_follow_the_naming_convention(shipped: Dataset) -> None:
    """Position ids start with pos-<actor>-<topic>- and event ids with ev-<date>."""
    for record in shipped.positions:
        assert record.id.startswith(f"pos-{record.actor}-{record.topic}-"), record.id
    for event in shipped.events:
        assert event.id.startswith(f"ev-{event.date.iso()[:7]}"), event.id


def test_every_current_position_has_a_gist(shipped: Dataset) -> None:
    """Each actor's latest statement on each topic says its position in one plain line (≤ 120 characters)."""
    latest: dict[tuple[str, str], PositionRecord] = {}
    for record in shipped.positions:
        key = (record.actor, record.topic)
        if key not in latest or record.stated.value >= latest[key].stated.value:
            latest[key] = record
    missing = sorted(record.id for record in latest.values() if not record.gist.strip())
    assert missing == []
    assert all(len(r.gist) <= 120 and "\n" not in r.gist for r in latest.values())
