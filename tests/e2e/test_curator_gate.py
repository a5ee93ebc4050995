"""The curator gate holds for every curator command, found by walking the synced command tree.

`default_permissions` only hides a command until a server admin opens it to everyone; the run-time
gate is what keeps a plain member out. The walk reads the commands the bot synced (so a command added
tomorrow is walked too), runs each as a member of a server that opened them to everyone, and checks
the member is told why privately and that the bot wrote nothing and posted nothing.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.db.engine import create_engine
from bot.db.models import Base
from tests.discord_sim import DiscordSimulator
from tests.discord_sim.bot_process import BotProcess
from tests.e2e.helpers import embed_text

SUB_COMMAND, SUB_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = 3, 4, 5, 6, 7, 8, 9, 10, 11
REFUSED = "You can't do that here: you need the Manage Server permission"
#: Every curator command there is today; the walk must find at least these (it finds new ones itself).
KNOWN = {
    "admin actor-add",
    "admin curator-role",
    "admin entry-edit",
    "admin export",
    "admin history",
    "admin import",
    "admin review",
    "admin source-add",
    "digest list",
    "digest send-now",
    "digest subscribe",
    "Add to briefing",
}


def curator_commands(synced: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]] | None]:
    """Every command a server hides from members by default (Manage Server), as "group sub" → its
    options (None for a message context menu)."""
    found: dict[str, list[dict[str, Any]] | None] = {}
    for command in synced:
        if command.get("default_member_permissions") in (None, "0"):
            continue  # a command for everyone
        if command.get("type", 1) != 1:
            found[command["name"]] = None
            continue
        stack = [(command["name"], option) for option in command.get("options") or []]
        leaf = True
        while stack:
            prefix, option = stack.pop()
            if option["type"] in (SUB_COMMAND, SUB_GROUP):
                leaf = False
                name = f"{prefix} {option['name']}"
                if option["type"] == SUB_COMMAND:
                    found[name] = option.get("options") or []
                else:
                    stack += [(name, child) for child in option.get("options") or []]
        if leaf:
            found[command["name"]] = command.get("options") or []
    return found


async def some_value(sim: DiscordSimulator, option: dict[str, Any]) -> Any:
    """A valid value for a required option (the gate must refuse before anything reads it)."""
    alpha = sim.guild("alpha")
    kind = option["type"]
    if option.get("choices"):
        return option["choices"][0]["value"]
    if kind == STRING:
        return "x" * max(1, int(option.get("min_length") or 1))
    if kind in (INTEGER, NUMBER):
        return int(option.get("min_value") or 1)
    if kind == BOOLEAN:
        return False
    if kind == CHANNEL:
        return alpha.channel("briefings")
    if kind in (ROLE, MENTIONABLE):
        return alpha.curator_role
    if kind == USER:
        return alpha.person("member")
    if kind == ATTACHMENT:
        return await sim.register_attachment("walk.yaml", b"actors: []\n")
    raise AssertionError(f"the walk has no value for option type {kind} ({option['name']})")


async def database_rows(proc: BotProcess) -> dict[str, list[str]]:
    """Every row of every table of the bot's database, as text (to compare before and after)."""
    engine = create_engine(proc.env["DATABASE_URL"])
    try:
        async with engine.connect() as conn:
            return {
                table.name: sorted(repr(tuple(row)) for row in await conn.execute(select(table)))
                for table in Base.metadata.sorted_tables
            }
    finally:
        await engine.dispose()


async def refusal(handle: Any) -> tuple[str, bool]:
    """The reply the member reads (the message, or the follow-up after a defer) and whether it is private."""
    outcome = await handle.outcome()
    message = outcome.followups[-1] if outcome.followups else outcome.original
    if message is None:
        message = outcome.response.message
    assert message is not None, f"{handle.label}: no reply at all ({outcome.response.type_name})"
    return embed_text(message), message.ephemeral


async def test_every_curator_command_refuses_a_plain_member(sim: DiscordSimulator, bot: BotProcess) -> None:
    """Each /admin, /digest and curator context command, run by a member: refused privately, nothing written."""
    commands = curator_commands(await sim.commands("alpha"))
    assert set(commands) >= KNOWN, sorted(KNOWN - set(commands))
    linked = await sim.post_user_message("alpha", "member", "Read https://example.org/news/walk")
    before = await database_rows(bot)
    posted_before = len(await sim.channel_messages(sim.guild("alpha").channel("briefings")))
    problems: list[str] = []
    for name, options in sorted(commands.items()):
        if options is None:  # a message context menu
            handle = await sim.invoke_message_command("member", name, linked, ignore_default_permissions=True)
        else:
            values = {o["name"]: await some_value(sim, o) for o in options if o.get("required")}
            handle = await sim.invoke_command(
                "alpha", "member", name, values, ignore_default_permissions=True
            )
        text, private = await refusal(handle)
        if REFUSED not in text or not private:
            problems.append(f"/{name}: {'private' if private else 'PUBLIC'} {text!r}")
    assert problems == []
    assert await database_rows(bot) == before
    assert len(await sim.channel_messages(sim.guild("alpha").channel("briefings"))) == posted_before
