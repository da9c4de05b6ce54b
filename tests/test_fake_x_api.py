"""Self-tests of the fake X API v2 server, driven by tweepy's real AsyncClient."""

import time
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
from tweepy.asynchronous import AsyncClient
from tweepy.errors import (
    BadRequest,
    Forbidden,
    TooManyRequests,
    TwitterServerError,
    Unauthorized,
)

from tests.fakes.x_api import FakeX


@pytest.fixture
async def x():
    async with FakeX() as server:
        yield server


async def _client(x: FakeX, token: str) -> AsyncClient:
    client = AsyncClient(bearer_token=token)
    client.session = aiohttp.ClientSession(middlewares=(x.rewrite,))
    return client


@pytest.fixture
async def client(x):
    client = await _client(x, x.bearer_token)
    yield client
    await client.session.close()


async def test_search_since_id_returns_newer_posts_with_authors(x, client):
    week_ago = datetime.now(UTC) - timedelta(days=8)
    x.add_post("Vieux billet sur le réseau", "ancien", created_at=week_ago)
    first = x.add_post("Le réseau tient bon", "alice")
    second = x.add_post("Panne du réseau à Lyon", "bob", likes=4)
    third = x.add_post("Réseau rétabli, merci @alice", "carol", lang="fr")

    response = await client.search_recent_tweets(
        "réseau",
        since_id=first["id"],
        expansions=["author_id"],
        tweet_fields=["created_at", "author_id", "public_metrics", "entities"],
    )

    assert [t.id for t in response.data] == [int(third["id"]), int(second["id"])]
    assert response.data[1].public_metrics["like_count"] == 4
    assert response.data[0].entities["mentions"][0]["username"] == "alice"
    assert [u.username for u in response.includes["users"]] == ["carol", "bob"]
    assert response.meta == {
        "newest_id": third["id"],
        "oldest_id": second["id"],
        "result_count": 2,
    }
    endpoint, params = x.requests[-1]
    assert endpoint == "search"
    assert params["query"] == "réseau" and params["since_id"] == first["id"]


QUERIES = {
    "réseau OR panne": {"net", "outage", "rt"},
    "réseau -panne": {"net", "rt"},
    "réseau -(panne OR lyon)": {"net", "rt"},
    "reseau": {"plain"},
    "réseau lang:en": set(),
    "(réseau OR network) lang:en": {"english"},
    "from:BOB -is:retweet": {"outage"},
    '"réseau tient"': {"net", "rt"},
    '-"tient bon" réseau': {"outage"},
    "@alice": {"rt", "mention", "reply"},
    "#Cyber": {"tag"},
    "réseau is:retweet": {"rt"},
    "réseau -is:retweet": {"net", "outage"},
    "to:alice": {"reply"},
    "from:dave has:links": {"link"},
}


@pytest.mark.parametrize("query", QUERIES)
async def test_query_syntax_selects_the_right_posts(x, client, query):
    posts = {
        "net": x.add_post("Le réseau tient bon.", "alice"),
        "outage": x.add_post("Panne du réseau à Lyon !", "bob"),
        "plain": x.add_post("Un reseau sans accent", "carol"),
        "english": x.add_post("The network is down", "carol", lang="en"),
        "mention": x.add_post("Bravo @Alice", "carol"),
        "tag": x.add_post("Alerte #cyber en cours", "carol"),
        "link": x.add_post("À lire", "dave", urls=["https://example.org/a"]),
    }
    posts["rt"] = x.add_post("", "bob", retweet_of=posts["net"]["id"])
    posts["reply"] = x.add_post("@alice d'accord", "carol", reply_to=posts["net"]["id"])
    ids = {value["id"]: key for key, value in posts.items()}

    response = await client.search_recent_tweets(query, max_results=100)

    assert {ids[str(t.id)] for t in response.data or []} == QUERIES[query]


async def test_an_expanded_author_comes_with_its_author_id_as_from_x(x, client):
    """X sends author_id on each post when author_id is expanded, tweet.fields or not."""
    alice = x.add_user("alice")
    x.add_post("bonjour le monde", "alice")
    response = await client.search_recent_tweets("bonjour", expansions=["author_id"], tweet_fields=["lang"])
    assert response.data[0].author_id == int(alice["id"]) and response.includes["users"][0].username == "alice"
    plain = await client.search_recent_tweets("bonjour", tweet_fields=["lang"])
    assert plain.data[0].author_id is None


