"""The read commands end to end: real bot process, real discord.py, the local Discord simulator."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.discord_sim import DiscordSimulator
from tests.discord_sim.bot_process import BotLauncher, BotProcess
from tests.e2e.helpers import button, buttons, callbacks, embed_text


async def test_position_answers_publicly_with_sources_and_dates(
    sim: DiscordSimulator, bot: BotProcess
) -> None:
    """/position actor:russia: a public embed with stances, dated lines and source links; the entry
    ids are in its "Open an entry…" menu, not in the text. One callback answers it, asking for no
    copy of the message back (the bot does not read one)."""
    handle = await sim.invoke_command("alpha", "member", "position", {"actor": "russia"})
    response = await handle.response()
    assert response.type_name == "CHANNEL_MESSAGE_WITH_SOURCE"
    assert response.message is not None and not response.message.ephemeral
    text = embed_text(response.message)
    assert "Russia" in response.message.embeds[0]["title"]
    assert "](https://" in text
    assert "2025" in text
    assert "pos-russia-" not in text
    menu = [c for row in response.message.components for c in row.get("components", []) if c.get("type") == 3]
    assert any(o["value"].startswith("pos-russia-") for o in menu[0]["options"])
    assert response.message.pings == ()
    assert callbacks(sim, handle) == [({}, 204)]


async def test_position_alias_and_topic(sim: DiscordSimulator, bot: BotProcess) -> None:
    """An alias resolves (usa → United States) and topic narrows to one position."""
    handle = await sim.invoke_command(
        "alpha", "member", "position", {"actor": "usa", "topic": "nato-ukraine"}
    )
    message = (await handle.response()).message
    assert message is not None
    text = embed_text(message)
    assert "United States" in text
    assert "2025" in text


async def test_disputed_entry_is_visibly_marked(sim: DiscordSimulator, bot: BotProcess) -> None:
    """A disputed entry shows the disputed marker and its correction."""
    handle = await sim.invoke_command("alpha", "member", "search", {"query": "Vilnius irreversible"})
    message = (await handle.response()).message
    assert message is not None
    assert "isputed" in embed_text(message)


async def test_unknown_actor_gets_private_suggestions(sim: DiscordSimulator, bot: BotProcess) -> None:
    """A typo gets an ephemeral reply naming the closest actors; nothing public."""
    response = await (await sim.invoke_command("alpha", "member", "position", {"actor": "rusia"})).response()
    assert response.message is not None and response.message.ephemeral
    assert "russia" in response.message.content
    assert "rusia" in response.message.content


async def test_a_word_in_several_topic_titles_asks_which_privately(
    sim: DiscordSimulator, bot: BotProcess
) -> None:
    """/timeline topic:ukraine: "Ukraine" is in four topics' titles, so the member is asked which,
    privately, each with the slug to give; a word of one title (`war`) opens that topic."""
    response = await (
        await sim.invoke_command("alpha", "member", "timeline", {"topic": "ukraine"})
    ).response()
    assert response.message is not None and response.message.ephemeral and not response.message.embeds
    text = response.message.content
    assert "Which one?" in text
    for slug in ("peacekeepers", "military-aid", "russia-ukraine-war", "security-guarantees"):
        assert f"`{slug}`" in text
    assert "`nato-ukraine`" not in text  # "Ukraine's" is not the word "ukraine"
    opened = await (await sim.invoke_command("alpha", "member", "timeline", {"topic": "war"})).response()
    assert opened.message is not None and not opened.message.ephemeral
    assert "Russia's war against Ukraine" in opened.message.embeds[0]["title"]


def _choice_menu(reply: Any) -> dict[str, str]:
    """The "Which one?" menu's options under an ask-which reply: label → value."""
    menus = [c for row in reply.components for c in row.get("components", []) if c.get("type") == 3]
    assert len(menus) == 1
    return {o["label"]: o["value"] for o in menus[0]["options"]}


