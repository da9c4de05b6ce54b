"""/post end to end: the real bot and worker against the local Bot API and X servers. A post
goes to X once, after its preview, its confirmation and its cooling-off; Undo, a rejection, a
pause or the budget keep it off X (the local X server's log shows no create)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr

from bot import publishing, watchlist
from bot.callbacks import DraftApprove, encode
from bot.ingest import Ingest
from bot.model import DraftState, PostingHold
from bot.roles import Role
from tests.conftest import OWNER_ID, RunningBot, acting_bot, button_data, wait_until
from tests.fakes.x_api import FakeX
from tests.faultkit import Vigie, env_for, running

DELEGATE_ID = 4242
OTHER_OWNER_ID = 222222
ACCOUNT = "vigie_owner"


@pytest.fixture
async def x() -> AsyncIterator[FakeX]:
    async with FakeX() as server:
        server.add_user(ACCOUNT, "Vigie Owner")
        yield server


def posting(settings, tg, x: FakeX, **changes: object) -> contextlib.AbstractAsyncContextManager[RunningBot]:
    """The bot and one worker, posting to the local X server with its user token."""
    defaults: dict[str, object] = {"cooling_off": 0, "owner_ids": frozenset({OWNER_ID, OTHER_OWNER_ID})}
    return acting_bot(settings, tg, x, **{**defaults, **changes})


def _texts(x: FakeX) -> list[str]:
    return [p["text"] for p in x.posts_by(ACCOUNT)]


async def _met(tg, *users: dict) -> None:
    """The users have written to the bot (it may write to them first from then on)."""
    for user in users:
        await tg.send_text(user, "/help")
        await tg.wait_for_messages(user["id"], 1)


async def _preview(tg, user: dict, text: str) -> dict:
    await tg.send_text(user, f"/post {text}")
    [preview] = await tg.wait_for_messages(user["id"], 1)
    return preview


def _now(tg, chat_id: int, message_id: int) -> dict:
    """A bot message as it is now."""
    return next(m for m in tg.messages(chat_id) if m["message_id"] == message_id)


async def _outcome(tg, chat_id: int, message_id: int, start: str, timeout: float = 30) -> dict:
    """The message once edited into something starting with `start`."""
    await wait_until(lambda: _now(tg, chat_id, message_id).get("text", "").startswith(start), timeout=timeout)
    return _now(tg, chat_id, message_id)


def publishing_draft(message: dict) -> str:
    """The draft id a posting message's buttons carry."""
    data = message["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    return data.split(":")[2]


async def test_owner_posts_after_preview_and_gets_the_link(settings, tg, x):
    async with posting(settings, tg, x, cooling_off=1) as bot:
        owner = tg.user(OWNER_ID)
        preview = await _preview(tg, owner, "Nos magasins restent ouverts ce dimanche 🎉")
        assert preview["text"].startswith("Aperçu de votre post sur X")
        assert "Nos magasins restent ouverts ce dimanche 🎉" in preview["text"]
        assert "43/280 caractères comptés par X." in preview["text"]
        await tg.press(owner, preview, "✅ Publier")
        countdown = await tg.wait_for_edit(OWNER_ID, preview["message_id"])
        assert "⏳ Publication dans 1 s" in countdown["text"]
        sent = await _outcome(tg, OWNER_ID, preview["message_id"], "✅ Publié sur X")
        [post] = x.posts_by(ACCOUNT)
        assert post["text"] == "Nos magasins restent ouverts ce dimanche 🎉"
        assert f"https://x.com/i/status/{post['id']}" in sent["text"]
        assert [b["text"] for row in sent["reply_markup"]["inline_keyboard"] for b in row] == ["🗑 Supprimer de X"]
        # A second press of the old Publish button changes nothing.
        query = await tg.press_data(owner, preview["message_id"], button_data(preview, "✅ Publier"))
        assert (await tg.wait_for_answer(query))["text"] == "Ce brouillon n’est plus modifiable (déjà publié)."
        assert x.count("create_post") == 1
        drafts = await bot.services.store.posting.due(time.time() + 3600)
        assert drafts == []


async def test_undo_in_time_keeps_the_post_off_x(settings, tg, x):
    async with posting(settings, tg, x, cooling_off=600) as bot:
        owner = tg.user(OWNER_ID, language_code="en")
        preview = await _preview(tg, owner, "Statement about the outage")
        await tg.press(owner, preview, "✅ Publish")
        countdown = await tg.wait_for_edit(OWNER_ID, preview["message_id"])
        assert "⏳ Publishing in 600 s" in countdown["text"]
        await tg.press(owner, countdown, "↩️ Undo")
        undone = await _outcome(tg, OWNER_ID, preview["message_id"], "↩️ Undone")
        assert "Statement about the outage" in undone["text"]
        # Even past its time, nothing sends it: not the job, not the sweep.
        draft_id = publishing_draft(countdown)
        await publishing.send(bot.services, draft_id)
        await publishing.sweep(bot.services, time.time() + 3600)
        assert x.count("create_post") == 0
        assert (await bot.services.store.posting.get(draft_id)).state is DraftState.CANCELLED


async def test_undo_after_sending_offers_deletion(settings, tg, x):
    async with posting(settings, tg, x, cooling_off=600) as bot:
        owner = tg.user(OWNER_ID)
        preview = await _preview(tg, owner, "Merci à nos équipes")
        await tg.press(owner, preview, "✅ Publier")
        countdown = await tg.wait_for_edit(OWNER_ID, preview["message_id"])
        draft_id = publishing_draft(countdown)
        await publishing.sweep(bot.services, time.time() + 601)  # the cooling-off is over
        sent = await _outcome(tg, OWNER_ID, preview["message_id"], "✅ Publié sur X")
        query = await tg.press_data(owner, countdown["message_id"], button_data(countdown, "↩️ Annuler la publication"))
        assert "Trop tard" in (await tg.wait_for_answer(query))["text"]
        await tg.press(owner, sent, "🗑 Supprimer de X")
        await _outcome(tg, OWNER_ID, preview["message_id"], "🗑 Post supprimé de X")
        assert x.posts_by(ACCOUNT) == [] and x.count("create_post") == 1
        assert (await bot.services.store.posting.get(draft_id)).post_ids


async def test_too_long_is_offered_as_a_numbered_thread(settings, tg, x):
    async with posting(settings, tg, x):
        owner = tg.user(OWNER_ID)
        sentence = "Nous avons entendu vos retours sur les délais de livraison de cette semaine."
        preview = await _preview(tg, owner, " ".join([sentence] * 8))
        assert "⛔ Trop long" in preview["text"] and "<s>" not in preview["text"]
        await tg.press(owner, preview, "🧵 Publier en fil de 3 posts")
        thread = await tg.wait_for_edit(OWNER_ID, preview["message_id"])
        assert "🧵 Un fil de 3 posts." in thread["text"]
        await tg.press(owner, thread, "✅ Publier")
        await _outcome(tg, OWNER_ID, preview["message_id"], "✅ Publié sur X")
        posts = list(reversed(x.posts_by(ACCOUNT)))
        assert [p["text"][-5:] for p in posts] == ["(1/3)", "(2/3)", "(3/3)"]
        for earlier, later in zip(posts, posts[1:]):
            assert later["referenced_tweets"] == [{"type": "replied_to", "id": earlier["id"]}]


async def test_a_thread_refused_half_way_shows_what_is_on_x_and_deletes_it_once(settings, tg, x):
    async with posting(settings, tg, x):
        owner = tg.user(OWNER_ID)
        sentence = "Nous avons entendu vos retours sur les délais de livraison de cette semaine."
        preview = await _preview(tg, owner, " ".join([sentence] * 8))
        await tg.press(owner, preview, "🧵 Publier en fil de 3 posts")
        thread = await tg.wait_for_edit(OWNER_ID, preview["message_id"])
        x.fail_next("create_post", 400, after=1)  # X takes the first part and refuses the second
        await tg.press(owner, thread, "✅ Publier")
        partly = await _outcome(tg, OWNER_ID, preview["message_id"], "⚠️ En partie publié sur X")
        [first] = x.posts_by(ACCOUNT)
        assert first["text"].endswith("(1/3)") and f"https://x.com/i/status/{first['id']}" in partly["text"]
        assert "La suite n’est pas partie : X l’a refusé (erreur HTTP 400)." in partly["text"]  # X's words: in the log
        await tg.press(owner, partly, "🗑 Supprimer de X")
        await _outcome(tg, OWNER_ID, preview["message_id"], "🗑 Post supprimé de X")
        assert x.posts_by(ACCOUNT) == []
        query = await tg.press_data(owner, preview["message_id"], button_data(partly, "🗑 Supprimer de X"))
        assert (await tg.wait_for_answer(query))["text"] == "Ce brouillon n’est plus modifiable (supprimé de X)."
        assert x.count("delete_post") == 1  # the second press asked nothing of X
        journal = await tg.ask(owner, "/journal")
        assert "❌" in journal["text"] and "non publié" in journal["text"]
        assert "refusé par X (erreur HTTP 400)" in journal["text"]


async def test_guardrails_warn_and_ask_again(settings, tg, x):
    async with posting(settings, tg, x):
        owner = tg.user(OWNER_ID)
        preview = await _preview(tg, owner, "Le scandale du gouvernement : lemonde.fr/article")
        assert "⚠️ Sujet sensible : gouvernement, scandale." in preview["text"]
        assert "⚠️ Contient un lien : X facture 0,20 $ au lieu de 0,015 $." in preview["text"]
        await tg.press(owner, preview, "✅ Publier")
        asked = await tg.wait_for_edit(OWNER_ID, preview["message_id"])
        assert "Publier malgré ces avertissements ?" in asked["text"]
        assert x.count("create_post") == 0
        await tg.press(owner, asked, "✅ Oui, publier quand même")
        await _outcome(tg, OWNER_ID, preview["message_id"], "✅ Publié sur X")
        assert len(x.posts_by(ACCOUNT)) == 1
        # The same text again is flagged before X refuses it.
        again = await _preview(tg, owner, "Le scandale du gouvernement : lemonde.fr/article")
        assert "⚠️ Ce texte reprend un post récent" in again["text"]


async def test_x_refuses_a_duplicate_with_a_clear_reason(settings, tg, x):
    x.add_post("Bonne année à tous !", ACCOUNT)
    async with posting(settings, tg, x):
        owner = tg.user(OWNER_ID)
        preview = await _preview(tg, owner, "Bonne année à tous !")
        await tg.press(owner, preview, "✅ Publier")
        failed = await _outcome(tg, OWNER_ID, preview["message_id"], "❌ Non publié")
        assert "doublon" in failed["text"]
        assert len(x.posts_by(ACCOUNT)) == 1


async def test_paused_posting_holds_the_post_until_resumed(settings, tg, x):
    async with posting(settings, tg, x) as bot:
        store = bot.services.store
        await store.posting.pause(PostingHold(OTHER_OWNER_ID, "Claire", time.time(), "Fnac"))
        owner = tg.user(OWNER_ID)
        preview = await _preview(tg, owner, "Point de situation à 18 h")
        assert "⚠️ Les publications sont suspendues par Claire" in preview["text"]
        await tg.press(owner, preview, "✅ Publier")
        asked = await tg.wait_for_edit(OWNER_ID, preview["message_id"])
        await tg.press(owner, asked, "✅ Oui, publier quand même")
        await _outcome(tg, OWNER_ID, preview["message_id"], "Point de situation")  # the countdown
        await wait_until(lambda: "⏸ En attente" in _now(tg, OWNER_ID, preview["message_id"])["text"], timeout=30)
        assert x.count("create_post") == 0
        await store.posting.resume()
        await publishing.sweep(bot.services, time.time() + 60)
        await _outcome(tg, OWNER_ID, preview["message_id"], "✅ Publié sur X")
        assert _texts(x) == ["Point de situation à 18 h"]


async def test_over_budget_is_refused_with_the_figures(settings, tg, x):
    async with posting(settings, tg, x, x_monthly_budget_usd=0.01) as bot:
        await bot.services.store.x.add_cost("post_read", 1, 5_000)
        owner = tg.user(OWNER_ID)
        preview = await _preview(tg, owner, "Un post de trop")
        await tg.press(owner, preview, "✅ Publier")
        failed = await _outcome(tg, OWNER_ID, preview["message_id"], "❌ Non publié")
        assert "0,01 $ dépensés + 0,015 $ pour ce post, budget 0,01 $" in failed["text"]
        assert x.count("create_post") == 0


async def test_x_failing_then_answering_posts_once(settings, tg, x):
    x.fail_next("create_post", 503)
    async with posting(settings, tg, x) as bot:
        owner = tg.user(OWNER_ID)
        preview = await _preview(tg, owner, "Nos équipes sont mobilisées")
        await tg.press(owner, preview, "✅ Publier")
        await wait_until(lambda: x.count("create_post") == 1, timeout=30)
        draft_id = publishing_draft(preview)
        # The first sender is done (it set the next try) once it lets go of the draft.
        await wait_until(lambda: _released(bot, draft_id), timeout=30)
        await publishing.sweep(bot.services, time.time() + 3600)
        await _outcome(tg, OWNER_ID, preview["message_id"], "✅ Publié sur X")
        assert _texts(x) == ["Nos équipes sont mobilisées"]
        assert x.count("create_post") == 2
        assert (await bot.services.store.posting.get(draft_id)).state is DraftState.SENT


async def _released(bot: RunningBot, draft_id: str) -> bool:
    return not await bot.services.store.system.leased(f"post:{draft_id}")


async def test_delegate_draft_is_approved_by_an_owner(settings, tg, x, services):
    await services.store.team.grant(DELEGATE_ID, Role.DELEGATE)
    async with posting(settings, tg, x):
        owner, other = tg.user(OWNER_ID, "Anne"), tg.user(OTHER_OWNER_ID, "Claire")
        await _met(tg, owner, other)
        delegate = tg.user(DELEGATE_ID, "Marc", language_code="en")
        preview = await _preview(tg, delegate, "Our answer to the press")
        await tg.press(delegate, preview, "📤 Send for approval")
        submitted = await tg.wait_for_edit(DELEGATE_ID, preview["message_id"])
        assert submitted["text"].startswith("📤 Sent to the owners for approval")
        [asked] = await tg.wait_for_messages(OWNER_ID, 1)
        assert asked["text"].startswith("📝 Brouillon de Marc à valider")
        [theirs] = await tg.wait_for_messages(OTHER_OWNER_ID, 1)
        # The delegate cannot approve it, even with a forged button.
        query = await tg.press_data(delegate, preview["message_id"], encode(DraftApprove(publishing_draft(asked))))
        assert (await tg.wait_for_answer(query))["text"] == "This action is for owners only."
        assert x.count("create_post") == 0
        await tg.press(owner, asked, "✅ Approuver")
        await _outcome(tg, OWNER_ID, asked["message_id"], "✅ Publié sur X")
        assert _texts(x) == ["Our answer to the press"]
        told = await tg.wait_for_messages(DELEGATE_ID, 2)
        assert told[0]["text"].startswith("✅ Anne approved your draft")
        assert told[1]["text"].startswith("✅ Your post is on X (approved by Anne)")
        await _outcome(tg, OTHER_OWNER_ID, theirs["message_id"], "✅ Approuvé par Anne")


async def test_delegate_draft_rejected_with_a_reason(settings, tg, x, services):
    await services.store.team.grant(DELEGATE_ID, Role.DELEGATE)
    async with posting(settings, tg, x):
        owner, other = tg.user(OWNER_ID, "Anne"), tg.user(OTHER_OWNER_ID, "Claire")
        await _met(tg, owner, other)
        delegate = tg.user(DELEGATE_ID, "Marc")
        preview = await _preview(tg, delegate, "Un brouillon hâtif")
        await tg.press(delegate, preview, "📤 Envoyer pour validation")
        [asked] = await tg.wait_for_messages(OWNER_ID, 1)
        await tg.press(owner, asked, "❌ Rejeter")
        [question] = await tg.wait_for_messages(OWNER_ID, 1)
        assert question["text"].startswith("❌ Pourquoi ce rejet ?")
        await tg.send_text(owner, "Trop tôt, attendons le communiqué.")
        [done] = await tg.wait_for_messages(OWNER_ID, 1)
        assert done["text"] == "❌ Brouillon rejeté. Marc a reçu votre raison."
        [told] = await tg.wait_for_messages(DELEGATE_ID, 1)
        assert told["text"].startswith("❌ Anne a rejeté votre brouillon : Trop tôt, attendons le communiqué.")
        # Another owner approving it afterwards does nothing.
        [theirs] = await tg.wait_for_messages(OTHER_OWNER_ID, 1)
        query = await tg.press(other, theirs, "✅ Approuver")
        assert "annulé" in (await tg.wait_for_answer(query))["text"]
        assert x.count("create_post") == 0


async def test_post_then_text_and_edit(settings, tg, x):
    async with posting(settings, tg, x):
        owner = tg.user(OWNER_ID)
        await tg.send_text(owner, "/post")
        [asked] = await tg.wait_for_messages(OWNER_ID, 1)
        assert asked["text"].startswith("✍️ Envoyez le texte du post")
        await tg.send_text(owner, "Premier jet")
        [preview] = await tg.wait_for_messages(OWNER_ID, 1)
        assert "Premier jet" in preview["text"]
        await tg.press(owner, preview, "✏️ Modifier")
        await tg.wait_for_messages(OWNER_ID, 1)
        await tg.send_text(owner, "Version finale")
        [edited] = await tg.wait_for_messages(OWNER_ID, 1)
        assert "Version finale" in edited["text"]
        # The first preview is that draft's earlier state: its Publish now publishes the new text.
        await tg.press(owner, edited, "✅ Publier")
        await _outcome(tg, OWNER_ID, edited["message_id"], "✅ Publié sur X")
        assert _texts(x) == ["Version finale"]


async def test_a_worker_killed_during_the_call_is_replaced_without_a_second_post(
    settings, tg, x, clean_redis, tmp_path
):
    """kill -9 of the worker process after X made the post, before its answer came back: the
    restarted worker finds the post among the account's posts instead of sending it again, and
    the owner gets its link."""
    env = env_for(
        tg,
        clean_redis,
        [OWNER_ID, OTHER_OWNER_ID],
        X_API_URL=x.url,
        X_USER_ACCESS_TOKEN=x.user_token,
        VIGIE_COOLING_OFF="0",
        VIGIE_X_TIMEOUT="5",  # the dead sender's hold lapses after 10 s, not a minute
    )
    x.hold("create_post")
    async with acting_bot(settings, tg, x, workers=0, cooling_off=0, x_timeout=5) as bot:
        owner = tg.user(OWNER_ID)
        first = Vigie("worker", env, tmp_path, "first-worker")
        async with running(first):
            preview = await _preview(tg, owner, "Communiqué : le service est rétabli")
            await tg.press(owner, preview, "✅ Publier")
            await wait_until(lambda: len(x.posts_by(ACCOUNT)) == 1, timeout=60)  # X made it, still answering
            first.kill()
            await first.wait()
        x.release("create_post")  # to a dead connection
        [on_x] = x.posts_by(ACCOUNT)
        draft = await bot.services.store.posting.get(publishing_draft(preview))
        assert draft.state is DraftState.SENDING  # the crash left it half done
        async with running(Vigie("worker", env, tmp_path, "second-worker")):
            sent = await _outcome(tg, OWNER_ID, preview["message_id"], "✅ Publié sur X", timeout=120)
        assert f"https://x.com/i/status/{on_x['id']}" in sent["text"]
        assert x.count("create_post") == 1  # nothing sent again
        assert x.count("user_posts") >= 1  # the successor looked for it
        assert (await bot.services.store.posting.get(draft.id)).post_ids == (on_x["id"],)


async def _briefed_post(bot: RunningBot, tg, x: FakeX, owner: dict) -> tuple[dict, dict]:
    """A customer's post on X about a watch, and the owner's briefing that shows it."""
    complaint = x.add_post("La Fnac de Lyon a perdu ma commande, trois semaines sans réponse", "client_fache")
    await watchlist.create(bot.services.store, "Fnac", "fnac", OWNER_ID)
    await Ingest(bot.services).cycle()
    await tg.send_text(owner, "/briefing")
    [briefing] = await tg.wait_for_messages(OWNER_ID, 1)
    assert f"https://x.com/client_fache/status/{complaint['id']}" in str(briefing["entities"])
    return complaint, briefing


async def test_a_post_in_reply_to_a_briefing_answers_its_x_post(settings, tg, x):
    reading = {"x_bearer_token": SecretStr(x.bearer_token)}
    async with posting(settings, tg, x, **reading) as bot:
        owner = tg.user(OWNER_ID)
        complaint, briefing = await _briefed_post(bot, tg, x, owner)
        theirs = await tg.send_text(owner, f"Vu : https://x.com/client_fache/status/{complaint['id']}")
        await tg.wait_for_messages(OWNER_ID, 1)  # "only commands"
        await tg.send_text(owner, "/post Bonjour", reply_to=theirs["message_id"])
        [alone] = await tg.wait_for_messages(OWNER_ID, 1)  # only Vigie's messages offer their posts
        assert "Répondre" not in str(alone["reply_markup"]) and "répondre à un post X" not in alone["text"]
        await tg.send_text(
            owner, "/post @client_fache Nous sommes désolés, écrivez-nous en privé", reply_to=briefing["message_id"]
        )
        [preview] = await tg.wait_for_messages(OWNER_ID, 1)
        assert "répondre à un post X du message, ou le citer" in preview["text"]
        await tg.press(owner, preview, "↩️ Répondre à @client_fache")
        aimed = await tg.wait_for_edit(OWNER_ID, preview["message_id"])
        assert f"↩️ En réponse à https://x.com/client_fache/status/{complaint['id']}" in aimed["text"]
        assert "✓ ↩️ Répondre à @client_fache" in [
            b["text"] for row in aimed["reply_markup"]["inline_keyboard"] for b in row
        ]
        await tg.press(owner, aimed, "✅ Publier")
        await _outcome(tg, OWNER_ID, preview["message_id"], "✅ Publié sur X")
        [answer] = x.posts_by(ACCOUNT)
        assert answer["referenced_tweets"] == [{"type": "replied_to", "id": complaint["id"]}]


async def test_a_quote_then_a_change_of_mind_makes_a_post_of_its_own(settings, tg, x):
    reading = {"x_bearer_token": SecretStr(x.bearer_token)}
    async with posting(settings, tg, x, **reading) as bot:
        owner = tg.user(OWNER_ID, language_code="en")
        complaint, briefing = await _briefed_post(bot, tg, x, owner)
        await tg.send_text(owner, "/post", reply_to=briefing["message_id"])
        await tg.wait_for_messages(OWNER_ID, 1)  # the text is asked
        await tg.send_text(owner, "We are on it")
        [preview] = await tg.wait_for_messages(OWNER_ID, 1)
        await tg.press(owner, preview, "🔁 Quote @client_fache")
        quoting = await tg.wait_for_edit(OWNER_ID, preview["message_id"])
        assert f"🔁 Quoting https://x.com/client_fache/status/{complaint['id']}" in quoting["text"]
        await tg.press(owner, quoting, "✓ 🔁 Quote @client_fache")  # pressed again: not a quote any more
        alone = await tg.wait_for_edit(OWNER_ID, preview["message_id"])
        assert "Quoting" not in alone["text"]
        await tg.press(owner, alone, "🔁 Quote @client_fache")
        quoting = await tg.wait_for_edit(OWNER_ID, preview["message_id"])
        await tg.press(owner, quoting, "✅ Publish")
        await _outcome(tg, OWNER_ID, preview["message_id"], "✅ Posted on X")
        [quote] = x.posts_by(ACCOUNT)
        assert quote["text"].startswith("We are on it https://t.co/")  # X adds the quoted post's link
        assert quote["referenced_tweets"] == [{"type": "quoted", "id": complaint["id"]}]


async def test_the_journal_tells_owners_who_did_what_with_its_result_and_cost(settings, tg, x, services):
    await services.store.team.grant(DELEGATE_ID, Role.DELEGATE)
    x.add_user("Fnac", "Fnac")
    async with posting(settings, tg, x):
        owner, delegate = tg.user(OWNER_ID, "Anne"), tg.user(DELEGATE_ID, "Marc")
        await _met(tg, owner, tg.user(OTHER_OWNER_ID, "Claire"))
        empty = await tg.ask(owner, "/journal")
        assert empty["text"].startswith("Le journal est vide")

        preview = await _preview(tg, delegate, "Un brouillon hâtif")  # drafted, submitted, rejected
        await tg.press(delegate, preview, "📤 Envoyer pour validation")
        [asked] = await tg.wait_for_messages(OWNER_ID, 1)
        await tg.press(owner, asked, "❌ Rejeter")
        await tg.wait_for_messages(OWNER_ID, 1)
        await tg.ask(owner, "Trop tôt.")
        await tg.wait_for_messages(DELEGATE_ID, 1)  # told why
        preview = await _preview(tg, owner, "Nos magasins ouvrent dimanche")  # drafted, posted, deleted
        await tg.press(owner, preview, "✅ Publier")
        sent = await _outcome(tg, OWNER_ID, preview["message_id"], "✅ Publié sur X")
        [post] = x.posts_by(ACCOUNT)
        await tg.press(owner, sent, "🗑 Supprimer de X")
        await _outcome(tg, OWNER_ID, preview["message_id"], "🗑 Post supprimé de X")
        card = await tg.ask(owner, "/follow @Fnac")  # followed
        await tg.press(owner, card, "✅ Suivre")
        await tg.wait_for_edit(OWNER_ID, card["message_id"])

        journal = await tg.ask(owner, "/journal")
        lines = journal["text"].splitlines()
        assert lines[0] == "Journal des actions sur X (les 7 dernières, la plus récente d’abord)"
        link = f"https://x.com/i/status/{post['id']}"
        expected = [
            ("➕", "Anne · abonnement · @Fnac · 0,015 $"),
            ("🗑", f"Anne · supprimé de X · « Nos magasins ouvrent dimanche » · {link} · 0,005 $"),
            ("✅", f"Anne · publié · « Nos magasins ouvrent dimanche » · {link} · 0,015 $"),
            ("📝", "Anne · brouillon · « Nos magasins ouvrent dimanche »"),
            ("👎", "Anne · refusé · « Un brouillon hâtif » · « Trop tôt. »"),
            ("📤", "Marc · envoyé pour validation · « Un brouillon hâtif »"),
            ("📝", "Marc · brouillon · « Un brouillon hâtif »"),
        ]
        shown = [(line.split(" ", 1)[0], line.split(" · ", 1)[1]) for line in lines[1:]]
        assert shown == expected
        refused = await tg.ask(delegate, "/journal")
        assert "propriétaire" in refused["text"]  # owners only
        usage = await tg.ask(owner, "/journal beaucoup")
        assert usage["text"].startswith("Usage : /journal")
        status = await tg.ask(owner, "/status")
        assert "3 actions" in status["text"]  # the post, its deletion, the follow