async def test_pagination_via_next_token(x, client):
    posted = [x.add_post(f"annonce numéro {i}", "alice")["id"] for i in range(25)]
    pages, token = [], None
    while True:
        response = await client.search_recent_tweets("annonce", max_results=10, next_token=token)
        pages.append([str(t.id) for t in response.data])
        token = response.meta.get("next_token")
        if not token:
            break
    assert [len(page) for page in pages] == [10, 10, 5]
    assert sum(pages, []) == posted[::-1]


async def test_empty_result_has_no_data(x, client):
    x.add_post("rien à voir", "alice")
    response = await client.search_recent_tweets("introuvable")
    assert response.data is None
    assert response.meta == {"result_count": 0}


async def test_invalid_requests_are_bad_requests(x, client):
    with pytest.raises(BadRequest) as caught:
        await client.search_recent_tweets("réseau", max_results=5)
    assert caught.value.api_messages == ["The `max_results` query parameter value [5] is not between 10 and 100"]
    with pytest.raises(BadRequest, match="invalid operator 'near'"):
        await client.search_recent_tweets("réseau near:paris")
    with pytest.raises(BadRequest, match="standalone operator"):
        await client.search_recent_tweets("lang:fr")


async def test_a_bare_and_is_refused_as_x_refuses_it(x, client):
    """X's answer to a query with a bare `and`, as seen from the real API: every `and` named."""
    x.add_post("Fnac and Darty", "alice", lang="en")
    query = "Fnac and Darty and Boulanger"
    with pytest.raises(BadRequest) as caught:
        await client.search_recent_tweets(query)
    ambiguous = (
        'Ambiguous use of and as a keyword. Use a space to logically join two clauses, or "and" to find '
        "occurrences of and in text"
    )
    assert await caught.value.response.json() == {
        "errors": [
            {
                "parameters": {"query": [query]},
                "message": f"There were errors processing your request: {ambiguous} (at position 16), "
                f"{ambiguous} (at position 6)",
            }
        ],
        "title": "Invalid Request",
        "detail": "One or more parameters to your request was invalid.",
        "type": "https://api.twitter.com/2/problems/invalid-request",
    }
    response = await client.search_recent_tweets('Fnac "and" Darty')  # quoted, it is a word
    assert len(response.data) == 1


async def test_rate_limit_then_429_with_reset_header(x, client):
    x.set_limit("search", 2, window_seconds=60)
    await client.search_recent_tweets("a")
    await client.search_recent_tweets("a")
    with pytest.raises(TooManyRequests) as caught:
        await client.search_recent_tweets("a")
    headers = caught.value.response.headers
    assert headers["x-rate-limit-limit"] == "2"
    assert headers["x-rate-limit-remaining"] == "0"
    assert 0 < int(headers["x-rate-limit-reset"]) - time.time() <= 60
    assert caught.value.response.content_type == "application/problem+json"
    x.reset_limits()
    await client.search_recent_tweets("a")
    assert x.count("search") == 4


async def test_fail_next_503_429_and_malformed(x, client):
    x.fail_next("search", 503)
    with pytest.raises(TwitterServerError):
        await client.search_recent_tweets("a")
    x.fail_next("search", 429, reset_in=5)
    with pytest.raises(TooManyRequests) as caught:
        await client.search_recent_tweets("a")
    assert caught.value.reset_time - time.time() == pytest.approx(5, abs=1.5)
    assert caught.value.response.headers["x-rate-limit-remaining"] == "0"
    x.fail_next("search", 200, malformed=True)
    with pytest.raises(aiohttp.ContentTypeError):
        await client.search_recent_tweets("a")
    assert (await client.search_recent_tweets("a")).meta == {"result_count": 0}


async def test_authentication(x):
    stranger = await _client(x, "wrong-token")
    app = await _client(x, x.bearer_token)
    user = await _client(x, x.user_token)
    try:
        with pytest.raises(Unauthorized):
            await stranger.search_recent_tweets("a")
        with pytest.raises(Forbidden):
            await app.get_me(user_auth=False)
        me = await user.get_me(user_auth=False)
        assert me.data.username == x.account_username
        x.add_post(f"Salut @{x.account_username}", "alice")
        mentions = await app.get_users_mentions(me.data.id)
        assert mentions.meta["result_count"] == 1
    finally:
        for client in (stranger, app, user):
            await client.session.close()