async def test_brief_asks_which_topic_with_a_menu_and_a_pick_posts_that_brief(
    sim: DiscordSimulator, bot: BotProcess
) -> None:
    """/brief topic:ukraine: the member is asked which of the 4 topics, privately, with a menu;
    picking one posts that topic's brief in the channel, as the command would have."""
    reply = (
        await (await sim.invoke_command("alpha", "member", "brief", {"topic": "ukraine"})).response()
    ).message
    assert reply is not None and reply.ephemeral
    assert "is in the name of 4 topics. Which one?" in reply.content
    assert "Pick it below, or give its slug." in reply.content
    options = _choice_menu(reply)
    assert len(options) == 4
    label = "Military aid and intelligence for Ukraine (military-aid)"
    picked = await sim.select(reply, "open:choice", [options[label]], "member")
    answer = (await picked.response()).message
    assert answer is not None and not answer.ephemeral
    assert answer.embeds[0]["title"] == "📋 Briefing — Military aid and intelligence for Ukraine"
    assert answer.pings == ()


async def test_compare_asks_which_actor_and_keeps_the_other_options(
    sim: DiscordSimulator, bot: BotProcess
) -> None:
    """/compare actor_b:united: "United" is in two actors' names; picking United States compares
    Russia with it on the same topic."""
    options = {"topic": "nato-ukraine", "actor_a": "russia", "actor_b": "united"}
    reply = (await (await sim.invoke_command("alpha", "member", "compare", options)).response()).message
    assert reply is not None and reply.ephemeral
    assert "is in the name of 2 actors. Which one?" in reply.content
    choices = _choice_menu(reply)
    assert set(choices) == {"United Kingdom (united-kingdom)", "United States (united-states)"}
    picked = await sim.select(reply, "open:choice", [choices["United States (united-states)"]], "member")
    answer = (await picked.response()).message
    assert answer is not None and not answer.ephemeral
    assert answer.embeds[0]["title"] == "Russia vs United States — Ukraine's NATO membership"


async def test_map_asks_which_with_a_menu_and_a_pick_posts_that_map(
    sim: DiscordSimulator, bot: BotProcess
) -> None:
    """/map topics:"ukraine, nato-ukraine": the member is asked which of the 4 topics "ukraine"
    is; picking one posts the map of that topic and NATO membership, in that order."""
    reply = (
        await (
            await sim.invoke_command("alpha", "member", "map", {"topics": "ukraine, nato-ukraine"})
        ).response()
    ).message
    assert reply is not None and reply.ephemeral
    options = _choice_menu(reply)
    assert len(options) == 4
    picked = await sim.select(
        reply, "open:choice", [options["Foreign troops in Ukraine after a deal (peacekeepers)"]], "member"
    )
    answer = (await picked.response()).message
    assert answer is not None and not answer.ephemeral
    text = embed_text(answer)
    assert "T1 Foreign troops in Ukraine after a deal" in text and "T2 Ukraine's NATO membership" in text
    assert [a.filename for a in answer.attachments] == ["stance-map.png"]


async def test_a_name_list_a_menu_cannot_carry_asks_which_in_text_only(
    sim: DiscordSimulator, bot: BotProcess
) -> None:
    """/map topics:"ukraine, NATO membership": the other name is not a slug, so no menu option can
    carry the map; the ask-which reply lists the topics with their slugs and says to give one."""
    options = {"topics": "ukraine, NATO membership"}
    reply = (await (await sim.invoke_command("alpha", "member", "map", options)).response()).message
    assert reply is not None and reply.ephemeral and not reply.components
    assert "is in the name of 4 topics. Which one?" in reply.content
    assert "`military-aid`" in reply.content
    assert "Give its slug, or pick it from the list as you type." in reply.content


async def test_the_ask_which_reply_offers_each_candidate_and_a_pick_answers_in_the_channel(
    sim: DiscordSimulator, bot: BotProcess
) -> None:
    """Under "`ukraine` is in the name of 4 topics", a menu names each topic; picking one posts
    that topic's /timeline in the channel, as the command would have, with its page buttons."""
    reply = (
        await (await sim.invoke_command("alpha", "member", "timeline", {"topic": "ukraine"})).response()
    ).message
    assert reply is not None and reply.ephemeral
    menus = [c for row in reply.components for c in row.get("components", []) if c.get("type") == 3]
    assert len(menus) == 1
    labels = {o["label"]: o["value"] for o in menus[0]["options"]}
    assert "Military aid and intelligence for Ukraine (military-aid)" in labels
    assert len(labels) == 4
    assert "Pick it below, or give its slug." in reply.content
    picked = await sim.select(
        reply,
        menus[0]["custom_id"],
        [labels["Military aid and intelligence for Ukraine (military-aid)"]],
        "member",
    )
    answer = (await picked.response()).message
    assert answer is not None and not answer.ephemeral
    assert "Military aid and intelligence for Ukraine" in answer.embeds[0]["title"]
    assert answer.pings == ()


