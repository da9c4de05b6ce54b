"""End to end: the real bot polling the local Bot API server, as users see it."""

from __future__ import annotations

import asyncio
import re

from pydantic import SecretStr

from bot.roles import Role
from bot.store import keys
from tests.conftest import OWNER_ID, acting_bot
from tests.fakes.x_api import FakeX


async def test_start_onboards_in_french_by_default(bot, tg, services):
    owner = tg.user(OWNER_ID, "Claire", language_code=None)
    await tg.send_text(owner, "/start")
    [welcome] = await tg.wait_for_messages(OWNER_ID, 1)
    assert "Je suis Vigie" in welcome["text"]
    assert "Fuseau : Europe/Paris" in welcome["text"]
    assert "Briefing : 07:30, tous les jours" in welcome["text"]
    assert welcome["reply_markup"]["inline_keyboard"][0][0]["text"] == "⚙️ Réglages"
    profile = await services.store.users.get(OWNER_ID)
    assert (profile.language, profile.timezone, profile.briefing_time) == ("fr", "Europe/Paris", "07:30")
    assert profile.first_name == "Claire"


async def test_start_answers_in_english_for_an_english_telegram(bot, tg):
    owner = tg.user(OWNER_ID, "John", language_code="en-GB")
    await tg.send_text(owner, "/start")
    [welcome] = await tg.wait_for_messages(OWNER_ID, 1)
    assert "I am Vigie" in welcome["text"]
    assert "Time zone: Europe/Paris" in welcome["text"]


async def test_help_lists_the_commands_of_the_senders_role(bot, tg, services):
    reader_id = 222
    await services.store.team.grant(reader_id, Role.READER)
    owner, reader = tg.user(OWNER_ID), tg.user(reader_id, language_code="en")
    await tg.send_text(owner, "/help")
    await tg.send_text(reader, "/help")
    [owner_help] = await tg.wait_for_messages(OWNER_ID, 1)
    [reader_help] = await tg.wait_for_messages(reader_id, 1)
    assert "/team" in owner_help["text"] and "propriétaire" in owner_help["text"]
    assert "/settings" in reader_help["text"] and "reader" in reader_help["text"]
    assert "/team" not in reader_help["text"]


async def test_command_menu_is_registered_in_french_and_english(bot, tg):
    french = {c["command"]: c["description"] for c in tg.commands("fr")}
    english = {c["command"]: c["description"] for c in tg.commands("en")}
    assert (
        set(french)
        == set(english)
        == {"start", "help", "briefing", "settings", "watch", "feed", "trends", "alert", "alerts"}
    )
    assert french["settings"].startswith("Langue") and english["settings"].startswith("Language")
    assert {c["command"] for c in tg.commands("")} == {
        "start",
        "help",
        "briefing",
        "settings",
        "watch",
        "feed",
        "trends",
        "alert",
        "alerts",
    }


async def test_a_stranger_is_told_once_and_nothing_else_is_kept(bot, tg, services):
    stranger = tg.user(999, "Eve", language_code="en")
    await tg.send_text(stranger, "/start")
    [answer] = await tg.wait_for_messages(999, 1)
    assert "by invitation only" in answer["text"]
    await tg.send_text(stranger, "/settings")
    await tg.send_text(stranger, "hello?")
    # The owner's reply proves the bot went on working; the stranger got nothing more.
    await tg.send_text(tg.user(OWNER_ID), "/help")
    await tg.wait_for_messages(OWNER_ID, 1)
    await asyncio.sleep(0.3)
    assert len(tg.messages(999)) == 1
    stored = [k async for k in services.store.redis.scan_iter("*999*") if k != keys.pacing_chat(999)]
    assert stored == [keys.stranger(999)]  # and the time of the next message allowed, for a second


async def test_unknown_command_and_plain_text_get_a_clear_answer(bot, tg):
    owner = tg.user(OWNER_ID)
    await tg.send_text(owner, "/frobnicate now")
    [unknown] = await tg.wait_for_messages(OWNER_ID, 1)
    assert "Commande inconnue : /frobnicate" in unknown["text"] and "/help" in unknown["text"]
    await tg.send_text(owner, "bonjour")
    [text] = await tg.wait_for_messages(OWNER_ID, 1)
    assert "Je ne comprends que les commandes" in text["text"]


