"""The account Vigie acts for on X (bot.sources.x_account.XAccount) against the local X API
server: each answer X can give a write mapped to the model's SourceError family."""

from __future__ import annotations

import socket
import time
from datetime import UTC, datetime, timedelta

import pytest

from bot.config import Settings, load_settings
from bot.model import (
    BadStatus,
    Duplicate,
    Followed,
    FollowLimit,
    Malformed,
    NotFound,
    RateLimited,
    Suspended,
    Unauthorized,
    Unreachable,
    XUser,
)
from bot.sources.x import MICRO_USD
from bot.sources.x_account import XAccount, post_price
from tests.fakes.x_api import FakeX

NO_CREDENTIALS = {
    "x_bearer_token": None,
    "x_user_access_token": None,
    "x_api_key": None,
    "x_api_secret": None,
    "x_access_token": None,
    "x_access_token_secret": None,
}
OAUTH1 = {"x_api_key": "key", "x_api_secret": "secret", "x_access_token": "1-token", "x_access_token_secret": "shh"}


def _settings(url: str, **credentials: str) -> Settings:
    return load_settings(**{**NO_CREDENTIALS, **credentials}, x_api_url=url)


@pytest.fixture
async def x():
    async with FakeX() as server:
        yield server


@pytest.fixture
async def account(x):
    async with XAccount(_settings(x.url, x_user_access_token=x.user_token)) as opened:
        yield opened


def _creates(x: FakeX) -> list[dict]:
    return [params for endpoint, params in x.requests if endpoint == "create_post"]


def test_configured_needs_user_credentials_of_one_kind():
    url = "https://api.x.com"
    assert not XAccount.configured(_settings(url))
    assert not XAccount.configured(_settings(url, x_bearer_token="app-only"))  # reads only
    assert not XAccount.configured(_settings(url, **{**OAUTH1, "x_access_token_secret": ""}))
    assert XAccount.configured(_settings(url, **OAUTH1))
    assert XAccount.configured(_settings(url, x_user_access_token="user-token"))
    with pytest.raises(ValueError, match="X_USER_ACCESS_TOKEN") as caught:
        XAccount(_settings(url, x_api_key="key"))
    assert "key" not in str(caught.value).replace("X_API_KEY", "")


async def test_a_post_is_created_and_visible(x, account):
    post_id = await account.create_post("Vigie suit la grève à Lyon #greve")
    [post] = x.posts_by(x.account_username)
    assert post["id"] == post_id and post["text"] == "Vigie suit la grève à Lyon #greve"
    assert await account.recent_posts() == [(post_id, "Vigie suit la grève à Lyon #greve")]
    assert _creates(x) == [{"text": "Vigie suit la grève à Lyon #greve"}]
    assert account.limits.seen["create_post"][0] == 99


async def test_a_reply_and_a_quote_refer_to_their_post(x, account):
    original = x.add_post("Panne du réseau à Lyon", "alice")
    reply_id = await account.create_post("@alice merci, on regarde", reply_to=original["id"])
    quote_id = await account.create_post("À suivre", quote_of=original["id"])
    posts = {p["id"]: p for p in x.posts_by(x.account_username)}
    assert posts[reply_id]["referenced_tweets"] == [{"type": "replied_to", "id": original["id"]}]
    assert posts[quote_id]["referenced_tweets"] == [{"type": "quoted", "id": original["id"]}]
    with pytest.raises(NotFound, match="deleted or not visible"):
        await account.create_post("Réponse à rien", reply_to="1234567890")
    assert len(x.posts_by(x.account_username)) == 2


async def test_the_same_text_again_is_a_duplicate(x, account):
    await account.create_post("Point de situation à 18 h")
    with pytest.raises(Duplicate) as caught:
        await account.create_post("Point de situation à 18 h")
    assert caught.value.kind == "duplicate"
    assert len(x.posts_by(x.account_username)) == 1 and len(_creates(x)) == 2


async def test_a_text_over_280_weighted_characters_is_refused(x, account):
    with pytest.raises(BadStatus) as caught:
        await account.create_post("é" * 141 + "界" * 70)
    assert caught.value.status == 400 and "too long" in caught.value.detail
    assert x.posts_by(x.account_username) == []


async def test_x_failing_is_a_bad_status_and_garbage_is_malformed(x, account):
    x.fail_next("create_post", 503)
    with pytest.raises(BadStatus) as caught:
        await account.create_post("Premier essai")
    assert caught.value.status == 503
    x.fail_next("create_post", 503, malformed=True)
    with pytest.raises(BadStatus) as caught:
        await account.create_post("Premier essai")
    assert caught.value.status == 503
    x.fail_next("create_post", 200, malformed=True)
    with pytest.raises(Malformed):
        await account.create_post("Premier essai")
    assert x.posts_by(x.account_username) == [] and len(_creates(x)) == 3


async def test_a_429_says_when_to_come_back(x, account):
    x.fail_next("create_post", 429, reset_in=120)
    with pytest.raises(RateLimited) as caught:
        await account.create_post("Bonjour")
    assert caught.value.reset_at - time.time() == pytest.approx(120, abs=2)
    assert account.limits.exhausted_until("create_post") == caught.value.reset_at
    x.set_limit("follow", 0)
    alice = x.add_user("alice")
    with pytest.raises(RateLimited):
        await account.follow(alice["id"])
    assert x.posts_by(x.account_username) == [] and x.following(x.account_username) == set()