async def test_timeline_pages_with_buttons(sim: DiscordSimulator, bot: BotProcess) -> None:
    """/timeline shows page 1 with Previous disabled; Next edits the message to page 2 in place
    (one callback, asking for no copy of the message back)."""
    handle = await sim.invoke_command("alpha", "member", "timeline", {"topic": "nato-ukraine"})
    first = (await handle.response()).message
    assert first is not None
    assert "Page 1/" in embed_text(first)
    assert button(first, "Previous").get("disabled") is True
    click = await sim.click(first, button(first, "Next")["custom_id"], "admin")
    response = await click.response()
    assert response.type_name == "UPDATE_MESSAGE"
    assert callbacks(sim, click) == [({}, 204)]
    updated = await handle.original()
    assert "Page 2/" in embed_text(updated)
    assert embed_text(updated) != embed_text(first)


async def test_timeline_dates_at_precision_and_in_order(sim: DiscordSimulator, bot: BotProcess) -> None:
    """Events are in date order; a year-only filter keeps events of that year only."""
    handle = await sim.invoke_command(
        "alpha", "member", "timeline", {"topic": "nato-ukraine", "since": "2025", "until": "2025"}
    )
    message = (await handle.response()).message
    assert message is not None
    names = [str(f.get("name") or "") for f in message.embeds[0].get("fields") or []]
    dates = [name.removeprefix("⚠️ ").split(" · ")[0] for name in names]
    assert dates
    assert all(d.strip().endswith("2025") for d in dates)
    assert "Filtered" in embed_text(message)


async def test_timeline_bad_date_names_the_option(sim: DiscordSimulator, bot: BotProcess) -> None:
    """A malformed since gets an ephemeral message naming 'since'."""
    handle = await sim.invoke_command(
        "alpha", "member", "timeline", {"topic": "nato-ukraine", "since": "March"}
    )
    response = await handle.response()
    assert response.message is not None and response.message.ephemeral
    assert "since" in response.message.content


async def test_brief_one_screen(sim: DiscordSimulator, bot: BotProcess) -> None:
    """/brief: the topic's summary, one line per actor's stance, latest events."""
    message = (
        await (await sim.invoke_command("alpha", "member", "brief", {"topic": "peacekeepers"})).response()
    ).message
    assert message is not None and len(message.embeds) == 1
    text = embed_text(message)
    for actor in ("Russia", "United Kingdom", "France"):
        assert actor in text


async def test_compare_side_by_side(sim: DiscordSimulator, bot: BotProcess) -> None:
    """/compare: two inline fields, one per actor."""
    handle = await sim.invoke_command(
        "alpha", "member", "compare", {"topic": "peacekeepers", "actor_a": "uk", "actor_b": "russia"}
    )
    message = (await handle.response()).message
    assert message is not None
    fields = message.embeds[0]["fields"]
    assert [f["inline"] for f in fields[:2]] == [True, True]
    assert "United Kingdom" in fields[0]["name"] + fields[0]["value"]
    assert "Russia" in fields[1]["name"] + fields[1]["value"]


async def test_search_ranked_results(sim: DiscordSimulator, bot: BotProcess) -> None:
    """/search finds events and positions by words, with their ids."""
    message = (
        await (await sim.invoke_command("alpha", "member", "search", {"query": "Bucharest"})).response()
    ).message
    assert message is not None
    assert "Bucharest" in embed_text(message)
    assert "`" in embed_text(message)


async def test_search_echo_carries_no_invisible_controls(sim: DiscordSimulator, bot: BotProcess) -> None:
    """A query with U+202E (and other bidi/invisible controls) is echoed without them (issue 11.10)."""
    hostile = "\u202eBucharest\u2066\u200f summit\u2069"
    for query in (hostile, hostile.replace("Bucharest", "zzqxv")):  # results, and "nothing matches"
        message = (
            await (await sim.invoke_command("alpha", "member", "search", {"query": query})).response()
        ).message
        assert message is not None and not message.ephemeral
        shown = embed_text(message)
        assert "summit" in shown
        assert not any(c in shown for c in "\u202e\u2066\u200f\u2069")