async def test_a_forged_or_unknown_button_is_refused_politely(bot, tg):
    owner = tg.user(OWNER_ID)
    await tg.send_text(owner, "/help")
    [message] = await tg.wait_for_messages(OWNER_ID, 1)
    for data in ("zzz:1", "set:tz:Mars/Olympus", "set:days:9", "team:grant:king:5"):
        query = await tg.press_data(owner, message["message_id"], data)
        answer = await tg.wait_for_answer(query)
        assert answer["text"] == "Ce bouton n’est plus valable." and answer["show_alert"]


async def test_an_error_inside_a_handler_reaches_the_user_as_one_sentence(bot, tg, services, caplog):
    # Corrupt state (a broken profile) makes the handler fail: the log gets the traceback.
    await services.store.redis.hset(
        keys.user(OWNER_ID), mapping={"language": "en", "timezone": "Europe/Paris", "briefing_days": "x"}
    )
    await tg.send_text(tg.user(OWNER_ID, language_code="en"), "/settings")
    [answer] = await tg.wait_for_messages(OWNER_ID, 1)
    assert answer["text"] == "Sorry, something went wrong on my side. Please try again in a moment."
    assert "Traceback" in caplog.text or any(r.exc_info or r.exc_text for r in caplog.records)


async def test_a_telegram_outage_while_editing_is_reported_in_the_chat(bot, tg):
    owner = tg.user(OWNER_ID)
    await tg.send_text(owner, "/settings")
    [screen] = await tg.wait_for_messages(OWNER_ID, 1)
    tg.fail_next("editMessageText", 502)
    await tg.press(owner, screen, "Langue")
    [apology] = await tg.wait_for_messages(OWNER_ID, 1)
    assert apology["text"].startswith("Désolé, un incident")


async def test_start_promises_only_what_is_configured(bot, tg, services):
    """Without X tokens: the feeds are watched, X is said not configured, posting is not
    promised, and /post says why it cannot be used."""
    owner = tg.user(OWNER_ID)
    welcome = await tg.ask(owner, "/start")
    assert "flux d’actualité" in welcome["text"] and "X n’est pas configurée" in welcome["text"]
    assert "publie" not in welcome["text"] and "/alert" in welcome["text"]
    refused = await tg.ask(owner, "/post Bonjour")
    assert "compte X de Vigie" in refused["text"] and "n’est pas configuré" in refused["text"]


async def test_start_promises_posting_to_those_who_can_post(settings, tg):
    async with FakeX() as x, acting_bot(settings, tg, x, x_bearer_token=SecretStr(x.bearer_token)) as running:
        store = running.services.store
        await store.team.grant(501, Role.DELEGATE)
        await store.team.grant(502, Role.READER)
        owner = await tg.ask(tg.user(OWNER_ID), "/start")
        delegate = await tg.ask(tg.user(501, language_code="en"), "/start")
        reader = await tg.ask(tg.user(502), "/start")
    assert "tendances" in owner["text"]
    assert "Je publie pour vous sur X" in owner["text"]
    assert "You draft X posts that an owner approves" in delegate["text"]
    assert "publie" not in reader["text"] and "préparez" not in reader["text"]


async def test_an_empty_briefing_says_what_it_covered_and_when_the_next_comes(bot, tg, services):
    owner = tg.user(OWNER_ID)
    await tg.ask(owner, "/start")
    nothing = await tg.ask(owner, "/briefing")
    assert "Rien de nouveau : vous ne suivez aucune veille (/watch les liste, pour en suivre)." in nothing["text"]
    assert re.search(r"Prochain briefing : le \w+ \d+ \w+ à 07:30\.", nothing["text"]), nothing["text"]
    await tg.ask(owner, "/watch add Fnac fnac")
    await tg.ask(owner, "/watch add Darty darty")
    english = tg.user(OWNER_ID, language_code="en")
    await tg.ask(english, "/settings language en")
    await tg.ask(english, "/settings days none")
    nothing = await tg.ask(english, "/briefing")
    assert "Nothing new on your 2 watches.\nNo briefing is planned: choose days with /settings." in nothing["text"]
    assert "/watch" not in nothing["text"]
