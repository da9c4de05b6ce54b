"""Watch names in any script, compared as shown: the real bot and the local Bot API server
(which checks the HTML of every message and the size of every button's data)."""

from __future__ import annotations

import pytest

from tests.conftest import OWNER_ID, running_bot

NAMES = ["عربي", "日本語", "Ελληνικά", "🚀 Lancement", "a<>b", "A&B", "👩‍💻 Tech & Co"]


@pytest.fixture
async def watching_bot(settings, tg):
    async with running_bot(settings, tg) as running:
        yield running


async def test_names_in_any_script_with_emoji_and_punctuation_are_watches_of_their_own(watching_bot, tg):
    store = watching_bot.services.store
    owner = tg.user(OWNER_ID)
    for name in NAMES:
        created = await tg.ask(owner, f'/watch add "{name}" fnac')
        assert created["text"].startswith(f"Veille {name} créée : fnac\n"), created["text"]
    watches = await store.watches.all()
    assert sorted(w.name for w in watches) == sorted(NAMES)
    assert all(w.id.isascii() and len(w.id) <= 32 for w in watches)

    listing = await tg.ask(owner, "/watch")
    assert "• a<>b — fnac — 0 en 24 h · suivie ✓" in listing["text"]  # escaped in the HTML, shown as typed
    assert "• A&B — fnac — 0 en 24 h · suivie ✓" in listing["text"]
    await tg.press(owner, listing, "Voir 日本語")  # buttons carry the watch's id: within Telegram's 64 bytes
    [shown] = await tg.wait_for_messages(OWNER_ID, 1)
    assert shown["text"].startswith("日本語 — fnac")
    await tg.press(owner, listing, "Ne plus suivre 👩‍💻 Tech & Co")
    await tg.wait_for_edit(OWNER_ID, listing["message_id"])
    [tech] = [w for w in watches if w.name == "👩‍💻 Tech & Co"]
    assert await store.watches.followed(OWNER_ID) == {w.id for w in watches} - {tech.id}

    tg.clear(OWNER_ID)
    assert (await tg.ask(owner, "/watch ελληνικά"))["text"].startswith("Ελληνικά — fnac")  # case does not matter
    again = await tg.ask(owner, "/watch add a<>B darty")
    assert again["text"] == "Une veille « a<>b » existe déjà : /watch a<>b pour la voir."
    confirm = await tg.ask(owner, "/watch rm A&B")
    assert confirm["text"].startswith("Supprimer la veille A&B et ce qu’elle a collecté ?")
    await tg.press(owner, confirm, "Supprimer")
    assert (await tg.wait_for_edit(OWNER_ID, confirm["message_id"]))["text"] == "Veille A&B supprimée."
    assert (await tg.ask(owner, "/watch a<>b"))["text"].startswith("a<>b — fnac")  # the other one stays


async def test_a_name_is_found_without_its_accents_when_only_one_matches(watching_bot, tg):
    owner = tg.user(OWNER_ID, language_code="en")
    await tg.ask(owner, "/watch add Société fnac")
    assert (await tg.ask(owner, "/watch societe"))["text"].startswith("Société — fnac")
    created = await tg.ask(owner, "/watch add Societe darty")  # another name as shown: another watch
    assert created["text"].startswith("Watch Societe created: darty")
    assert (await tg.ask(owner, "/watch SOCIETE"))["text"].startswith("Societe — darty")
    assert (await tg.ask(owner, "/watch société"))["text"].startswith("Société — fnac")


async def test_names_without_anything_to_show_are_refused_with_the_reason(watching_bot, tg):
    owner = tg.user(OWNER_ID, language_code="en")
    for name in ["a\u200bb", "---", "x" * 41]:
        refused = await tg.ask(owner, f'/watch add "{name}" fnac')
        assert refused["text"].startswith(f"Invalid watch name: “{name}” (40 characters at most: letters of any script")
    assert await watching_bot.services.store.watches.all() == []
