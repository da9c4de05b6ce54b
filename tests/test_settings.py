"""/settings end to end: buttons, typed values, idempotent presses, old messages after a restart;
an owner's cooling-off, and the posts it holds back."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from bot.callbacks import Page, SetCooling, SetCoolingDefault, SetLanguage, SettingsMenu, encode
from bot.roles import Role
from tests.conftest import OWNER_ID, RunningBot, acting_bot, button_data, wait_until
from tests.fakes.x_api import FakeX

DELEGATE_ID = 4343
OTHER_OWNER_ID = 222333


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
    query = await tg.press(owner, zones, "Londres / London")
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


async def test_a_city_is_a_time_zone_when_typed_as_when_pressed(bot, tg, services):
    owner = tg.user(OWNER_ID)
    for typed, zone in [
        ("paris", "Europe/Paris"),  # a button's city
        ("GENÈVE", "Europe/Zurich"),
        ("montreal", "America/Toronto"),
        ("Montréal", "America/Toronto"),
        ("new york", "America/New_York"),  # a zone's last part, with or without its underscore
        ("new_york", "America/New_York"),
        ("São Paulo", "America/Sao_Paulo"),
        ("Europe/Lisbon", "Europe/Lisbon"),
    ]:
        answer = await tg.ask(owner, f"/settings fuseau {typed}")
        assert f"Fuseau : {zone} ·" in answer["text"], typed
        assert (await services.store.users.get(OWNER_ID)).timezone == zone
    refused = await tg.ask(owner, "/settings fuseau Atlantide")
    assert refused["text"] == (
        "Fuseau horaire inconnu : Atlantide. Tapez une ville ou un fuseau, par exemple /settings fuseau Paris "
        "ou /settings fuseau Europe/Paris."
    )
    english = await tg.ask(tg.user(OWNER_ID), "/settings language en")
    assert "Time zone: Europe/Lisbon" in english["text"]
    assert "Time zone: Asia/Tokyo ·" in (await tg.ask(owner, "/settings timezone tokyo"))["text"]


async def test_briefing_days_are_typed_as_a_list_a_range_or_a_word(bot, tg, services):
    owner = tg.user(OWNER_ID)
    for typed, shown, days in [
        ("lun,mer,ven", "lun, mer, ven", {1, 3, 5}),
        ("mon, wed, fri", "lun, mer, ven", {1, 3, 5}),
        ("Lundi-Jeudi", "lun, mar, mer, jeu", {1, 2, 3, 4}),
        ("sam-lun", "lun, sam, dim", {1, 6, 7}),  # a range may wrap round the week
        ("tous", "tous les jours", set(range(1, 8))),
        ("semaine", "du lundi au vendredi", set(range(1, 6))),
        ("every day", "tous les jours", set(range(1, 8))),
        ("weekdays", "du lundi au vendredi", set(range(1, 6))),
    ]:
        answer = await tg.ask(owner, f"/settings jours {typed}")
        assert f"Briefing : 07:30, {shown} ·" in answer["text"], typed
        assert (await services.store.users.get(OWNER_ID)).briefing_days == days
    refused = await tg.ask(owner, "/settings jours lun,mercredi,vendrdi")
    assert refused["text"].startswith("Jours incompris : lun,mercredi,vendrdi. Exemples : /settings jours lun,mer,ven")
    await tg.ask(owner, "/settings language en")
    answer = await tg.ask(owner, "/settings days mon-wed")
    assert "Briefing: 07:30, Mon, Tue, Wed ·" in answer["text"]


async def test_any_time_may_be_typed_and_the_screens_say_so(bot, tg, services):
    owner = tg.user(OWNER_ID)
    for typed, time in [
        ("6h15", "06:15"),
        ("18:00", "18:00"),
        ("6:15", "06:15"),
        ("6h", "06:00"),
        ("21 h 40", "21:40"),
    ]:
        answer = await tg.ask(owner, f"/settings heure {typed}")
        assert f"Briefing : {time}," in answer["text"], typed
        assert (await services.store.users.get(OWNER_ID)).briefing_time == time
    assert answer["text"].endswith("Tout se tape aussi, par exemple /settings heure 18h10 : /help settings.")
    await tg.press(owner, answer, "Heure du briefing")
    hours = await tg.wait_for_edit(OWNER_ID, answer["message_id"])
    assert hours["text"] == (
        "À quelle heure voulez-vous votre briefing ? (actuel : 21:40)\n"
        "Une autre heure, à la minute près : tapez-la, par exemple /settings heure 18h10."
    )
    await tg.ask(owner, "/settings language en")
    assert "Briefing: 18:00," in (await tg.ask(owner, "/settings time 6pm"))["text"]


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


# ---------------------------------------------------------------- an owner's cooling-off


async def test_an_owner_picks_their_cooling_off_with_buttons(bot, tg, services):
    owner = tg.user(OWNER_ID)
    screen = await _settings_screen(tg, owner)
    assert "Délai avant publication : 1 min (par défaut)" in screen["text"]  # VIGIE_COOLING_OFF, 60 s
    await tg.press(owner, screen, "⏳ Délai avant publication")
    choices = await tg.wait_for_edit(OWNER_ID, screen["message_id"])
    assert "Actuel : 1 min (par défaut)." in choices["text"]
    labels = [b["text"] for row in choices["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["0 s", "30 s", "1 min", "2 min", "5 min", "10 min", "✅ 1 min (par défaut)", "‹ Retour"]
    query = await tg.press(owner, choices, "2 min")
    assert (await tg.wait_for_answer(query))["text"] == "Enregistré ✅"
    summary = await tg.wait_for_edit(OWNER_ID, screen["message_id"])
    assert "Délai avant publication : 2 min" in summary["text"]
    assert (await services.store.users.get(OWNER_ID)).cooling_off == 120
    # Back to Vigie's default (-1), which stays possible.
    await tg.press(owner, summary, "⏳ Délai avant publication")
    choices = await tg.wait_for_edit(OWNER_ID, screen["message_id"])
    assert "✅ 2 min" in [b["text"] for row in choices["reply_markup"]["inline_keyboard"] for b in row]
    await tg.press(owner, choices, "1 min (par défaut)")
    summary = await tg.wait_for_edit(OWNER_ID, screen["message_id"])
    assert "Délai avant publication : 1 min (par défaut)" in summary["text"]
    assert (await services.store.users.get(OWNER_ID)).cooling_off == -1


async def test_typed_cooling_off_is_checked_in_the_members_language(bot, tg, services):
    owner = tg.user(OWNER_ID)
    for text, expected in [
        ("/settings délai 2min", "Délai avant publication : 2 min"),
        ("/settings delai 1 min 30", "Délai avant publication : 1 min 30 s"),
        ("/settings cooling 0", "Délai avant publication : 0 s"),
        (
            "/settings délai 5",
            "5 secondes ou 5 minutes ? Précisez l’unité : /settings délai 5s ou /settings délai 5min.",
        ),
        ("/settings délai 11min", "Délai hors limites : 11min. Le délai avant publication va de 0 à 10 minutes."),
        ("/settings délai -30s", "Délai hors limites : -30s."),
        ("/settings délai bientôt", "Délai incompris : bientôt. Exemples : /settings délai 90s"),
        ("/settings délai", "Quel délai avant publication ? Par exemple /settings délai 90s"),
        ("/settings délai 90s", "Délai avant publication : 1 min 30 s"),
    ]:
        await tg.send_text(owner, text)
        [answer] = await tg.wait_for_messages(OWNER_ID, 1)
        assert expected in answer["text"], text
    assert (await services.store.users.get(OWNER_ID)).cooling_off == 90
    await tg.send_text(owner, "/settings couleur bleu")
    [usage] = await tg.wait_for_messages(OWNER_ID, 1)
    assert "/settings délai 2min (délai avant publication de vos posts, de 0 à 10 min" in usage["text"]
    await tg.send_text(owner, "/settings language en")
    await tg.wait_for_messages(OWNER_ID, 1)
    for text, expected in [
        ("/settings cooling 20min", "Delay out of range: 20min. The delay before posting is 0 to 10 minutes."),
        ("/settings cooling 45", "45 seconds or 45 minutes? Say the unit"),
        ("/settings cooling default", "Delay before posting: 1 min (default)"),
    ]:
        await tg.send_text(owner, text)
        [answer] = await tg.wait_for_messages(OWNER_ID, 1)
        assert expected in answer["text"], text
    assert (await services.store.users.get(OWNER_ID)).cooling_off == -1


async def test_delegates_and_readers_have_no_cooling_off(bot, tg, services):
    await services.store.team.grant(DELEGATE_ID, Role.DELEGATE)
    delegate = tg.user(DELEGATE_ID)
    screen = await _settings_screen(tg, delegate)
    assert "Délai" not in screen["text"]
    labels = [b["text"] for row in screen["reply_markup"]["inline_keyboard"] for b in row]
    assert "⏳ Délai avant publication" not in labels
    await tg.send_text(delegate, "/settings délai 0")
    [refused] = await tg.wait_for_messages(DELEGATE_ID, 1)
    assert refused["text"] == "Cette action est réservée aux propriétaires."
    await tg.send_text(delegate, "/settings couleur bleu")
    [usage] = await tg.wait_for_messages(DELEGATE_ID, 1)
    assert "délai" not in usage["text"]
    # Forged buttons change nothing: the role is checked on every press.
    for forged in (SetCooling(0), SetCoolingDefault(), SettingsMenu(Page.COOLING)):
        query = await tg.press_data(delegate, screen["message_id"], encode(forged))
        assert (await tg.wait_for_answer(query))["text"] == "Cette action est réservée aux propriétaires."
    assert (await services.store.users.get(DELEGATE_ID)).cooling_off == -1
    assert tg.messages(DELEGATE_ID)[0]["text"] == screen["text"]


# ---------------------------------------------------------------- the posts it holds back

ACCOUNT = "vigie_owner"


@contextlib.asynccontextmanager
async def _posting(settings, tg) -> AsyncIterator[tuple[RunningBot, FakeX]]:
    """The bot and a worker posting to the local X server, VIGIE_COOLING_OFF at 10 minutes."""
    async with FakeX() as x:
        x.add_user(ACCOUNT, "Vigie Owner")
        owners = frozenset({OWNER_ID, OTHER_OWNER_ID})
        async with acting_bot(settings, tg, x, cooling_off=600, owner_ids=owners) as running:
            yield running, x


def _now(tg, chat_id: int, message_id: int) -> str:
    return next(m for m in tg.messages(chat_id) if m["message_id"] == message_id).get("text", "")


async def test_an_owner_with_no_cooling_off_posts_at_once(settings, tg):
    async with _posting(settings, tg) as (_, x):
        owner = tg.user(OWNER_ID)
        assert "Délai avant publication : 0 s" in (await tg.ask(owner, "/settings délai 0"))["text"]
        preview = await tg.ask(owner, "/post Ouverture exceptionnelle dimanche")
        await tg.press(owner, preview, "✅ Publier")
        # VIGIE_COOLING_OFF is 10 minutes: only the owner's 0 s lets it go now.
        await wait_until(lambda: _now(tg, OWNER_ID, preview["message_id"]).startswith("✅ Publié sur X"), timeout=30)
        assert [p["text"] for p in x.posts_by(ACCOUNT)] == ["Ouverture exceptionnelle dimanche"]


async def test_the_countdown_shows_the_owners_own_cooling_off(settings, tg):
    async with _posting(settings, tg) as (bot, x):
        owner = tg.user(OWNER_ID)
        await tg.ask(owner, "/settings délai 2min")
        preview = await tg.ask(owner, "/post Nos horaires d’été")
        await tg.press(owner, preview, "✅ Publier")
        countdown = await tg.wait_for_edit(OWNER_ID, preview["message_id"])
        assert "⏳ Publication dans 120 s" in countdown["text"]
        draft_id = countdown["reply_markup"]["inline_keyboard"][0][0]["callback_data"].split(":")[2]
        draft = await bot.services.store.posting.get(draft_id)
        assert round(draft.send_at - draft.updated) == 120
        await tg.press(owner, countdown, "↩️ Annuler la publication")
        await wait_until(lambda: _now(tg, OWNER_ID, preview["message_id"]).startswith("↩️"))
        assert x.count("create_post") == 0


async def test_an_approval_waits_the_approving_owners_cooling_off(settings, tg, services):
    await services.store.team.grant(DELEGATE_ID, Role.DELEGATE)
    async with _posting(settings, tg) as (_, x):
        owner, other = tg.user(OWNER_ID, "Anne"), tg.user(OTHER_OWNER_ID, "Claire")
        await tg.ask(owner, "/settings délai 30s")
        await tg.ask(other, "/help")
        delegate = tg.user(DELEGATE_ID, "Marc")
        preview = await tg.ask(delegate, "/post Merci pour vos messages")
        await tg.press(delegate, preview, "📤 Envoyer pour validation")
        [asked] = await tg.wait_for_messages(OWNER_ID, 1)
        await tg.press(owner, asked, "✅ Approuver")
        countdown = await tg.wait_for_edit(OWNER_ID, asked["message_id"])
        assert "⏳ Publication dans 30 s" in countdown["text"]
        told = await tg.wait_for_messages(DELEGATE_ID, 1)
        assert told[-1]["text"] == "✅ Anne a approuvé votre brouillon : publication dans 30 s."
        await tg.press(owner, countdown, "↩️ Annuler la publication")
        await wait_until(lambda: _now(tg, OWNER_ID, asked["message_id"]).startswith("↩️"))
        assert x.count("create_post") == 0
