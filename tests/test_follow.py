"""/follow and /unfollow end to end: the real bot against the local Bot API and X servers. An
account is followed on X once, after its card and a confirmation; cancelling, refusals (no such
account, suspended, rate limit, no credentials, daily limit, budget) and a delegate's attempts
keep X's log free of follows. A followed account's posts come in the ingest cycle (one request
per account per interval, since_id) and reach the briefing under the accounts followed."""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr

from bot import following
from bot.callbacks import FollowConfirm, encode
from bot.ingest import Ingest
from bot.model import FOLLOWED
from bot.roles import Role
from tests.conftest import OWNER_ID, RunningBot, acting_bot
from tests.fakes.x_api import FakeX

ACCOUNT = "vigie_owner"
DELEGATE_ID = 4242
NO_USER_CREDENTIALS = {
    "x_user_access_token": None,
    "x_api_key": None,
    "x_api_secret": None,
    "x_access_token": None,
    "x_access_token_secret": None,
}


@pytest.fixture
async def x() -> AsyncIterator[FakeX]:
    async with FakeX() as server:
        server.add_user(ACCOUNT, "Vigie Owner")
        server.add_user("Fnac", "Fnac", description="Culture, tech et loisirs", followers=12400, verified=True)
        yield server


def vigie(settings, tg, x: FakeX, **changes: object) -> contextlib.AbstractAsyncContextManager[RunningBot]:
    """The bot acting on the local X server with its user token."""
    return acting_bot(settings, tg, x, workers=0, **changes)