async def test_users_and_their_posts(x, client):
    alice = x.add_user("Alice_FR", "Alice", user_id="42")
    old = x.add_post("premier", "alice_fr")
    x.add_post("second", "alice_fr")
    x.add_post("répondu", "alice_fr", reply_to=old["id"])

    found = await client.get_user(username="alice_fr", user_fields=["public_metrics"])
    assert found.data.data == {
        "id": "42",
        "name": "Alice",
        "username": "Alice_FR",
        "public_metrics": found.data.public_metrics,
    }
    assert found.data.public_metrics["tweet_count"] == 3
    missing = await client.get_user(username="nobody")
    assert missing.data is None
    assert missing.errors[0]["detail"] == "Could not find user with username: [nobody]."

    posts = await client.get_users_tweets(alice["id"], since_id=old["id"], exclude=["replies"])
    assert [t.text for t in posts.data] == ["second"]


def test_post_shapes():
    x = FakeX()
    original = x.add_post("Lire https://example.org/rapport et $TSLA #IA", "alice", lang="fr")
    retweet = x.add_post("", "bob", retweet_of=original["id"])
    assert int(retweet["id"]) > int(original["id"]) >= 1_800_000_000_000_000_000
    assert retweet["text"] == f"RT @alice: {original['text']}"
    assert retweet["referenced_tweets"] == [{"type": "retweeted", "id": original["id"]}]
    assert original["created_at"].endswith("Z") and len(original["created_at"]) == 24
    assert original["conversation_id"] == original["id"]
    assert original["edit_history_tweet_ids"] == [original["id"]]
    assert original["text"].startswith("Lire https://t.co/")
    [link] = original["entities"]["urls"]
    assert link["expanded_url"] == "https://example.org/rapport"
    assert original["entities"]["cashtags"][0]["tag"] == "TSLA"
    assert original["entities"]["hashtags"][0]["tag"] == "IA"
    assert set(original["public_metrics"]) == {
        "retweet_count", "reply_count", "like_count", "quote_count",
        "bookmark_count", "impression_count",
    }  # fmt: skip


async def test_trends_with_plain_aiohttp(x):
    x.set_trends(615702, [("#Paris", 12000), ("Grève", None)])
    headers = {"Authorization": f"Bearer {x.bearer_token}"}
    async with aiohttp.ClientSession(headers=headers, middlewares=(x.rewrite,)) as session:
        url = "https://api.twitter.com/2/trends/by/woeid/615702"
        async with session.get(url, params={"trend.fields": "trend_name,tweet_count"}) as response:
            assert response.status == 200
            assert response.headers["x-rate-limit-limit"] == "75"
            assert await response.json() == {
                "data": [{"trend_name": "#Paris", "tweet_count": 12000}, {"trend_name": "Grève"}]
            }
        async with session.get(url, params={"max_trends": 1}) as response:
            assert await response.json() == {"data": [{"trend_name": "#Paris"}]}
        async with session.get(url.replace("615702", "1")) as response:
            assert (await response.json())["errors"][0]["title"] == "Not Found Error"


# --------------------------------------------------------------------------- writes


@pytest.fixture
async def user(x):
    """tweepy's client with the user-context token (OAuth 2.0, sent as Bearer)."""
    client = await _client(x, x.user_token)
    yield client
    await client.session.close()


async def _raw(x: FakeX, method: str, path: str, token: str, body: object = None) -> tuple[int, dict]:
    """A request tweepy would not send as is: status and JSON answer."""
    headers = {"Authorization": f"Bearer {token}"}
    async with (
        aiohttp.ClientSession(middlewares=(x.rewrite,)) as session,
        session.request(method, f"https://api.x.com{path}", json=body, headers=headers) as response,
    ):
        return response.status, await response.json(content_type=None)


async def test_a_created_post_is_the_accounts_and_search_finds_it(x, client, user):
    status, answer = await _raw(x, "POST", "/2/tweets", x.user_token, {"text": "Vigie veille sur #Lyon"})
    assert status == 201
    post_id = answer["data"]["id"]
    assert answer == {"data": {"id": post_id, "text": "Vigie veille sur #Lyon", "edit_history_tweet_ids": [post_id]}}

    created = await user.create_tweet(text="Deuxième message de Vigie", user_auth=False)
    assert set(created.data) == {"id", "text", "edit_history_tweet_ids"}

    found = await client.search_recent_tweets(f"from:{x.account_username}", expansions=["author_id"])
    assert [str(t.id) for t in found.data] == [created.data["id"], post_id]
    assert found.includes["users"][0].username == x.account_username
    assert [p["text"] for p in x.posts_by(x.account_username)] == [
        "Deuxième message de Vigie",
        "Vigie veille sur #Lyon",
    ]
    creates = [params for endpoint, params in x.requests if endpoint == "create_post"]
    assert creates == [{"text": "Vigie veille sur #Lyon"}, {"text": "Deuxième message de Vigie"}]


