"""/settings end to end: buttons, typed values, idempotent presses, old messages after a restart."""

from __future__ import annotations

from bot.callbacks import SetLanguage, encode
from tests.conftest import OWNER_ID, button_data


async def _settings_screen(tg, user) -> dict:
    await tg.send_text(user, "/settings")
    [screen] = await tg.wait_for_messages(user["id"], 1)
    return screen


async def test_time_zone_chosen_with_buttons_is_saved(bot, tg, services):
    owner = tg.user(OWNER_ID)
    screen = await _settings_screen(tg, owner)
    await tg.press(owner, screen, "Fuseau horaire")
    zones = await tg.wait_for_edit(OWNER_ID, screen["message_id"])
    assert "actuel : Europe/Paris" in zones["text"]
    query = await tg.press(owner, zones, "London")
    assert (await tg.wait_for_answer(query))["text"] == "Enregistré ✅"
    summary = await tg.wait_for_edit(OWNER_ID, screen["message_id"])
    assert "Fuseau : Europe/London" in summary["text"]
    assert (await services.store.users.get(OWNER_ID)).timezone == "Europe/London"


async def test_language_switch_changes_the_whole_screen(bot, tg, services):
    owner = tg.user(OWNER_ID)
    screen = await _settings_screen(tg, owner)
    await tg.press(owner, screen, "Langue")
    languages = await tg.wait_for_edit(OWNER_ID, screen["message_id"])
    await tg.press(owner, languages, "English")
    english = await tg.wait_for_edit(OWNER_ID, screen["message_id"])
    assert english["text"].startswith("Settings")
    assert [b["text"] for b in english["reply_markup"]["inline_keyboard"][0]] == ["Language", "Time zone"]
    await tg.send_text(owner, "/help")
    [help_text] = await tg.wait_for_messages(OWNER_ID, 1)
    assert help_text["text"].startswith("Vigie commands")


async def test_briefing_time_in_two_presses(bot, tg, services):
    owner = tg.user(OWNER_ID)
    screen = await _settings_screen(tg, owner)
    await tg.press(owner, screen, "Heure du briefing")
    hours = await tg.wait_for_edit(OWNER_ID, screen["message_id"])
    await tg.press(owner, hours, "08 h")
    minutes = await tg.wait_for_edit(OWNER_ID, screen["message_id"])
    await tg.press(owner, minutes, "08:45")
    summary = await tg.wait_for_edit(OWNER_ID, screen["message_id"])
    assert "Briefing : 08:45" in summary["text"]
    assert (await services.store.users.get(OWNER_ID)).briefing_time == "08:45"


async def test_day_buttons_set_a_state_so_a_double_press_does_no_harm(bot, tg, services):
    owner = tg.user(OWNER_ID)
    screen = await _settings_screen(tg, owner)
    await tg.press(owner, screen, "Jours du briefing")
    days = await tg.wait_for_edit(OWNER_ID, screen["message_id"])
    assert "tous les jours" in days["text"]
    await tg.press(owner, days, "✅ sam")
    after_first = await tg.wait_for_edit(OWNER_ID, screen["message_id"])
    assert "lun, mar, mer, jeu, ven, dim" in after_first["text"]
    # The same button pressed again from the old state of the message: same result, no error.
    query = await tg.press_data(owner, days["message_id"], button_data(days, "✅ sam"))
    assert (await tg.wait_for_answer(query))["text"] == "Enregistré ✅"
    assert (await services.store.users.get(OWNER_ID)).briefing_days == frozenset({1, 2, 3, 4, 5, 7})
    assert "lun, mar, mer, jeu, ven, dim" in tg.messages(OWNER_ID)[0]["text"]
    await tg.press(owner, after_first, "Semaine")
    weekdays = await tg.wait_for_edit(OWNER_ID, screen["message_id"])
    assert "du lundi au vendredi" in weekdays["text"]


async def test_typed_settings_are_checked(bot, tg, services):
    owner = tg.user(OWNER_ID)
    for text, expected in [
        ("/settings heure 25:00", "Heure invalide : 25:00"),
        ("/settings fuseau Mars/Olympus", "Fuseau horaire inconnu : Mars/Olympus"),
        ("/settings couleur bleu", "Utilisez les boutons de /settings"),
        ("/settings heure 6h45", "Briefing : 06:45"),
        ("/settings fuseau america/new_york", "Fuseau : America/New_York"),
    ]:
        await tg.send_text(owner, text)
        [answer] = await tg.wait_for_messages(OWNER_ID, 1)
        assert expected in answer["text"], text
    profile = await services.store.users.get(OWNER_ID)
    assert (profile.briefing_time, profile.timezone) == ("06:45", "America/New_York")


async def test_a_button_from_before_a_restart_still_works(bot, tg, services):
    owner = tg.user(OWNER_ID)
    screen = await _settings_screen(tg, owner)
    await tg.press(owner, screen, "Fuseau horaire")
    zones = await tg.wait_for_edit(OWNER_ID, screen["message_id"])
    await bot.stop()
    await bot.start()
    await tg.press(owner, zones, "Tokyo")
    summary = await tg.wait_for_edit(OWNER_ID, screen["message_id"])
    assert "Fuseau : Asia/Tokyo" in summary["text"]


async def test_a_huge_argument_is_answered_not_apologized_for(bot, tg, services):
    owner = tg.user(OWNER_ID)
    await tg.send_text(owner, "/settings fuseau " + "Europe/Nowhere" * 7500)  # about 100 KB
    [answer] = await tg.wait_for_messages(OWNER_ID, 1)
    assert answer["text"].startswith("Fuseau horaire inconnu : Europe/Nowhere")
    assert len(answer["text"]) < 1200


async def test_forged_buttons_with_other_digits_change_nothing(bot, tg, services):
    owner = tg.user(OWNER_ID)
    await tg.send_text(owner, "/settings")
    [screen] = await tg.wait_for_messages(OWNER_ID, 1)
    before = await services.store.users.get(OWNER_ID)
    for data in ("set:hour:٧", "set:days:١٢٣", "set:days:１２"):
        query = await tg.press_data(owner, screen["message_id"], data)
        assert (await tg.wait_for_answer(query))["text"] == "Ce bouton n’est plus valable."
    assert await services.store.users.get(OWNER_ID) == before


async def test_a_button_of_an_inline_message_gets_an_answer(bot, tg, services):
    owner = tg.user(OWNER_ID, language_code="en")
    query = await tg.press_inline(owner, encode(SetLanguage("en")))
    assert (await tg.wait_for_answer(query))["text"] == "This button is no longer valid."
    assert tg.messages(OWNER_ID) == []