def _buttons(message: dict) -> list[str]:
    return [b["text"] for row in (message.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]


async def _followed(tg, owner: dict, handle: str, *, follow: str = "✅ Suivre") -> dict:
    """Follow `handle` through its card; the card once edited."""
    card = await tg.ask(owner, f"/follow {handle}")
    await tg.press(owner, card, follow)
    return await tg.wait_for_edit(owner["id"], card["message_id"])


def _month(bot: RunningBot):
    return bot.services.store.x.costs(time.strftime("%Y-%m", time.gmtime()))


async def test_follow_after_confirmation_and_its_posts_reach_the_briefing(settings, tg, x):
    async with vigie(settings, tg, x) as bot:
        store = bot.services.store
        owner = tg.user(OWNER_ID)
        card = await tg.ask(owner, "/follow @fnac")
        assert card["text"].splitlines() == [
            "Suivre ce compte sur X ?",
            "Fnac — @Fnac",
            "Culture, tech et loisirs",
            "👥 12\u202f400 abonnés · ✔️ compte vérifié",
            "Vigie le suivra avec son compte X, et ses posts arriveront dans votre briefing.",
        ]
        assert _buttons(card) == ["✅ Suivre", "✖️ Annuler"]
        assert x.count("users_by_username") == 1 and x.count("follow") == 0
        await tg.press(owner, card, "✅ Suivre")
        done = await tg.wait_for_edit(OWNER_ID, card["message_id"])
        assert done["text"] == "✅ Vous suivez maintenant @Fnac sur X ; ses posts arriveront dans votre briefing."
        assert _buttons(done) == []
        assert x.following(ACCOUNT) == {"Fnac"} and x.count("follow") == 1
        # The old Follow button again: no second follow.
        query = await tg.press_data(owner, card["message_id"], _data(card, "✅ Suivre"))
        await tg.wait_for_answer(query)
        assert _now(tg, OWNER_ID, card["message_id"])["text"] == done["text"]
        assert x.count("follow") == 1
        [watched] = await store.following.all()
        assert (watched.username, watched.pending, watched.by) == ("Fnac", False, OWNER_ID)
        listed = await tg.ask(owner, "/follow")
        assert "Fnac @Fnac" in listed["text"] and _buttons(listed) == ["Ne plus suivre @Fnac"]
        again = await tg.ask(owner, "/follow fnac")
        assert again["text"] == "Vigie suit déjà @Fnac sur X : ses posts arrivent dans votre briefing."
        assert x.count("users_by_username") == 1  # not looked up again

        first = x.add_post("La Fnac ouvre son plus grand magasin à Lyon ce samedi matin", "Fnac", likes=30)
        x.add_post("@client merci, votre commande arrive demain", "Fnac", reply_to=first["id"])  # a reply: left out
        now = time.time()
        report = await Ingest(bot.services).cycle(now=now)
        assert report.x_timelines == 1 and x.count("user_posts") == 1
        [asked] = [params for endpoint, params in x.requests if endpoint == "user_posts"]
        assert "since_id" not in asked and asked["max_results"] == "5" and asked["exclude"] == "retweets,replies"
        [stored] = await store.items.recent(FOLLOWED)
        assert (stored.item.author, stored.item.text) == ("fnac", first["text"])
        await Ingest(bot.services).cycle(now=now + 60)  # not due yet: one request per interval
        assert x.count("user_posts") == 1
        second = x.add_post("Nouveau : la livraison en 2 heures à Paris", "Fnac")
        await Ingest(bot.services).cycle(now=now + settings.x_search_interval)
        assert x.count("user_posts") == 2
        assert [p for e, p in x.requests if e == "user_posts"][-1]["since_id"] == first["id"]
        assert [s.item.id for s in await store.items.recent(FOLLOWED)] == [second["id"], first["id"]]
        costs = await _month(bot)
        assert costs["follow:count"] == 1 and costs["user_read:count"] == 1 and costs["post_read:count"] == 2
        assert costs["total:micro_usd"] == 15_000 + 10_000 + 2 * 5_000

        await tg.send_text(owner, "/briefing")
        [briefing] = await tg.wait_for_messages(OWNER_ID, 1)
        assert "Comptes suivis sur X" in briefing["text"]
        assert "La Fnac ouvre son plus grand magasin à Lyon ce samedi matin" in briefing["text"]
        assert "— @fnac" in briefing["text"]
        assert "merci, votre commande" not in briefing["text"]


def _now(tg, chat_id: int, message_id: int) -> dict:
    """A bot message as it is now."""
    return next(m for m in tg.messages(chat_id) if m["message_id"] == message_id)


def _data(message: dict, label: str) -> str:
    return next(
        b["callback_data"] for row in message["reply_markup"]["inline_keyboard"] for b in row if b["text"] == label
    )


async def test_cancel_sends_no_follow_to_x(settings, tg, x):
    async with vigie(settings, tg, x) as bot:
        owner = tg.user(OWNER_ID)
        card = await tg.ask(owner, "/follow https://x.com/Fnac")
        await tg.press(owner, card, "✖️ Annuler")
        cancelled = await tg.wait_for_edit(OWNER_ID, card["message_id"])
        assert cancelled["text"] == "✖️ Annulé : rien n’a été demandé à X."
        await tg.press_data(owner, card["message_id"], _data(card, "✅ Suivre"))  # too late for the card's Follow
        expired = await tg.wait_for_edit(OWNER_ID, card["message_id"])
        assert expired["text"].startswith("Cette proposition n’est plus valable")
        assert x.count("follow") == 0 and x.following(ACCOUNT) == set()
        assert await bot.services.store.following.all() == []


async def test_unfollow_from_the_list_after_confirmation(settings, tg, x):
    async with vigie(settings, tg, x) as bot:
        owner = tg.user(OWNER_ID, language_code="en")
        done = await _followed(tg, owner, "@Fnac", follow="✅ Follow")
        assert done["text"] == "✅ You now follow @Fnac on X; its posts will reach your briefing."
        unknown = await tg.ask(owner, "/unfollow @darty")
        assert unknown["text"] == "Vigie does not follow @darty. /follow lists the accounts followed."
        listed = await tg.ask(owner, "/follow")
        assert listed["text"].startswith("Accounts followed on X")
        await tg.press(owner, listed, "Unfollow @Fnac")
        asked = await tg.wait_for_edit(OWNER_ID, listed["message_id"])
        assert asked["text"].startswith("Stop following @Fnac on X?")
        assert x.count("unfollow") == 0
        await tg.press(owner, asked, "Unfollow")
        gone = await tg.wait_for_edit(OWNER_ID, listed["message_id"])
        assert gone["text"] == "You no longer follow @Fnac on X; its posts will no longer reach your briefing."
        assert x.following(ACCOUNT) == set() and x.count("unfollow") == 1
        assert await bot.services.store.following.all() == []
        await Ingest(bot.services).cycle()
        assert x.count("user_posts") == 0  # no longer read


async def test_unfollow_command_confirms_then_unfollows(settings, tg, x):
    async with vigie(settings, tg, x):
        owner = tg.user(OWNER_ID)
        await _followed(tg, owner, "@Fnac")
        card = await tg.ask(owner, "/unfollow @FNAC")
        assert card["text"].splitlines() == [
            "Ne plus suivre @Fnac sur X ?",
            "Ses posts n’arriveront plus dans votre briefing.",
        ]
        await tg.press(owner, card, "✖️ Annuler")
        await tg.wait_for_edit(OWNER_ID, card["message_id"])
        assert x.count("unfollow") == 0 and x.following(ACCOUNT) == {"Fnac"}
        card = await tg.ask(owner, "/unfollow fnac")
        await tg.press(owner, card, "Ne plus suivre")
        gone = await tg.wait_for_edit(OWNER_ID, card["message_id"])
        assert gone["text"].startswith("Vous ne suivez plus @Fnac sur X")
        query = await tg.press_data(owner, card["message_id"], _data(card, "Ne plus suivre"))
        assert (await tg.wait_for_answer(query))["text"] == "Vigie ne suit déjà plus ce compte."
        assert x.count("unfollow") == 1


async def test_a_protected_account_gets_a_request_and_its_posts_come_once_accepted(settings, tg, x):
    x.add_user("prive", "Compte Privé", protected=True)
    async with vigie(settings, tg, x) as bot:
        store = bot.services.store
        owner = tg.user(OWNER_ID)
        card = await tg.ask(owner, "/follow @prive")
        assert "🔒 Compte protégé : il devra accepter la demande avant que ses posts n’arrivent." in card["text"]
        await tg.press(owner, card, "✅ Suivre")
        sent = await tg.wait_for_edit(OWNER_ID, card["message_id"])
        assert sent["text"] == (
            "📨 Demande envoyée à @prive : ce compte est protégé. "
            "Ses posts arriveront dans votre briefing dès qu’il l’aura acceptée."
        )
        assert x.pending_follows(ACCOUNT) == {"prive"} and x.following(ACCOUNT) == set()
        listed = await tg.ask(owner, "/follow")
        assert "Compte Privé @prive — 🔒 en attente de son accord" in listed["text"]
        x.add_post("Réservé à nos abonnés", "prive")
        now = time.time()
        await Ingest(bot.services).cycle(now=now)
        assert x.count("user_posts") == 1 and await store.items.recent(FOLLOWED) == []
        x.accept_follow("prive")
        await Ingest(bot.services).cycle(now=now + settings.x_search_interval)
        [stored] = await store.items.recent(FOLLOWED)
        assert stored.item.text == "Réservé à nos abonnés"
        [watched] = await store.following.all()
        assert watched.pending is False


async def test_no_such_account_and_a_suspended_one(settings, tg, x):
    x.add_user("banni", suspended=True)
    async with vigie(settings, tg, x):
        owner = tg.user(OWNER_ID)
        missing = await tg.ask(owner, "/follow @personne")
        assert missing["text"] == "Aucun compte X ne s’appelle @personne. Vérifiez l’orthographe."
        suspended = await tg.ask(owner, "/follow @banni")
        assert suspended["text"] == "X a suspendu ce compte : impossible de le suivre."
        assert _buttons(missing) == _buttons(suspended) == []
        assert x.count("follow") == 0


async def test_usage_for_no_account_or_a_bad_one(settings, tg, x):
    async with vigie(settings, tg, x):
        owner = tg.user(OWNER_ID)
        empty = await tg.ask(owner, "/follow")
        assert empty["text"].startswith("Vigie ne suit encore aucun compte sur X.")
        assert "/follow @Fnac" in empty["text"]
        bad = await tg.ask(owner, "/follow @nom avec espaces")
        assert bad["text"].startswith("« @nom avec espaces » n’est pas un compte X")
        assert "Usage : /follow @compte, par exemple /follow @Fnac" in bad["text"]
        assert x.requests == []


async def test_x_rate_limit_on_a_lookup_says_how_long_to_wait(settings, tg, x):
    x.fail_next("users_by_username", 429, reset_in=600)
    async with vigie(settings, tg, x):
        owner = tg.user(OWNER_ID)
        limited = await tg.ask(owner, "/follow @Fnac")
        assert limited["text"] == "X limite ces requêtes pour l’instant : réessayez dans 10 min."
        again = await tg.ask(owner, "/follow @Fnac")  # known: X is not asked again before the reset
        assert again["text"] == limited["text"]
        assert x.count("users_by_username") == 1


async def test_x_rate_limit_on_a_follow_keeps_the_card_for_later(settings, tg, x):
    x.fail_next("follow", 429, reset_in=120)
    async with vigie(settings, tg, x):
        owner = tg.user(OWNER_ID)
        card = await tg.ask(owner, "/follow @Fnac")
        await tg.press(owner, card, "✅ Suivre")
        [told] = await tg.wait_for_messages(OWNER_ID, 1)
        assert told["text"] == "X limite ces requêtes pour l’instant : réessayez dans 2 min."
        assert _buttons(_now(tg, OWNER_ID, card["message_id"])) == ["✅ Suivre", "✖️ Annuler"]
        await tg.press(owner, card, "✅ Suivre")  # X is not asked again before the reset
        [again] = await tg.wait_for_messages(OWNER_ID, 1)
        assert again["text"] == told["text"]
        assert x.count("follow") == 1 and x.following(ACCOUNT) == set()


async def test_missing_x_credentials_are_named(settings, tg, x):
    async with vigie(settings, tg, x, x_user_access_token=None, x_bearer_token=SecretStr(x.bearer_token)):
        owner = tg.user(OWNER_ID, language_code="en")
        refused = await tg.ask(owner, "/follow @Fnac")
        assert refused["text"] == (
            "Following an account needs Vigie’s X account (X_USER_ACCESS_TOKEN, or the four OAuth 1.0a settings), "
            "which is not set up."
        )
        assert x.requests == []


async def test_the_daily_follow_limit_then_a_later_try(settings, tg, x):
    x.follow_limit_reached = True
    async with vigie(settings, tg, x):
        owner = tg.user(OWNER_ID)
        card = await tg.ask(owner, "/follow @Fnac")
        await tg.press(owner, card, "✅ Suivre")
        [told] = await tg.wait_for_messages(OWNER_ID, 1)
        assert told["text"] == (
            "X n’autorise plus de nouvel abonnement aujourd’hui (limite quotidienne atteinte) : réessayez demain."
        )
        assert x.following(ACCOUNT) == set()
        x.follow_limit_reached = False  # the next day
        await tg.press(owner, card, "✅ Suivre")
        done = await tg.wait_for_edit(OWNER_ID, card["message_id"])
        assert done["text"].startswith("✅ Vous suivez maintenant @Fnac")
        assert x.following(ACCOUNT) == {"Fnac"}


async def test_over_budget_is_refused_with_the_figures_before_x_is_asked(settings, tg, x):
    async with vigie(settings, tg, x, x_monthly_budget_usd=1.0) as bot:
        await bot.services.store.x.add_cost("post_read", 200, 1_000_000)
        owner = tg.user(OWNER_ID)
        refused = await tg.ask(owner, "/follow @Fnac")
        assert refused["text"] == (
            "Refusé : le budget X du mois serait dépassé "
            "(1,00 $ dépensés + 0,010 $ pour chercher ce compte, budget 1,00 $)."
        )
        assert x.requests == []
    async with vigie(settings, tg, x, x_monthly_budget_usd=1.02) as bot:
        card = await tg.ask(owner, "/follow @Fnac")  # 1.01 spent once looked up: a follow would pass 1.02
        await tg.press(owner, card, "✅ Suivre")
        [told] = await tg.wait_for_messages(OWNER_ID, 1)
        assert told["text"] == (
            "Refusé : le budget X du mois serait dépassé (1,01 $ dépensés + 0,015 $ pour cet abonnement, budget 1,02 $)."
        )
        assert x.count("follow") == 0 and x.count("users_by_username") == 1


async def test_a_delegate_can_neither_follow_nor_press_follow(settings, tg, x, services):
    await services.store.team.grant(DELEGATE_ID, Role.DELEGATE)
    async with vigie(settings, tg, x):
        owner, delegate = tg.user(OWNER_ID), tg.user(DELEGATE_ID, "Marc")
        refused = await tg.ask(delegate, "/follow @Fnac")
        assert refused["text"] == "Cette action est réservée aux propriétaires."
        assert x.requests == []
        card = await tg.ask(owner, "/follow @Fnac")  # the offer waits in Redis
        forged = encode(FollowConfirm(_data(card, "✅ Suivre").rsplit(":", 1)[1]))
        query = await tg.press_data(delegate, refused["message_id"], forged)
        assert (await tg.wait_for_answer(query))["text"] == "Cette action est réservée aux propriétaires."
        assert x.count("follow") == 0 and x.following(ACCOUNT) == set()


@pytest.mark.parametrize(
    ("typed", "handle"),
    [
        ("@Fnac", "Fnac"),
        ("fnac_officiel", "fnac_officiel"),
        ("https://x.com/Fnac", "Fnac"),
        ("twitter.com/Fnac/", "Fnac"),
        ("https://mobile.twitter.com/Fnac?lang=fr", "Fnac"),
        ("@", None),
        ("@nom avec espaces", None),
        ("@beaucoup_trop_long_pour_x", None),
        ("https://example.com/Fnac", None),
        ("@fnac!", None),
    ],
)
def test_what_counts_as_an_x_handle(typed, handle):
    assert following.handle(typed) == handle


async def test_a_second_owner_pressing_follow_meanwhile_follows_once(settings, tg, x):
    other_owner = 222222
    async with vigie(settings, tg, x, owner_ids=frozenset({OWNER_ID, other_owner})):
        owner, other = tg.user(OWNER_ID), tg.user(other_owner, language_code="en")
        card = await tg.ask(owner, "/follow @Fnac")
        theirs = await tg.ask(other, "/follow @Fnac")  # looked up again: the same offer
        await tg.press(owner, card, "✅ Suivre")
        await tg.wait_for_edit(OWNER_ID, card["message_id"])
        await tg.press(other, theirs, "✅ Follow")
        told = await tg.wait_for_edit(other_owner, theirs["message_id"])
        assert told["text"] == "✅ You now follow @Fnac on X; its posts will reach your briefing."
        assert x.count("follow") == 1
        bad = await tg.ask(other, "/unfollow nom!")
        assert bad["text"].startswith("“nom!” is not an X account")
        assert "Usage: /unfollow @account" in bad["text"]
