"""/admin history pages: every revision reachable, each page within Discord's limits, a hint to the next."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain import Revision
from bot.render.admin import history_pages


def revisions(n: int) -> list[Revision]:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    return [
        Revision(
            entry_id="ev-2025-talks",
            action="update",
            user_id=1000 + i,
            at=start + timedelta(hours=i),
            changes={"summary": (f"text {i}", f"text {i + 1}")},
            reason=f"revision number {i}",
        )
        for i in range(n)
    ]


def test_many_revisions_spread_over_pages_that_point_to_the_next() -> None:
    """300 revisions: several pages, all within 6,000 characters, every reason shown exactly once."""
    pages = history_pages("ev-2025-talks", revisions(300))
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert len(page) <= 6000
        footer = page.footer.text or ""
        assert f"Page {number}/{len(pages)}" in footer
        assert (f"page:{number + 1}" in footer) == (number < len(pages))
    text = "\n".join(str(f.value) for p in pages for f in p.fields)
    for i in range(300):
        assert f"revision number {i}" in text


def test_one_page_has_no_paging_hint() -> None:
    """A short history is one page without page numbers."""
    (page,) = history_pages("ev-2025-talks", revisions(3))
    assert "Page" not in (page.footer.text or "") and "page:" not in (page.footer.text or "")