async def test_lookup_of_an_account(x, account):
    presse = x.add_user("LaPresse", "La Presse", description="Quotidien", followers=1200, verified=True)
    assert await account.lookup("@lapresse") == XUser(
        id=presse["id"],
        username="LaPresse",
        name="La Presse",
        description="Quotidien",
        followers=1200,
        verified=True,
        protected=False,
    )
    with pytest.raises(NotFound, match=r"Could not find user with username: \[personne\]"):
        await account.lookup("personne")
    x.add_user("banni", suspended=True)
    with pytest.raises(Suspended, match=r"User has been suspended: \[banni\]"):
        await account.lookup("banni")
    before = len(x.requests)
    with pytest.raises(NotFound):
        await account.lookup("pas un nom")
    assert len(x.requests) == before  # not even asked


async def test_me_is_the_tokens_account(x, account):
    x.add_user(x.account_username, "Vigie", user_id="42", description="Veille", followers=5)
    assert await account.me() == XUser("42", x.account_username, "Vigie", "Veille", followers=5)


async def test_follow_unfollow_and_a_protected_account(x, account):
    alice = x.add_user("alice")
    private = x.add_user("prive", protected=True)
    assert await account.follow(alice["id"]) is True
    assert await account.follow(private["id"]) is False  # pending its approval
    assert x.following(x.account_username) == {"alice"}
    assert x.pending_follows(x.account_username) == {"prive"}
    await account.unfollow(alice["id"])
    await account.unfollow(private["id"])
    assert x.following(x.account_username) == set() == x.pending_follows(x.account_username)
    assert x.count("me") == 1  # the account's id is read once
    with pytest.raises(Suspended):
        await account.follow(x.add_user("banni", suspended=True)["id"])
    with pytest.raises(NotFound):
        await account.follow("999999")


async def test_the_daily_follow_limit(x, account):
    alice = x.add_user("alice")
    x.follow_limit_reached = True
    with pytest.raises(FollowLimit) as caught:
        await account.follow(alice["id"])
    assert caught.value.kind == "follow_limit"
    assert x.following(x.account_username) == set()


async def test_delete_post(x, account):
    mine = await account.create_post("À effacer")
    theirs = x.add_post("Message d'Alice", "alice")
    assert await account.delete_post(mine) is True
    assert x.posts_by(x.account_username) == []
    assert await account.delete_post(mine) is False  # nothing left to delete
    with pytest.raises(BadStatus) as caught:
        await account.delete_post(theirs["id"])
    assert caught.value.status == 403 and len(x.posts_by("alice")) == 1


async def test_recent_posts_after_a_crash(x, account):
    assert await account.recent_posts() == []
    week_ago = datetime.now(UTC) - timedelta(days=7)
    old = x.add_post("Ancien message", x.account_username, created_at=week_ago)
    new = await account.create_post("Message posté avant la panne")
    assert await account.recent_posts(max_results=1) == [(new, "Message posté avant la panne")]
    assert [post_id for post_id, _ in await account.recent_posts()] == [new, old["id"]]


async def test_an_app_only_token_cannot_write(x):
    async with XAccount(_settings(x.url, x_user_access_token=x.bearer_token)) as app_only:
        with pytest.raises(Unauthorized, match="Application-Only is forbidden"):
            await app_only.create_post("Bonjour")
        with pytest.raises(Unauthorized):
            await app_only.me()
    assert x.posts_by(x.account_username) == [] and x.count("create_post") == 1


async def test_refused_credentials_are_unauthorized(x):
    async with XAccount(_settings(x.url, x_user_access_token="revoked-token")) as revoked:
        with pytest.raises(Unauthorized):
            await revoked.create_post("Bonjour")
    async with XAccount(_settings(x.url, **OAUTH1)) as signed:  # the fake refuses OAuth 1.0a: 401
        with pytest.raises(Unauthorized):
            await signed.create_post("Bonjour signé")
    assert _creates(x) == [{"text": "Bonjour"}, {"text": "Bonjour signé"}]
    assert x.posts_by(x.account_username) == []


async def test_x_out_of_reach_is_unreachable():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with XAccount(_settings(f"http://127.0.0.1:{port}", x_user_access_token="token")) as account:
        with pytest.raises(Unreachable):
            await account.create_post("Bonjour")


def test_a_post_with_a_link_costs_more():
    assert post_price("Grève à Lyon") == MICRO_USD["post"] == 15_000
    assert post_price("À lire : lemonde.fr/article") == MICRO_USD["post_link"] == 200_000


async def test_a_followed_accounts_timeline_read_from_its_cursor(x, account):
    fnac = x.add_user("Fnac", "Fnac", verified=True)
    followed = Followed(fnac["id"], "Fnac", "Fnac", verified=True)
    posts = [x.add_post(f"Billet numéro {n}", "Fnac") for n in range(7)]
    x.add_post("@client merci", "Fnac", reply_to=posts[0]["id"])  # replies are left out

    first = await account.timeline(followed, None)  # no cursor: the latest few only
    assert [item.text for item in first.items] == [f"Billet numéro {n}" for n in (6, 5, 4, 3, 2)]
    assert (first.newest_id, first.requests, first.posts_read, first.users_read) == (posts[6]["id"], 1, 5, 0)
    assert (first.items[0].author, first.items[0].author_name, first.items[0].verified) == ("fnac", "Fnac", True)
    fresh = x.add_post("Nouveau billet", "Fnac")
    later = await account.timeline(followed, first.newest_id)
    assert [item.id for item in later.items] == [fresh["id"]] and later.newest_id == fresh["id"]
    nothing = await account.timeline(followed, later.newest_id)
    assert nothing.items == [] and nothing.newest_id == fresh["id"] and nothing.posts_read == 0

    private = x.add_user("prive", protected=True)
    with pytest.raises(NotFound):  # not visible until it accepts the follow
        await account.timeline(Followed(private["id"], "prive", "prive", pending=True), None)
    banned = x.add_user("banni", suspended=True)
    with pytest.raises(Suspended):
        await account.timeline(Followed(banned["id"], "banni", "banni"), None)
