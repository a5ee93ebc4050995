"""Curator tools end to end, as a plain member, a curator, a server admin and a bot owner."""

from __future__ import annotations

import re
from typing import Any

import yaml

from tests.discord_sim import DiscordSimulator
from tests.discord_sim.bot_process import BotProcess
from tests.discord_sim.handles import InteractionHandle
from tests.e2e.helpers import button, embed_text

POSITION = {
    "actor": "russia",
    "topic": "security-guarantees",
    "stance": "conditional",
    "summary": "Talks possible if neutrality is written into any deal.",
    "source_url": "https://www.reuters.com/world/example",
    # Newer than every shipped Russia statement on guarantees, so it is the current position.
    "date": "2026-05",
}


async def run(
    sim: DiscordSimulator, guild: str, member: str, name: str, options: dict[str, Any] | None = None
) -> InteractionHandle:
    """Invoke a command as if the server had opened /admin to everyone (so the run-time check decides)."""
    return await sim.invoke_command(guild, member, name, options or {}, ignore_default_permissions=True)


async def reply(
    sim: DiscordSimulator, guild: str, member: str, name: str, options: dict[str, Any] | None = None
) -> str:
    """Run a command and return the ephemeral reply's text (asserting it is ephemeral)."""
    response = await (await run(sim, guild, member, name, options)).response()
    message = response.message
    assert message is not None, response.type_name
    assert not response.deferred, response.type_name
    assert message.ephemeral, embed_text(message)
    return embed_text(message)


async def test_admin_commands_hidden_from_members_by_default(sim: DiscordSimulator, bot: BotProcess) -> None:
    """/admin is synced with default_member_permissions = Manage Server (32), guild-only."""
    admin = next(c for c in await sim.commands("alpha") if c["name"] == "admin")
    assert int(admin["default_member_permissions"]) == 32
    assert admin.get("contexts") in (None, [0])


async def test_plain_member_is_refused_and_nothing_written(sim: DiscordSimulator, bot: BotProcess) -> None:
    """A member without Manage Server or the curator role is refused, privately; the store is unchanged."""
    text = await reply(sim, "alpha", "member", "admin position-set", POSITION | {"summary": "member attempt"})
    assert "Manage Server" in text
    shown = (
        await (await sim.invoke_command("alpha", "member", "position", {"actor": "russia"})).response()
    ).message
    assert shown is not None and "member attempt" not in embed_text(shown)


async def test_curator_role_lets_members_curate_their_server_only(
    sim: DiscordSimulator, bot: BotProcess
) -> None:
    """After /admin curator-role, a curator records a position: alpha sees it, beta does not."""
    refused = await reply(sim, "alpha", "curator", "admin curator-role", {"role": "Curator"})
    assert "Manage Server" in refused
    assert "can now curate" in await reply(sim, "alpha", "admin", "admin curator-role", {"role": "Curator"})
    text = await reply(sim, "alpha", "curator", "admin position-set", POSITION)
    assert "Recorded `pos-russia-security-guarantees-2026-05" in text
    alpha = (
        await (
            await sim.invoke_command(
                "alpha", "member", "position", {"actor": "russia", "topic": "security-guarantees"}
            )
        ).response()
    ).message
    beta = (
        await (
            await sim.invoke_command(
                "beta", "member", "position", {"actor": "russia", "topic": "security-guarantees"}
            )
        ).response()
    ).message
    assert alpha is not None and beta is not None
    assert "neutrality is written" in embed_text(alpha)
    assert "neutrality is written" not in embed_text(beta)


async def test_server_admin_cannot_change_global_entries(sim: DiscordSimulator, bot: BotProcess) -> None:
    """A server admin's edit, remove or global write of shared data is refused, saying owners only."""
    for name, options in (
        ("admin entry-remove", {"id": "pos-russia-peacekeepers-2025-03-27"}),
        ("admin entry-edit", {"id": "pos-russia-peacekeepers-2025-03-27"}),
        ("admin position-set", POSITION | {"scope": "global"}),
    ):
        assert "owners" in await reply(sim, "alpha", "admin", name, options)
    entry = (
        await (
            await sim.invoke_command("beta", "member", "entry", {"id": "pos-russia-peacekeepers-2025-03-27"})
        ).response()
    ).message
    assert entry is not None and not entry.ephemeral


async def test_owner_writes_global_entries_seen_everywhere(sim: DiscordSimulator, bot: BotProcess) -> None:
    """The bot owner's global event shows in both servers' timelines."""
    options = {
        "topic": "peace-talks",
        "date": "2025-05-16",
        "title": "Istanbul direct talks resume",
        "summary": "First direct Russia–Ukraine talks since 2022.",
        "source_url": "https://apnews.com/x",
        "actors": "russia, ukraine",
        "scope": "global",
    }
    text = await reply(sim, "alpha", "bot_owner", "admin event-add", options)
    assert "Recorded event `ev-2025-05-16-istanbul-direct-talks-resume`" in text
    for guild in ("alpha", "beta"):
        shown = (
            await (
                await sim.invoke_command(
                    guild, "member", "entry", {"id": "ev-2025-05-16-istanbul-direct-talks-resume"}
                )
            ).response()
        ).message
        assert shown is not None and "Istanbul direct talks resume" in embed_text(shown)


