"""Curator tools end to end, as a plain member, a curator, a server admin and a bot owner."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import yaml

from tests.discord_sim import DiscordSimulator
from tests.discord_sim.bot_process import BotProcess
from tests.discord_sim.handles import InteractionHandle
from tests.discord_sim.messages import SimMessage
from tests.e2e.helpers import answer, button, embed_text

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
    """Run a command and return the ephemeral reply's text (asserting it is ephemeral).

    Writes defer first (ephemerally) and then say what happened; reads answer at once.
    """
    handle = await run(sim, guild, member, name, options)
    response = await handle.response()
    message = await handle.original() if response.deferred else response.message
    assert message is not None, response.type_name
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


async def private(
    sim: DiscordSimulator, guild: str, member: str, name: str, options: dict[str, Any] | None = None
) -> SimMessage:
    """Run a command and return what the member finally reads: the follow-up after a defer, else
    the reply (asserting it is ephemeral)."""
    outcome = await (await run(sim, guild, member, name, options)).outcome()
    message = outcome.followups[-1] if outcome.followups else outcome.original
    assert message is not None and message.ephemeral
    return message


async def test_plain_member_cannot_export_or_read_history(sim: DiscordSimulator, bot: BotProcess) -> None:
    """/admin export and /admin history refuse a plain member privately: no file, no revisions."""
    for name, options in (
        ("admin export", {}),
        ("admin export", {"include_global": True}),
        ("admin history", {"id": "pos-russia-peacekeepers-2025-03-27"}),
    ):
        message = await private(sim, "alpha", "member", name, options)
        assert "Manage Server" in embed_text(message), name
        assert message.attachments == () and message.embeds == (), name


async def test_curator_role_lets_members_curate_their_server_only(
    sim: DiscordSimulator, bot: BotProcess
) -> None:
    """After /admin curator-role, a curator records a position: alpha sees it, beta does not. Only
    that role curates (not a member with another role), and a curator cannot choose who curates."""
    refused = await reply(sim, "alpha", "curator", "admin curator-role", {"role": "Curator"})
    assert "Manage Server" in refused
    granted = await private(sim, "alpha", "admin", "admin curator-role", {"role": "Curator"})
    assert "can now curate" in embed_text(granted)
    assert sim.guild("alpha").curator_role.mention in granted.content and granted.pings == ()
    refused = await reply(sim, "alpha", "curator", "admin curator-role", {"role": "Reader"})
    assert "Manage Server" in refused
    reader = await reply(
        sim, "alpha", "member", "admin position-set", POSITION | {"summary": "reader attempt"}
    )
    assert "Manage Server" in reader
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
        message = await answer(await run(sim, "beta", "admin", name, {"id": event_id}))
        assert message.ephemeral
        assert "no entry" in message.content.lower()
    for guild, offered in (("alpha", True), ("beta", False)):
        choices = await sim.autocomplete(guild, "admin", "entry", {"id": event_id[:12]}, focused="id")
        assert (event_id in [c["value"] for c in choices]) is offered, guild


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
    done = await answer(submitted)
    assert done.ephemeral and "Saved" in done.content
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
    await answer(handle)
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


def _plan(**override: str) -> dict[str, str]:
    return {
        "topic": "peacekeepers",
        "date": "2025-08-01",
        "title": "Beta secret plan",
        "summary": "Plan.",
        "source_url": "https://example.org/plan",
    } | override


async def test_concurrent_event_adds_each_recorded(sim: DiscordSimulator, bot: BotProcess) -> None:
    """Three curators' identical /admin event-add at once: three entries, each shown (issue 11.1)."""
    handles = await asyncio.gather(
        *(run(sim, "alpha", "admin", "admin event-add", _plan(title="Same moment")) for _ in range(3))
    )
    texts = [embed_text(await answer(h)) for h in handles]
    ids = {t.split("`")[1] for t in texts}
    assert len(ids) == 3, texts
    for entry_id in ids:
        shown = await answer(await sim.invoke_command("alpha", "member", "entry", {"id": entry_id}))
        assert "Same moment" in embed_text(shown)


async def test_stale_form_save_is_refused(sim: DiscordSimulator, bot: BotProcess) -> None:
    """Two editors open one entry; the second save is refused naming who changed it (issue 11.1)."""
    added = await reply(sim, "alpha", "admin", "admin event-add", _plan(title="Shared draft"))
    event_id = added.split("`")[1]
    first = await run(sim, "alpha", "admin", "admin entry-edit", {"id": event_id})
    second = await run(sim, "alpha", "curator", "admin entry-edit", {"id": event_id})
    await first.modal()
    if (await second.response()).modal is None:  # the curator may lack the role in this module's run
        await reply(sim, "alpha", "admin", "admin curator-role", {"role": "Curator"})
        second = await run(sim, "alpha", "curator", "admin entry-edit", {"id": event_id})
    await second.modal()
    saved = await answer(await sim.submit_modal(first, None, {"summary": "First editor's text."}))
    assert "Saved" in saved.content
    refused = await answer(await sim.submit_modal(second, None, {"summary": "Second editor's text."}))
    assert refused.ephemeral and "changed by" in refused.content and "reopen the form" in refused.content
    shown = await answer(await sim.invoke_command("alpha", "member", "entry", {"id": event_id}))
    assert "First editor's text." in embed_text(shown)
    assert "Second editor's text." not in embed_text(shown)