async def test_entry_in_full_with_history(sim: DiscordSimulator, bot: BotProcess) -> None:
    """/entry for a position lists its sources and the earlier statements of that actor on that topic."""
    handle = await sim.invoke_command(
        "alpha", "member", "entry", {"id": "pos-russia-peacekeepers-2025-03-27"}
    )
    message = (await handle.response()).message
    assert message is not None
    text = embed_text(message)
    assert "](https://" in text
    assert "2025" in text
    assert "Earlier statements (" in text  # the older statements of Russia on peacekeepers


async def test_unknown_entry_suggests_ids(sim: DiscordSimulator, bot: BotProcess) -> None:
    """An unknown id gets an ephemeral reply suggesting similar ids."""
    response = await (
        await sim.invoke_command("alpha", "member", "entry", {"id": "pos-russia-peacekeepers-2099"})
    ).response()
    assert response.message is not None and response.message.ephemeral
    assert "pos-russia-peacekeepers-" in response.message.content


async def test_actors_and_topics_lists(sim: DiscordSimulator, bot: BotProcess) -> None:
    """/actors and /topics list the store's contents."""
    actors = (await (await sim.invoke_command("alpha", "member", "actors")).response()).message
    topics = (await (await sim.invoke_command("alpha", "member", "topics")).response()).message
    assert actors is not None and topics is not None
    for name in ("Russia", "NATO", "United States", "United Kingdom", "France", "European Union", "Ukraine"):
        assert name in embed_text(actors)
    for title in (
        "Peace talks and ceasefire",
        "Ukraine's NATO membership",
        "Security guarantees for Ukraine",
    ):
        assert title in embed_text(topics)


async def test_autocomplete_ranked_and_bounded(sim: DiscordSimulator, bot: BotProcess) -> None:
    """Actor autocomplete: aliases work, prefix matches first, never more than 25 choices."""
    choices = await sim.autocomplete("alpha", "member", "position", {"actor": "usa"}, focused="actor")
    assert choices[0]["value"] == "united-states"
    choices = await sim.autocomplete("alpha", "member", "position", {"actor": "u"}, focused="actor")
    assert {c["value"] for c in choices[:3]} >= {"ukraine", "united-kingdom", "united-states"}
    choices = await sim.autocomplete("alpha", "member", "position", {"actor": ""}, focused="actor")
    assert 7 <= len(choices) <= 25
    topics = await sim.autocomplete("alpha", "member", "timeline", {"topic": "peace"}, focused="topic")
    assert topics[0]["value"] in ("peace-talks", "peacekeepers")
    typed = await sim.autocomplete_interaction(
        "alpha", "member", "position", {"actor": "ru"}, focused="actor"
    )
    assert [c["value"] for c in (await typed.response()).choices or []][:1] == ["russia"]
    assert callbacks(sim, typed) == [({}, 204)]  # one answer, no copy of it asked back


async def test_many_concurrent_commands_all_answered(sim: DiscordSimulator, bot: BotProcess) -> None:
    """Fifty commands at once: every one answered in time (no 'application did not respond')."""
    handles = await asyncio.gather(
        *(
            sim.invoke_command("beta", "member", "position", {"actor": a})
            for a in ["russia", "nato", "uk", "eu", "france"] * 10
        )
    )
    responses = await asyncio.gather(*(h.response() for h in handles))
    assert all(r.type_name == "CHANNEL_MESSAGE_WITH_SOURCE" for r in responses)
    assert max(r.elapsed for r in responses) < 3.0


async def test_page_buttons_work_after_restart(sim: DiscordSimulator, bot_factory: BotLauncher) -> None:
    """A timeline's Next button still works after the bot process restarts."""
    first_bot = await bot_factory.astart()
    handle = await sim.invoke_command("alpha", "member", "timeline", {"topic": "nato-ukraine"})
    first = (await handle.response()).message
    assert first is not None and buttons(first)
    await asyncio.to_thread(bot_factory.restart, first_bot)
    click = await sim.click(first, button(first, "Next")["custom_id"], "member")
    assert (await click.response()).type_name == "UPDATE_MESSAGE"
    assert "Page 2/" in embed_text(await handle.original())
