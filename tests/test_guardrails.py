"""/guardrails end to end: the subjects a post is warned about, grouped; owners add and remove
words and phrases, and /post's next preview warns accordingly; a reset asks once; delegates see
the list and change nothing, readers do not see it; bad input is answered with the usage."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr

from bot import guardrails, publishing
from bot.callbacks import GuardrailsReset, encode
from bot.config import Settings
from bot.roles import Role
from tests.conftest import OWNER_ID, button_data, running_workers
from tests.fakes.x_api import FakeX

DELEGATE_ID = 4545
READER_ID = 4646
WARNED = "⚠️ Sujet sensible"


@pytest.fixture
async def x() -> AsyncIterator[FakeX]:
    async with FakeX() as server:
        yield server


@pytest.fixture
def settings(settings: Settings, x: FakeX) -> Settings:
    """Vigie with its X account on the local X server: posts may be drafted."""
    return settings.model_copy(update={"x_user_access_token": SecretStr(x.user_token), "x_api_url": x.url})


async def _said(tg, user: dict, text: str) -> str:
    """What the bot answers `user` typing `text` (one message)."""
    return (await tg.ask(user, text))["text"]


def _buttons(message: dict) -> list[str]:
    return [b["text"] for row in (message.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]


async def test_the_list_is_grouped_and_says_how_to_change_it(bot, tg):
    owner = tg.user(OWNER_ID)
    shown = await _said(tg, owner, "/guardrails")
    assert shown.startswith("Garde-fous de publication\nAvant qu’un post parte sur X")
    lines = shown.split("\n")
    assert "Politique : democrat, droite, election, élection, élections, gauche, gouvernement" in shown
    assert [line.split(" : ")[0] for line in lines[3:7]] == ["Politique", "Religion", "Vie personnelle", "Polémique"]
    assert "/guardrails add grève : ajouter un mot, ou une expression de 4 mots au plus" in shown
    assert "/guardrails reset : revenir à la liste par défaut" in shown
    english = tg.user(OWNER_ID, language_code="en")
    await _said(tg, english, "/settings language en")
    shown = await _said(tg, english, "/guardrails")
    assert shown.startswith("Posting guardrails\nBefore a post goes to X")
    assert "Personal life: children, divorce, enfants" in shown


async def test_an_added_subject_is_warned_about_at_once_and_a_removed_one_no_more(bot, tg, services):
    owner = tg.user(OWNER_ID)
    assert WARNED not in await _said(tg, owner, "/post La grève de demain")
    assert await _said(tg, owner, "/guardrails add Grève") == (
        "✅ Ajouté : grève. Les prochains aperçus de /post en tiennent compte."
    )
    assert "⚠️ Sujet sensible : grève." in await _said(tg, owner, "/post La grève de demain")
    assert "⚠️ Sujet sensible : greve." in await _said(tg, owner, "/post La greve de demain")  # without accents
    # A phrase, in French, several at once; matched across case and spacing, and after an elided article.
    assert await _said(tg, owner, "/guardrails ajouter vie privée, rachat d’entreprise") == (
        "✅ Ajouté : vie privée, rachat d’entreprise. Les prochains aperçus de /post en tiennent compte."
    )
    preview = await _said(tg, owner, "/post Ma VIE   privée et le rachat d'entreprise")
    assert "⚠️ Sujet sensible : rachat d'entreprise, VIE privée." in preview
    assert WARNED not in await _said(tg, owner, "/post Une vie bien remplie")
    assert "⚠️ Sujet sensible : l’église." in await _said(tg, owner, "/post Concert dans l’église du village")
    assert await _said(tg, owner, "/guardrails rm grève") == "🗑 Retiré : grève."
    assert WARNED not in await _said(tg, owner, "/post La grève de demain")
    # A default subject can go too ("vacances"), and is listed as removed from the defaults.
    assert WARNED in await _said(tg, owner, "/post Bonnes vacances à tous")
    assert await _said(tg, owner, "/guardrails retirer vacances") == "🗑 Retiré : vacances."
    assert WARNED not in await _said(tg, owner, "/post Bonnes vacances à tous")
    shown = await _said(tg, owner, "/guardrails")
    assert "Ajoutés par l’équipe : rachat d’entreprise, vie privée" in shown
    assert "Retirés de la liste par défaut : vacances" in shown
    assert await services.store.posting.subjects() == (
        guardrails.DEFAULT_SUBJECTS - {"vacances"} | {"vie privée", "rachat d’entreprise"}
    )


async def test_a_changed_subject_counts_for_the_owners_approving_a_delegates_draft(bot, tg, services):
    await services.store.team.grant(DELEGATE_ID, Role.DELEGATE)
    owner, delegate = tg.user(OWNER_ID), tg.user(DELEGATE_ID)
    await _said(tg, owner, "/guardrails add fusion")
    await tg.send_text(delegate, "/post Notre projet de fusion")
    [preview] = await tg.wait_for_messages(DELEGATE_ID, 1)
    assert "⚠️ Sujet sensible : fusion." in preview["text"]
    await tg.press(delegate, preview, "📤 Envoyer pour validation")
    asked = await tg.wait_for_edit(DELEGATE_ID, preview["message_id"])
    assert "Publier malgré ces avertissements ?" in asked["text"]  # it asks again
    async with running_workers(bot.services):  # the owners are asked through the delivery queue
        await tg.press(delegate, asked, "✅ Oui, publier quand même")
        [approval] = await tg.wait_for_messages(OWNER_ID, 1, timeout=30)
    assert "⚠️ Sujet sensible : fusion." in approval["text"]


async def test_bad_subjects_are_answered_with_the_usage_and_an_example(bot, tg):
    owner = tg.user(OWNER_ID)
    usage = "Modifier la liste (propriétaires) :\n/guardrails add grève : ajouter un mot"
    for typed, reason in [
        ("/guardrails add", "Il manque le mot ou l’expression."),
        ("/guardrails add  ,  ", "Il manque le mot ou l’expression."),
        ("/guardrails add !!!", "« !!! » ne contient aucun mot."),
        (
            "/guardrails add une expression bien trop longue",
            "« une expression bien trop longue » a trop de mots : 4 au plus",
        ),
        ("/guardrails add " + "anticonstitutionnellement" * 2, "est trop long : 40 caractères au plus."),
        ("/guardrails rm", "Il manque le mot ou l’expression."),
        ("/guardrails effacer tout", "Je ne connais pas « effacer » pour /guardrails."),
    ]:
        answer = await _said(tg, owner, typed)
        assert answer.startswith(reason) or reason in answer, typed
        assert usage in answer, typed
    assert await _said(tg, owner, "/guardrails add Gouvernement") == "Déjà dans la liste : gouvernement."
    assert await _said(tg, owner, "/guardrails rm chocolat") == ("Pas dans la liste : chocolat. /guardrails la montre.")
    english = tg.user(OWNER_ID, language_code="en")
    await _said(tg, english, "/settings language en")
    answer = await _said(tg, english, "/guardrails add a phrase far too long here")
    assert answer.startswith("“a phrase far too long here” has too many words: 4 at most")
    assert "/guardrails add strike: add a word" in answer


async def test_a_reset_asks_once_and_brings_the_defaults_back(bot, tg, services):
    owner = tg.user(OWNER_ID)
    assert await _said(tg, owner, "/guardrails reset") == "La liste est déjà celle par défaut : rien à rétablir."
    await _said(tg, owner, "/guardrails add grève")
    await _said(tg, owner, "/guardrails rm vacances")
    await tg.send_text(owner, "/guardrails reset")
    [asked] = await tg.wait_for_messages(OWNER_ID, 1)
    assert asked["text"] == (
        "Revenir à la liste par défaut ?\n"
        "Ajoutés par l’équipe, ils seront retirés : grève\n"
        "Retirés de la liste par défaut, ils reviendront : vacances"
    )
    assert _buttons(asked) == ["♻️ Rétablir la liste par défaut", "Annuler"]
    await tg.press(owner, asked, "Annuler")
    cancelled = await tg.wait_for_edit(OWNER_ID, asked["message_id"])
    assert cancelled["text"] == "Rien n’a été changé." and _buttons(cancelled) == []
    assert "grève" in await services.store.posting.subjects()
    # Asked again, confirmed: the defaults are back.
    await tg.send_text(owner, "/guardrails défaut")
    [asked] = await tg.wait_for_messages(OWNER_ID, 1)
    await tg.press(owner, asked, "♻️ Rétablir la liste par défaut")
    done = await tg.wait_for_edit(OWNER_ID, asked["message_id"])
    assert done["text"] == "♻️ La liste par défaut est rétablie. /guardrails la montre."
    assert await services.store.posting.subjects() is None
    assert WARNED in await _said(tg, owner, "/post Bonnes vacances à tous")
    # An old confirmation pressed after the list changed again does not wipe the change.
    await _said(tg, owner, "/guardrails add grève")
    query = await tg.press_data(owner, asked["message_id"], button_data(asked, "♻️ Rétablir la liste par défaut"))
    await tg.wait_for_answer(query)
    stale = await tg.wait_for_edit(OWNER_ID, asked["message_id"])
    assert stale["text"].startswith("La liste a changé depuis cette question : rien n’a été rétabli.")
    assert "grève" in await services.store.posting.subjects()


async def test_delegates_see_the_list_and_only_owners_change_it(bot, tg, services):
    await services.store.team.grant(DELEGATE_ID, Role.DELEGATE)
    await services.store.team.grant(READER_ID, Role.READER)
    delegate, reader = tg.user(DELEGATE_ID), tg.user(READER_ID)
    shown = await _said(tg, delegate, "/guardrails")
    assert "Politique : " in shown and shown.endswith("Seuls les propriétaires modifient cette liste.")
    assert "/guardrails add" not in shown
    for typed in ("/guardrails add grève", "/guardrails rm vacances", "/guardrails reset"):
        assert await _said(tg, delegate, typed) == "Cette action est réservée aux propriétaires.", typed
    # A forged reset button, carrying the right version, is refused on the role too.
    forged = encode(GuardrailsReset(guardrails.version(guardrails.DEFAULT_SUBJECTS - {"vacances"})))
    await publishing.remove_subjects(services, ["vacances"])  # as an owner's /guardrails rm
    query = await tg.press_data(delegate, tg.messages(DELEGATE_ID)[0]["message_id"], forged)
    assert (await tg.wait_for_answer(query))["text"] == "Cette action est réservée aux propriétaires."
    assert await services.store.posting.subjects() == guardrails.DEFAULT_SUBJECTS - {"vacances"}
    refused = "Cette action est réservée aux propriétaires et aux délégués."
    assert await _said(tg, reader, "/guardrails") == refused
    # The role is read from Redis at each command: a delegate made reader no longer sees it.
    await services.store.team.grant(DELEGATE_ID, Role.READER)
    assert await _said(tg, delegate, "/guardrails") == refused
