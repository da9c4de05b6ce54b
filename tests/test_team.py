"""/team end to end: owners only; grant by id, by forward, by one-time invitation; revoke."""

from __future__ import annotations

import re

from bot.callbacks import TeamGrant, encode
from bot.roles import Role
from tests.conftest import OWNER_ID, button_data, wait_until

DELEGATE_ID = 333


async def test_team_is_refused_to_non_owners_and_changes_nothing(bot, tg, services):
    await services.store.team.grant(DELEGATE_ID, Role.DELEGATE)
    delegate = tg.user(DELEGATE_ID, language_code="en")
    await tg.send_text(delegate, "/team add delegate 444")
    [refusal] = await tg.wait_for_messages(DELEGATE_ID, 1)
    assert refusal["text"] == "This action is for owners only."
    # A forged grant button pressed by the delegate is refused too.
    query = await tg.press_data(delegate, refusal["message_id"], encode(TeamGrant(Role.DELEGATE, 444)))
    assert (await tg.wait_for_answer(query))["text"] == "This action is for owners only."
    assert await services.store.team.role(444) is Role.STRANGER


async def test_owner_grants_and_revokes_by_id(bot, tg, services):
    owner = tg.user(OWNER_ID)
    await tg.ask(tg.user(444), "/start")  # a stranger (told Vigie is by invitation): the bot may write to them
    await tg.send_text(owner, "/team add delegate 444")
    [granted] = await tg.wait_for_messages(OWNER_ID, 1)
    assert granted["text"] == "444 est maintenant délégué."
    assert await services.store.team.role(444) is Role.DELEGATE
    await tg.send_text(owner, "/team add delegate 444")
    [again] = await tg.wait_for_messages(OWNER_ID, 1)
    assert again["text"] == "444 est déjà délégué."

    await tg.send_text(owner, "/team")
    [roster] = await tg.wait_for_messages(OWNER_ID, 1)
    assert "Délégués : 444" in roster["text"]
    [_, notice] = tg.messages(444)
    assert notice["text"].startswith("Vous avez été ajouté à l’équipe Vigie comme délégué")
    await tg.press(owner, roster, "Retirer 444")
    asked = await tg.wait_for_edit(OWNER_ID, roster["message_id"])
    assert asked["text"].startswith("Retirer 444 (délégué) de l’équipe ? 444 ne recevra plus ni briefings ni alertes")
    assert await services.store.team.role(444) is Role.DELEGATE  # asked, not done
    await tg.press(owner, asked, "🗑 Retirer")
    after = await tg.wait_for_edit(OWNER_ID, roster["message_id"])
    assert after["text"].startswith("444 ne fait plus partie de l’équipe.")
    assert "Délégués : personne" in after["text"]
    assert await services.store.team.role(444) is Role.STRANGER
    [_, removed] = await tg.wait_for_messages(444, 2)
    assert removed["text"].startswith("Vous ne faites plus partie de l’équipe Vigie")
    # The same remove button pressed twice: a clear answer, nothing else changes.
    await tg.press_data(owner, roster["message_id"], button_data(roster, "Retirer 444"))
    twice = await tg.wait_for_edit(OWNER_ID, roster["message_id"])
    assert twice["text"].startswith("444 ne fait pas partie de l’équipe.")


async def test_a_typed_removal_asks_once_and_cancel_changes_nothing(bot, tg, services):
    owner = tg.user(OWNER_ID, language_code="en")
    await tg.ask(tg.user(555), "/start")
    await services.store.team.grant(555, Role.READER)
    asked = await tg.ask(owner, "/team rm 555")
    assert asked["text"].startswith("Remove 555 (reader) from the team?")
    await tg.press(owner, asked, "Cancel")
    cancelled = await tg.wait_for_edit(OWNER_ID, asked["message_id"])
    assert cancelled["text"] == "Nothing was changed."
    assert await services.store.team.role(555) is Role.READER and len(tg.messages(555)) == 1  # not told


async def test_bad_team_arguments_get_clear_answers(bot, tg, services):
    owner = tg.user(OWNER_ID)
    for text, expected in [
        ("/team add delegate abc", "« abc » n’est pas un identifiant Telegram"),
        ("/team add boss 12", "Rôle inconnu : « boss »"),
        ("/team rm", "Utilisation : /team"),
        (f"/team rm {OWNER_ID}", "est propriétaire"),
    ]:
        await tg.send_text(owner, text)
        [answer] = await tg.wait_for_messages(OWNER_ID, 1)
        assert expected in answer["text"], text
    assert await services.store.team.members() == {}


async def test_owner_adds_the_author_of_a_forwarded_message(bot, tg, services):
    owner = tg.user(OWNER_ID)
    colleague = tg.user(555, "Marc", username="marc_comms")
    await tg.send_text(owner, "Voici le message de Marc", forward_from=colleague)
    [offer] = await tg.wait_for_messages(OWNER_ID, 1)
    assert "Marc (@marc_comms)" in offer["text"] and "id 555" in offer["text"]
    await tg.press(owner, offer, "Lecteur")
    done = await tg.wait_for_edit(OWNER_ID, offer["message_id"])
    assert "lecteur" in done["text"]
    assert await services.store.team.role(555) is Role.READER

    await tg.send_text(owner, "autre message", forward_hidden_name="Anonyme")
    [hidden] = await tg.wait_for_messages(OWNER_ID, 1)
    assert "masque son compte" in hidden["text"]