async def test_other_servers_entries_are_unreachable(sim: DiscordSimulator, bot: BotProcess) -> None:
    """Beta's admin cannot see, remove or read the history of alpha's own event."""
    text = await reply(
        sim,
        "alpha",
        "admin",
        "admin event-add",
        {
            "topic": "peacekeepers",
            "date": "2025-03",
            "title": "Alpha staff briefing",
            "summary": "Internal.",
            "source_url": "https://example.org/a",
        },
    )
    event_id = text.split("`")[1]
    for name in ("admin entry-remove", "admin history", "entry"):
        response = await (await run(sim, "beta", "admin", name, {"id": event_id})).response()
        assert response.message is not None and response.message.ephemeral
        assert "No entry" in response.message.content or "no entry" in response.message.content.lower()
    assert await sim.autocomplete("beta", "admin", "entry", {"id": event_id[:12]}, focused="id") == [] or all(
        c["value"] != event_id
        for c in await sim.autocomplete("beta", "admin", "entry", {"id": event_id[:12]}, focused="id")
    )


async def test_entry_edit_modal_records_revision(sim: DiscordSimulator, bot: BotProcess) -> None:
    """entry-edit opens a prefilled modal; saving changes the entry and /admin history shows before → after."""
    text = await reply(
        sim,
        "alpha",
        "admin",
        "admin event-add",
        {
            "topic": "peacekeepers",
            "date": "2025",
            "title": "Draft event",
            "summary": "Old summary.",
            "source_url": "https://example.org/b",
        },
    )
    event_id = text.split("`")[1]
    opened = await run(sim, "alpha", "admin", "admin entry-edit", {"id": event_id})
    modal = await opened.modal()
    assert "Old summary." in str(modal)
    submitted = await sim.submit_modal(opened, None, {"summary": "New summary.", "date": "2025-03"})
    done = (await submitted.response()).message
    assert done is not None and done.ephemeral and "Saved" in done.content
    entry = (
        await (await sim.invoke_command("alpha", "member", "entry", {"id": event_id})).response()
    ).message
    assert entry is not None and "New summary." in embed_text(entry) and "Mar 2025" in embed_text(entry)
    history = await reply(sim, "alpha", "admin", "admin history", {"id": event_id})
    assert "Old summary." in history and "New summary." in history
    assert "2025 → 2025-03" in history
    past_the_end = await reply(sim, "alpha", "admin", "admin history", {"id": event_id, "page": 3})
    assert past_the_end == history  # one page: any page number shows it


async def test_remove_hides_restore_shows(sim: DiscordSimulator, bot: BotProcess) -> None:
    """entry-remove hides an entry from users; entry-restore brings it back."""
    text = await reply(
        sim,
        "alpha",
        "admin",
        "admin event-add",
        {
            "topic": "peacekeepers",
            "date": "2025-04-01",
            "title": "To be removed",
            "summary": "s",
            "source_url": "https://example.org/c",
        },
    )
    event_id = text.split("`")[1]
    assert "Removed" in await reply(
        sim, "alpha", "admin", "admin entry-remove", {"id": event_id, "reason": "dup"}
    )
    gone = await (await sim.invoke_command("alpha", "member", "entry", {"id": event_id})).response()
    assert gone.message is not None and gone.message.ephemeral
    assert "Restored" in await reply(sim, "alpha", "admin", "admin entry-restore", {"id": event_id})
    back = await (await sim.invoke_command("alpha", "member", "entry", {"id": event_id})).response()
    assert back.message is not None and not back.message.ephemeral


async def test_bad_input_names_the_field(sim: DiscordSimulator, bot: BotProcess) -> None:
    """A bad URL or date is refused with the field named; nothing is written."""
    assert "url" in await reply(
        sim, "alpha", "admin", "admin position-set", POSITION | {"source_url": "ftp://x.org/a"}
    )
    assert "date" in await reply(
        sim,
        "alpha",
        "admin",
        "admin event-add",
        {
            "topic": "peacekeepers",
            "date": "2025-02-30",
            "title": "t",
            "summary": "s",
            "source_url": "https://e.org",
        },
    )
    assert "slug" in await reply(sim, "alpha", "admin", "admin actor-add", {"slug": "Bad Slug!", "name": "x"})