async def test_ukrainian_title_and_arabic_indic_date_are_recorded(
    sim: DiscordSimulator, bot: BotProcess
) -> None:
    """ "Переговори в Стамбулі" on ٢٠٢٥-٠٥-١٦ is recorded under a Latin id (issue 11.9)."""
    text = await reply(
        sim, "alpha", "admin", "admin event-add", _plan(title="Переговори в Стамбулі", date="٢٠٢٥-٠٥-١٦")
    )
    assert re.search(r"Recorded event `ev-2025-05-16-peregovori-v-stambuli-[a-z2-9]{5}`", text), text
    event_id = text.split("`")[1]
    shown = await answer(await sim.invoke_command("alpha", "member", "entry", {"id": event_id}))
    assert "Переговори в Стамбулі" in embed_text(shown) and "16 May 2025" in embed_text(shown)


async def test_other_servers_ids_are_not_revealed(sim: DiscordSimulator, bot: BotProcess) -> None:
    """Beta's "Beta secret plan" leaves alpha's id shape unchanged, and alpha's refusals for beta's
    id read exactly as for an id that does not exist (issue 11.6)."""
    theirs = (await reply(sim, "beta", "admin", "admin event-add", _plan())).split("`")[1]
    mine = (await reply(sim, "alpha", "admin", "admin event-add", _plan())).split("`")[1]
    shape = r"ev-2025-08-01-beta-secret-plan-[a-z2-9]{5}"
    assert re.fullmatch(shape, theirs) and re.fullmatch(shape, mine) and mine != theirs
    made_up = theirs[:-5] + "zzzzz"
    for name in ("admin entry-remove", "admin entry-restore", "admin history", "admin entry-edit", "entry"):
        real = await answer(await run(sim, "alpha", "admin", name, {"id": theirs}))
        fake = await answer(await run(sim, "alpha", "admin", name, {"id": made_up}))
        assert embed_text(real).replace(theirs, "<id>") == embed_text(fake).replace(made_up, "<id>"), name


async def test_position_gist_is_set_edited_in_the_modal_and_shown_in_history(
    sim: DiscordSimulator, bot: BotProcess
) -> None:
    """position-set takes a gist; the edit form holds it (and the status with its note); a changed
    gist is saved, validated like any field and shown before → after in /admin history."""
    options = POSITION | {"date": "2026-06", "gist": "Talks only on neutrality"}
    text = await reply(sim, "alpha", "admin", "admin position-set", options)
    entry_id = text.split("`")[1]
    opened = await run(sim, "alpha", "admin", "admin entry-edit", {"id": entry_id})
    modal = await opened.modal()
    assert "Talks only on neutrality" in str(modal) and "status_and_note" in str(modal)
    submitted = await sim.submit_modal(
        opened, None, {"gist": "Neutrality first", "status_and_note": "disputed\nThe date is wrong."}
    )
    done = await answer(submitted)
    assert done.ephemeral and "Saved" in done.content
    shown = embed_text(await answer(await sim.invoke_command("alpha", "member", "entry", {"id": entry_id})))
    assert "Neutrality first" in shown and "The date is wrong." in shown
    history = await reply(sim, "alpha", "admin", "admin history", {"id": entry_id})
    assert "Talks only on neutrality" in history and "Neutrality first" in history
    too_long = await run(sim, "alpha", "admin", "admin entry-edit", {"id": entry_id})
    await too_long.modal()
    refused = await sim.submit_modal(too_long, None, {"gist": "line one\nline two"})
    message = await answer(refused)
    assert message.ephemeral and "gist" in message.content


async def test_another_servers_id_is_free_in_this_server(sim: DiscordSimulator, bot: BotProcess) -> None:
    """Alpha's event id means nothing in beta: /entry, /admin entry-edit and /admin history read as
    for an id nobody holds, and beta's import of it adds beta's own entry, alpha's untouched (issue 11.6)."""
    theirs = (await reply(sim, "alpha", "admin", "admin event-add", _plan(title="Alpha quiet plan"))).split(
        "`"
    )[1]
    made_up = theirs[:-5] + "zzzzz"
    for name in ("entry", "admin entry-edit", "admin history"):
        real = await answer(await run(sim, "beta", "admin", name, {"id": theirs}))
        fake = await answer(await run(sim, "beta", "admin", name, {"id": made_up}))
        assert embed_text(real).replace(theirs, "<id>") == embed_text(fake).replace(made_up, "<id>"), name

    async def dry_run(entry_id: str) -> SimMessage:
        doc = {
            "events": [
                {
                    "id": entry_id,
                    "date": "2025-08-01",
                    "title": "Beta loud plan",
                    "summary": "Beta's own plan.",
                    "topics": ["peacekeepers"],
                    "status": "reported",
                    "sources": [{"url": "https://example.org/beta", "publisher": "Example"}],
                }
            ]
        }
        attachment = await sim.register_attachment("beta.yaml", yaml.safe_dump(doc).encode())
        return await (await run(sim, "beta", "admin", "admin import", {"file": attachment})).original()

    preview, unknown = await dry_run(theirs), await dry_run(made_up)
    assert embed_text(preview).replace(theirs, "<id>") == embed_text(unknown).replace(made_up, "<id>")
    assert "Would add 1" in embed_text(preview)
    click = await sim.click(preview, button(preview, "Apply")["custom_id"], "admin")
    await click.response()
    assert "Import applied" in embed_text(await click.original())
    shown = {
        g: embed_text(await answer(await run(sim, g, "member", "entry", {"id": theirs})))
        for g in ("alpha", "beta")
    }
    assert "Alpha quiet plan" in shown["alpha"] and "Beta loud plan" not in shown["alpha"]
    assert "Beta loud plan" in shown["beta"] and "Alpha quiet plan" not in shown["beta"]