async def test_invitation_link_works_once(bot, tg, services):
    owner = tg.user(OWNER_ID)
    await tg.send_text(owner, "/team")
    [roster] = await tg.wait_for_messages(OWNER_ID, 1)
    await tg.press(owner, roster, "🔗 Invitation délégué")
    [invitation] = await tg.wait_for_messages(OWNER_ID, 1)
    link = re.search(r"https://t\.me/vigie_test_bot\?start=(\S+)", invitation["text"])
    assert link, invitation["text"]

    newcomer = tg.user(666, "Nadia", language_code="fr")
    await tg.send_text(newcomer, f"/start {link.group(1)}")
    [welcome] = await tg.wait_for_messages(666, 1)
    assert "Vous avez rejoint l’équipe comme délégué" in welcome["text"]
    assert await services.store.team.role(666) is Role.DELEGATE

    latecomer = tg.user(777, "Paul", language_code="en")
    await tg.send_text(latecomer, f"/start {link.group(1)}")
    [refused] = await tg.wait_for_messages(777, 1)
    assert "no longer valid" in refused["text"]
    assert await services.store.team.role(777) is Role.STRANGER


async def test_a_stranger_guessing_invitations_is_answered_once_and_rate_limited(bot, tg, services):
    owner = tg.user(OWNER_ID)
    await tg.send_text(owner, "/team")
    [roster] = await tg.wait_for_messages(OWNER_ID, 1)
    await tg.press(owner, roster, "🔗 Invitation lecteur")
    [invitation] = await tg.wait_for_messages(OWNER_ID, 1)
    code = re.search(r"\?start=(\S+)", invitation["text"]).group(1)

    guesser = tg.user(888, "Mallory")
    for n in range(8):
        await tg.send_text(guesser, f"/start inv_guess{n}")
    await tg.send_text(guesser, "/help")  # a marker: handled after every guess (one chat, in order)
    await wait_until(lambda: _handled_all(services, tg))
    assert [m["text"] for m in tg.messages(888)] == [
        "Ce lien d’invitation n’est plus valable (déjà utilisé ou expiré). Demandez-en un nouveau."
    ]
    # Past five tries in the hour even the right code is not looked at, and stays usable.
    await tg.send_text(guesser, f"/start {code}")
    await wait_until(lambda: _handled_all(services, tg))
    assert await services.store.team.role(888) is Role.STRANGER
    newcomer = tg.user(889, "Nadia")
    await tg.send_text(newcomer, f"/start {code}")
    [welcome] = await tg.wait_for_messages(889, 1)
    assert "Vous avez rejoint l’équipe comme lecteur" in welcome["text"]


async def _handled_all(services, tg) -> bool:
    updates = [call for call in tg.calls if call[0] == "getUpdates"]
    return bool(updates) and not tg.unconfirmed() and await services.store.updates.pending() == []


async def test_non_ascii_digits_are_not_user_ids(bot, tg, services):
    owner = tg.user(OWNER_ID)
    for digits in ("٤٤٤", "４４４", "①②③"):
        await tg.send_text(owner, f"/team add delegate {digits}")
        [answer] = await tg.wait_for_messages(OWNER_ID, 1)
        assert "n’est pas un identifiant Telegram" in answer["text"], digits
    assert await services.store.team.members() == {}


async def test_roles_are_typed_in_either_language_whatever_the_accents(bot, tg, services):
    owner = tg.user(OWNER_ID)
    for typed, user_id, role, said in [
        ("délégué", 601, Role.DELEGATE, "601 est maintenant délégué."),
        ("DELEGUE", 602, Role.DELEGATE, "602 est maintenant délégué."),
        ("lecteur", 603, Role.READER, "603 est maintenant lecteur."),
        ("reader", 604, Role.READER, "604 est maintenant lecteur."),
    ]:
        answer = await tg.ask(owner, f"/team add {typed} {user_id}")
        assert answer["text"] == said, typed
        assert await services.store.team.role(user_id) is role
    refused = await tg.ask(owner, "/team add chef 605")
    assert refused["text"].startswith(
        "Rôle inconnu : « chef ». Choisissez délégué ou lecteur, par exemple /team add délégué"
    )
    usage = await tg.ask(owner, "/team add")
    assert "/team add délégué|lecteur ID" in usage["text"] and "/team add lecteur 123456789" in usage["text"]

    english = tg.user(OWNER_ID, language_code="en")
    await tg.ask(english, "/settings language en")
    assert (await tg.ask(english, "/team add Lecteur 606"))["text"] == "606 is now reader."
    refused = await tg.ask(english, "/team add boss 607")
    assert refused["text"].startswith("Unknown role: “boss”. Choose delegate or reader, for example /team add delegate")