async def test_hostile_text_is_stored_but_never_pings(sim: DiscordSimulator, bot: BotProcess) -> None:
    """@everyone, mentions and markdown in curated text render inert: no pings, no Discord rejection."""
    text = await reply(
        sim,
        "alpha",
        "admin",
        "admin event-add",
        {
            "topic": "peacekeepers",
            "date": "2025-04-02",
            "title": "@everyone look **here** <@&1>",
            "summary": "@here [click](javascript:alert(1)) `code` ||spoiler|| " + "x" * 900,
            "source_url": "https://example.org/d",
        },
    )
    event_id = text.split("`")[1]
    for name, options in (
        ("entry", {"id": event_id}),
        ("timeline", {"topic": "peacekeepers", "since": "2025-04"}),
    ):
        message = (await (await sim.invoke_command("alpha", "member", name, options)).response()).message
        assert message is not None and message.pings == ()
        values = "".join(f.get("value", "") for e in message.embeds for f in e.get("fields", []))
        assert not re.search(r"(?<!\\)\]\(javascript:", values)  # shown as text, never a live link


async def test_import_dry_run_then_confirm(sim: DiscordSimulator, bot: BotProcess) -> None:
    """/admin import shows what would change; Apply writes it in one go; /position shows it."""
    doc = {
        "actors": [{"slug": "poland", "name": "Poland", "kind": "state", "aliases": ["pl"]}],
        "positions": [
            {
                "id": "pos-poland-peacekeepers-2025-03",
                "actor": "poland",
                "topic": "peacekeepers",
                "stance": "opposes",
                "summary": "Will not send troops to Ukraine.",
                "date": "2025-03",
                "status": "reported",
                "sources": [{"url": "https://example.org/pl", "publisher": "Example"}],
            }
        ],
    }
    attachment = await sim.register_attachment("poland.yaml", yaml.safe_dump(doc).encode())
    handle = await run(sim, "alpha", "admin", "admin import", {"file": attachment})
    preview = await handle.original()
    assert preview.ephemeral and "dry run" in embed_text(preview).lower()
    assert "pos-poland-peacekeepers-2025-03" in embed_text(preview)
    not_yet = await (await sim.invoke_command("alpha", "member", "position", {"actor": "poland"})).response()
    assert not_yet.message is not None and not_yet.message.ephemeral
    click = await sim.click(preview, button(preview, "Apply")["custom_id"], "admin")
    await click.response()
    assert "Import applied" in embed_text(await click.original())
    shown = (
        await (await sim.invoke_command("alpha", "member", "position", {"actor": "pl"})).response()
    ).message
    assert shown is not None and "Will not send troops" in embed_text(shown)


async def test_import_bad_file_lists_problems_and_writes_nothing(
    sim: DiscordSimulator, bot: BotProcess
) -> None:
    """A broken file is refused with file, entry, field and reason for each problem."""
    doc = {
        "events": [
            {
                "id": "ev-bad",
                "date": "2025-13",
                "title": "t",
                "summary": "s",
                "topics": ["peacekeepers"],
                "status": "reported",
                "sources": [{"url": "javascript:x", "publisher": "p"}],
            }
        ]
    }
    attachment = await sim.register_attachment("bad.yaml", yaml.safe_dump(doc).encode())
    handle = await run(sim, "alpha", "admin", "admin import", {"file": attachment})
    text = embed_text(await handle.original())
    assert "refused" in text and "bad.yaml" in text
    assert "date" in text and "url" in text


async def test_export_round_trips_through_import(sim: DiscordSimulator, bot: BotProcess) -> None:
    """/admin export's file, imported again unchanged, changes nothing."""
    handle = await sim.invoke_command(
        "beta",
        "admin",
        "admin event-add",
        {
            "topic": "peacekeepers",
            "date": "2025-06",
            "title": "Beta note",
            "summary": "s",
            "source_url": "https://e.org/e",
        },
    )
    await handle.response()
    exported = await (await run(sim, "beta", "admin", "admin export")).original()
    assert exported.ephemeral and exported.attachments
    data = exported.attachments[0].data
    assert b"Beta note" in data
    again = await sim.register_attachment("export.yaml", data)
    result = embed_text(await (await run(sim, "beta", "admin", "admin import", {"file": again})).original())
    assert "Would add 0, change 0" in result


async def test_topic_add_shows_in_topics_and_autocomplete(sim: DiscordSimulator, bot: BotProcess) -> None:
    """A curator's new topic is listed by /topics and offered by autocomplete in that server only."""
    text = await reply(
        sim,
        "beta",
        "admin",
        "admin topic-add",
        {
            "slug": "black-sea-grain",
            "title": "Black Sea grain corridor",
            "summary": "Shipping safety talks.",
        },
    )
    assert "Added topic `black-sea-grain`" in text
    topics = (await (await sim.invoke_command("beta", "member", "topics")).response()).message
    assert topics is not None
    assert "Black Sea grain corridor" in embed_text(topics)
    beta = await sim.autocomplete("beta", "member", "brief", {"topic": "black"}, focused="topic")
    assert [c["value"] for c in beta] == ["black-sea-grain"]
    assert await sim.autocomplete("alpha", "member", "brief", {"topic": "black"}, focused="topic") == []
    again = await reply(sim, "beta", "admin", "admin topic-add", {"slug": "black-sea-grain", "title": "Dup"})
    assert "already" in again
