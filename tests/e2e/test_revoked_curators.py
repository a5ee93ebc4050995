"""Curator permission is asked again at every save: a form or dry run outlives neither the role nor its time."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.discord_sim import DiscordSimulator
from tests.discord_sim.bot_process import BotLauncher
from tests.e2e.helpers import button, embed_text
from tests.e2e.test_digest import write_clock

NO_LONGER_ACTIVE = "This is no longer active — run the command again."


def doc(slug: str) -> dict[str, Any]:
    """A one-actor file to import."""
    return {"actors": [{"slug": slug, "name": slug.title(), "kind": "state"}]}


async def start(bot_factory: BotLauncher, tmp_path: Path) -> Path:
    clock = tmp_path / "clock.txt"
    write_clock(clock, datetime.now(UTC))
    await asyncio.to_thread(bot_factory.start, extra_env={"DIGEST_CLOCK_FILE": str(clock)})
    return clock


async def ephemeral_text(handle: Any) -> str:
    """The private answer: the reply itself, or the follow-up after a defer."""
    outcome = await handle.outcome()
    message = outcome.followups[-1] if outcome.followups else outcome.original
    assert message is not None and message.ephemeral
    return embed_text(message)


@pytest.fixture(autouse=True)
async def restore_roles(sim: DiscordSimulator) -> AsyncIterator[None]:
    """The simulated world outlives a test: give the curator back the role these tests take away."""
    yield
    await sim.set_roles("alpha", "curator", ["Curator"])


async def make_curator(sim: DiscordSimulator) -> None:
    alpha = sim.guild("alpha")
    handle = await sim.invoke_command(
        "alpha", "admin", "admin curator-role", {"role": alpha.curator_role}, ignore_default_permissions=True
    )
    assert "can now curate" in await ephemeral_text(handle)


async def dry_run(sim: DiscordSimulator, member: str, slug: str) -> Any:
    attachment = await sim.register_attachment(f"{slug}.yaml", yaml.safe_dump(doc(slug)).encode())
    handle = await sim.invoke_command(
        "alpha", member, "admin import", {"file": attachment}, ignore_default_permissions=True
    )
    preview = await handle.original()
    assert "dry run" in embed_text(preview).lower()
    return preview


async def actor_exists(sim: DiscordSimulator, slug: str) -> bool:
    handle = await sim.invoke_command("alpha", "member", "position", {"actor": slug})
    message = (await handle.response()).message
    assert message is not None
    return "No actor" not in embed_text(message)


async def test_edit_form_submitted_after_losing_the_role_is_refused(
    sim: DiscordSimulator, bot_factory: BotLauncher, tmp_path: Path
) -> None:
    """A curator opens entry-edit, loses the curator role, submits: refused, the entry unchanged."""
    await start(bot_factory, tmp_path)
    await make_curator(sim)
    added = await sim.invoke_command(
        "alpha",
        "curator",
        "admin event-add",
        {
            "topic": "peacekeepers",
            "date": "2025",
            "title": "Revocation drill",
            "summary": "Before.",
            "source_url": "https://example.org/r",
        },
        ignore_default_permissions=True,
    )
    added_text = await ephemeral_text(added)
    assert "`" in added_text, added_text
    event_id = added_text.split("`")[1]
    opened = await sim.invoke_command(
        "alpha", "curator", "admin entry-edit", {"id": event_id}, ignore_default_permissions=True
    )
    await opened.modal()
    await sim.set_roles("alpha", "curator", ["Reader"])
    submitted = await sim.submit_modal(opened, None, {"summary": "After."})
    text = await ephemeral_text(submitted)
    assert "curator role" in text and "Saved" not in text
    entry = (
        await (await sim.invoke_command("alpha", "member", "entry", {"id": event_id})).response()
    ).message
    assert entry is not None and "Before." in embed_text(entry) and "After." not in embed_text(entry)


async def test_apply_after_losing_the_role_is_refused(
    sim: DiscordSimulator, bot_factory: BotLauncher, tmp_path: Path
) -> None:
    """A curator's dry run, Apply pressed after the role was removed: refused, nothing imported."""
    await start(bot_factory, tmp_path)
    await make_curator(sim)
    preview = await dry_run(sim, "curator", "estonia")
    await sim.set_roles("alpha", "curator", ["Reader"])
    click = await sim.click(preview, button(preview, "Apply")["custom_id"], "curator")
    assert "curator role" in await ephemeral_text(click)
    assert not await actor_exists(sim, "estonia")


async def test_apply_after_ten_minutes_says_the_dry_run_expired(
    sim: DiscordSimulator, bot_factory: BotLauncher, tmp_path: Path
) -> None:
    """Apply pressed 11 minutes after the dry run says it expired and writes nothing."""
    clock = await start(bot_factory, tmp_path)
    preview = await dry_run(sim, "admin", "latvia")
    write_clock(clock, datetime.now(UTC) + timedelta(minutes=11))
    click = await sim.click(preview, button(preview, "Apply")["custom_id"], "admin")
    response = await click.response()
    assert response.type_name == "UPDATE_MESSAGE"
    assert "expired" in embed_text(await click.original())
    assert not await actor_exists(sim, "latvia")


async def test_a_fourth_dry_run_pushes_out_the_oldest(
    sim: DiscordSimulator, bot_factory: BotLauncher, tmp_path: Path
) -> None:
    """A server holds at most three dry runs: the oldest's Apply then answers 'no longer active'."""
    await start(bot_factory, tmp_path)
    previews = [await dry_run(sim, "admin", slug) for slug in ("moldova", "georgia", "armenia", "cyprus")]
    oldest = await sim.click(previews[0], button(previews[0], "Apply")["custom_id"], "admin")
    assert await ephemeral_text(oldest) == NO_LONGER_ACTIVE
    newest = await sim.click(previews[3], button(previews[3], "Apply")["custom_id"], "admin")
    await newest.response()
    assert "Import applied" in embed_text(await newest.original())
    assert not await actor_exists(sim, "moldova")
    assert await actor_exists(sim, "cyprus")