async def test_a_reply_and_a_quote_carry_their_references(x, client, user):
    original = x.add_post("Panne du réseau à Lyon", "alice")
    reply = await user.create_tweet(
        text="@alice merci, on regarde", in_reply_to_tweet_id=original["id"], user_auth=False
    )
    quote = await user.create_tweet(text="À suivre", quote_tweet_id=original["id"], user_auth=False)

    fields = ["referenced_tweets", "conversation_id", "in_reply_to_user_id"]
    replies = await client.search_recent_tweets("to:alice", tweet_fields=fields)
    [found] = replies.data
    assert str(found.id) == reply.data["id"]
    assert found.referenced_tweets[0].data == {"type": "replied_to", "id": original["id"]}
    assert str(found.conversation_id) == original["id"] and str(found.in_reply_to_user_id) == original["author_id"]
    quotes = await client.search_recent_tweets("suivre is:quote", tweet_fields=fields)
    assert [str(t.id) for t in quotes.data] == [quote.data["id"]]
    assert quotes.data[0].referenced_tweets[0].data == {"type": "quoted", "id": original["id"]}
    creates = [params for endpoint, params in x.requests if endpoint == "create_post"]
    assert creates == [
        {"text": "@alice merci, on regarde", "reply": {"in_reply_to_tweet_id": original["id"]}},
        {"text": "À suivre", "quote_tweet_id": original["id"]},
    ]


async def test_replying_to_or_quoting_a_missing_post_is_forbidden(x, user):
    with pytest.raises(Forbidden) as caught:
        await user.create_tweet(text="Réponse", in_reply_to_tweet_id="1234567890", user_auth=False)
    assert caught.value.api_messages == ["You attempted to reply to a Tweet that is deleted or not visible to you."]
    with pytest.raises(Forbidden):
        await user.create_tweet(text="Citation", quote_tweet_id="1234567890", user_auth=False)
    assert x.posts_by(x.account_username) == []


async def test_duplicate_content_is_forbidden_as_x_words_it(x, user):
    x.add_post("Bilan de la journée", x.account_username, created_at=datetime.now(UTC) - timedelta(days=2))
    await user.create_tweet(text="Bilan de la journée", user_auth=False)  # the old one is out of the window
    with pytest.raises(Forbidden) as caught:
        await user.create_tweet(text="Bilan de la journée", user_auth=False)
    assert await caught.value.response.json() == {
        "detail": "You are not allowed to create a Tweet with duplicate content.",
        "type": "about:blank",
        "title": "Forbidden",
        "status": 403,
    }
    assert len(x.posts_by(x.account_username)) == 2
    x.add_post("Bilan de la journée", "alice")  # someone else's post is no duplicate
    await user.create_tweet(text="Bilan de la journée, suite", user_auth=False)


async def test_text_is_measured_as_x_weighs_it(x, user):
    with pytest.raises(BadRequest) as caught:
        await user.create_tweet(text="a" * 281, user_auth=False)
    assert caught.value.api_messages[0].startswith("Your Tweet text is too long.")
    assert (await caught.value.response.json())["type"] == "https://api.twitter.com/2/problems/invalid-request"
    with pytest.raises(BadRequest):
        await user.create_tweet(text="é" * 141 + "界" * 70, user_auth=False)  # CJK weighs 2: 281
    long_link = "https://example.org/" + "chemin/" * 40  # any link weighs 23
    await user.create_tweet(text="a" * 250 + " " + long_link, user_auth=False)
    [post] = x.posts_by(x.account_username)
    assert post["entities"]["urls"][0]["expanded_url"] == long_link


async def test_writes_refuse_app_only_tokens(x, client):
    with pytest.raises(Forbidden) as caught:
        await client.create_tweet(text="Bonjour", user_auth=False)
    assert (await caught.value.response.json())["title"] == "Unsupported Authentication"
    mine = x.add_post("à moi", x.account_username)
    with pytest.raises(Forbidden):
        await client.delete_tweet(mine["id"], user_auth=False)
    account = x.posts_by(x.account_username)[0]["author_id"]
    alice = x.add_user("alice")
    status, _ = await _raw(x, "POST", f"/2/users/{account}/following", x.bearer_token, {"target_user_id": alice["id"]})
    assert status == 403
    status, _ = await _raw(x, "DELETE", f"/2/users/{account}/following/{alice['id']}", x.bearer_token)
    assert status == 403
    assert len(x.posts_by(x.account_username)) == 1 and x.following(x.account_username) == set()


