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