async def test_write_bodies_are_checked_against_xs_schema(x):
    token = x.user_token
    status, answer = await _raw(x, "POST", "/2/tweets", token, {"text": "a", "texte": "b"})
    assert status == 400 and answer["title"] == "Invalid Request"
    assert answer["errors"][0]["message"].startswith("$.texte: is not defined in the schema")
    status, answer = await _raw(x, "POST", "/2/tweets", token, {"text": "a", "quote_tweet_id": "12ab"})
    assert status == 400 and "regex pattern" in answer["errors"][0]["message"]
    status, _ = await _raw(x, "POST", "/2/tweets", token, {"text": "a", "quote_tweet_id": 12})
    assert status == 400
    status, _ = await _raw(x, "POST", "/2/tweets", token, {"reply": {"in_reply_to_tweet_id": "1"}})
    assert status == 400  # no text
    status, answer = await _raw(x, "POST", "/2/tweets", token, {"text": "a", "poll": {"options": ["x", "y"]}})
    assert status == 501 and "poll" in answer["detail"]  # valid for X, not modelled here
    status, _ = await _raw(x, "POST", "/2/tweets?dry_run=true", token, {"text": "a"})
    assert status == 400
    for method, path in (("GET", "/2/tweets/123"), ("PUT", "/2/tweets"), ("POST", "/2/tweets/123")):
        status, answer = await _raw(x, method, path, token)
        assert (status, answer["detail"]) == (404, "Sorry, that page does not exist.")
    assert x.posts_by(x.account_username) == []


async def test_delete_only_the_accounts_own_posts(x, client, user):
    mine = await user.create_tweet(text="Message à effacer", user_auth=False)
    theirs = x.add_post("Message d'Alice", "alice")
    x.add_post("", "bob", retweet_of=mine.data["id"])

    deleted = await user.delete_tweet(mine.data["id"], user_auth=False)
    assert deleted.data == {"deleted": True}
    assert x.posts_by(x.account_username) == [] and x.posts_by("bob") == []  # its retweet went with it
    assert (await client.search_recent_tweets("effacer")).data is None
    with pytest.raises(Forbidden):
        await user.delete_tweet(theirs["id"], user_auth=False)
    assert len(x.posts_by("alice")) == 1
    again = await user.delete_tweet(mine.data["id"], user_auth=False)
    assert again.data == {"deleted": False}
    assert [params["id"] for endpoint, params in x.requests if endpoint == "delete_post"] == [
        mine.data["id"],
        theirs["id"],
        mine.data["id"],
    ]


async def test_follow_unfollow_and_a_protected_accounts_pending_request(x, client, user):
    alice = x.add_user("alice", followers=10)
    private = x.add_user("prive", protected=True)

    followed = await user.follow_user(alice["id"], user_auth=False)
    assert followed.data == {"following": True, "pending_follow": False}
    again = await user.follow_user(alice["id"], user_auth=False)
    assert again.data == {"following": True, "pending_follow": False}
    pending = await user.follow_user(private["id"], user_auth=False)
    assert pending.data == {"following": False, "pending_follow": True}
    assert x.following(x.account_username) == {"alice"}
    assert x.pending_follows(x.account_username) == {"prive"}
    found = await client.get_user(username="alice", user_fields=["public_metrics"])
    assert found.data.public_metrics["followers_count"] == 11
    assert x.requests[-2][0] == "follow" and x.requests[-2][1]["target_user_id"] == private["id"]

    unfollowed = await user.unfollow_user(alice["id"], user_auth=False)
    assert unfollowed.data == {"following": False}
    assert x.following(x.account_username) == set()


async def test_follow_acts_for_the_tokens_account_only(x, user):
    alice, bob = x.add_user("alice"), x.add_user("bob")
    status, answer = await _raw(
        x, "POST", f"/2/users/{bob['id']}/following", x.user_token, {"target_user_id": alice["id"]}
    )
    assert status == 403 and answer["title"] == "Forbidden"
    me = (await user.get_me(user_auth=False)).data.id
    status, answer = await _raw(x, "POST", f"/2/users/{me}/following", x.user_token, {"target_user_id": "999"})
    assert status == 200 and answer["errors"][0]["type"] == "https://api.twitter.com/2/problems/resource-not-found"
    status, _ = await _raw(x, "POST", f"/2/users/{me}/following", x.user_token, {"target": alice["id"]})
    assert status == 400
    assert x.following("bob") == set() and x.following(x.account_username) == set()


async def test_the_daily_follow_limit(x, user):
    alice = x.add_user("alice")
    x.follow_limit_reached = True
    with pytest.raises(Forbidden) as caught:
        await user.follow_user(alice["id"], user_auth=False)
    assert caught.value.api_messages == ["You are unable to follow more people at this time."]
    assert x.following(x.account_username) == set()
    x.follow_limit_reached = False
    await user.follow_user(alice["id"], user_auth=False)
    assert x.following(x.account_username) == {"alice"}


async def test_user_lookup_with_profile_fields_and_a_suspended_account(x, client, user):
    x.add_user("presse", "La Presse", description="Quotidien régional", followers=1200, verified=True)
    x.add_user("banni", suspended=True)
    x.add_post("réseau en panne", "banni")
    fields = ["description", "public_metrics", "protected", "verified"]

    found = await user.get_user(username="presse", user_fields=fields, user_auth=False)
    assert (found.data.name, found.data.description) == ("La Presse", "Quotidien régional")
    assert found.data.public_metrics["followers_count"] == 1200
    assert found.data.verified is True and found.data.protected is False

    suspended = await user.get_user(username="banni", user_fields=fields, user_auth=False)
    assert suspended.data is None
    assert suspended.errors == [
        {
            "parameter": "username",
            "resource_id": "banni",
            "value": "banni",
            "detail": "User has been suspended: [banni].",
            "title": "Forbidden",
            "resource_type": "user",
            "type": "https://api.twitter.com/2/problems/resource-not-found",
        }
    ]
    assert (await client.search_recent_tweets("réseau")).data is None


async def test_fail_next_and_limits_on_writes(x, user):
    x.fail_next("create_post", 503)
    with pytest.raises(TwitterServerError):
        await user.create_tweet(text="Premier essai", user_auth=False)
    assert x.posts_by(x.account_username) == [] and x.count("create_post") == 1
    alice = x.add_user("alice")
    x.fail_next("follow", 429, reset_in=30)
    with pytest.raises(TooManyRequests) as caught:
        await user.follow_user(alice["id"], user_auth=False)
    assert caught.value.reset_time - time.time() == pytest.approx(30, abs=1.5)
    x.set_limit("create_post", 1)
    await user.create_tweet(text="Premier essai", user_auth=False)
    with pytest.raises(TooManyRequests):
        await user.create_tweet(text="Second essai", user_auth=False)
    assert [p["text"] for p in x.posts_by(x.account_username)] == ["Premier essai"]


async def test_a_users_timeline_since_id_and_a_protected_accounts_posts(x, client, user):
    alice = x.add_user("alice", "Alice", verified=True)
    private = x.add_user("prive", "Privé", protected=True)
    first = x.add_post("premier billet", "alice")
    x.add_post("deuxième billet", "alice")
    x.add_post("réponse", "alice", reply_to=first["id"])
    x.add_post("réservé aux abonnés", "prive")

    page = await client.get_users_tweets(
        alice["id"], since_id=first["id"], max_results=5, expansions=["author_id"], exclude=["replies"]
    )
    assert [t.text for t in page.data] == ["deuxième billet"]
    assert [u.username for u in page.includes["users"]] == ["alice"]
    assert page.meta["result_count"] == 1 and page.meta["newest_id"] == str(page.data[0].id)
    empty = await client.get_users_tweets(alice["id"], since_id=page.meta["newest_id"], exclude=["replies"])
    assert empty.data is None and empty.meta == {"result_count": 0}
    with pytest.raises(BadRequest):
        await client.get_users_tweets(alice["id"], max_results=4)

    hidden = await client.get_users_tweets(private["id"])
    assert hidden.data is None
    assert hidden.errors[0]["title"] == "Authorization Error"
    assert hidden.errors[0]["type"] == "https://api.twitter.com/2/problems/not-authorized-for-resource"
    await user.follow_user(private["id"], user_auth=False)
    assert (await user.get_users_tweets(private["id"], user_auth=False)).data is None  # still pending
    x.accept_follow("prive")
    seen = await user.get_users_tweets(private["id"], user_auth=False)
    assert [t.text for t in seen.data] == ["réservé aux abonnés"]
    assert (await client.get_users_tweets(private["id"])).data is None  # never app-only
