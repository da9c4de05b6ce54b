"""X in the ingest cycle, against the local X API server: one request per unique due query,
since_id always, spend counted, a 429 pausing only search, cursors surviving a restart."""

from __future__ import annotations

import re
import time

import pytest
from pydantic import SecretStr

from bot import trends
from bot.feeds import add_feed
from bot.ingest import Ingest
from bot.model import NEWS
from bot.render.status import status_screen
from bot.services import open_services
from bot.sources.x import MICRO_USD
from bot.status import snapshot
from bot.watches import QueryIndex
from bot.watchlist import create
from tests.fakes.feeds import FakeFeeds
from tests.fakes.x_api import FakeX


@pytest.fixture
async def x():
    async with FakeX() as server:
        yield server


@pytest.fixture
def x_settings(settings, x):
    return settings.model_copy(update={"x_bearer_token": SecretStr(x.bearer_token), "x_api_url": x.url})


@pytest.fixture
async def x_services(x_settings):
    async with open_services(x_settings) as services:
        yield services


def _searches(x) -> list[dict]:
    return [params for endpoint, params in x.requests if endpoint == "search"]


async def test_one_request_per_unique_query_however_many_users(x_services, x):
    store = x_services.store
    for n in range(5):
        x.add_post(f"La Fnac ouvre un magasin numéro {n} à Lyon", "journaliste", lang="fr")
    x.add_post("Darty et la Fnac annoncent un partenariat", "eco_news", lang="fr")
    await create(store, "Fnac", "Fnac OR @Fnac", 1)
    await create(store, "Fnac bis", "@fnac OR fnac", 2)  # the same query, written otherwise
    await create(store, "Darty", "Darty", 3)
    for user_id in range(100, 200):
        for watch_id in ("fnac", "fnac-bis", "darty"):
            await store.watches.follow(user_id, watch_id)

    report = await Ingest(x_services).cycle()
    assert x.count("search") == 2 == report.x_requests
    assert {p["query"] for p in _searches(x)} == {"(@fnac OR fnac) -is:retweet", "darty -is:retweet"}
    fnac = await store.items.recent("fnac", limit=50)
    assert len(fnac) == 6 and len(await store.items.recent("fnac-bis", limit=50)) == 6
    assert len(await store.items.recent("darty", limit=50)) == 1

    await Ingest(x_services).cycle()  # nothing is due yet
    assert x.count("search") == 2


async def test_no_post_is_read_twice_and_spend_matches_the_reads(x_services, x, x_settings):
    store = x_services.store
    await create(store, "Fnac", "fnac", 1)
    for n in range(3):
        x.add_post(f"fnac annonce {n}", f"user{n}", lang="fr")
    now = time.time()
    await Ingest(x_services).cycle(now=now)
    first = _searches(x)[-1]
    assert "since_id" not in first

    newest = max(i.item.id for i in await store.items.recent("fnac", limit=10))
    x.add_post("fnac encore une annonce", "user9", lang="fr")
    await Ingest(x_services).cycle(now=now + x_settings.x_search_interval)
    second = _searches(x)[-1]
    assert second["since_id"] == newest
    assert len(await store.items.recent("fnac", limit=10)) == 4

    day = time.strftime("%Y-%m-%d", time.gmtime())
    costs = await store.x.costs(day)
    assert costs["post_read:count"] == 4  # 3 then 1: each post read once
    assert costs["user_read:count"] == 4
    assert costs["total:micro_usd"] == 4 * MICRO_USD["post_read"] + 4 * MICRO_USD["user_read"]
    assert await store.x.costs(day[:7]) == costs


async def test_a_429_pauses_search_only_until_its_reset(x_services, x, x_settings):
    store = x_services.store
    await create(store, "Fnac", "fnac", 1)
    await create(store, "Darty", "darty", 1)
    x.fail_next("search", 429, reset_in=120)
    now = time.time()
    await Ingest(x_services).cycle(now=now)
    assert x.count("search") == 1  # the second query waits for the reset instead of hammering
    limited = await store.x.limited_until("search")
    assert now + 100 < limited <= now + 130

    await Ingest(x_services).cycle(now=now + 60)
    assert x.count("search") == 1
    await Ingest(x_services).cycle(now=limited + 1)
    assert x.count("search") == 3


async def test_an_x_outage_does_not_stop_the_other_queries(x_services, x):
    store = x_services.store
    await create(store, "Darty", "darty", 1)
    await create(store, "Fnac", "fnac", 1)
    x.add_post("fnac: nouvelle boutique", "someone", lang="fr")
    x.fail_next("search", 503)
    await Ingest(x_services).cycle()
    assert x.count("search") == 2
    assert len(await store.items.recent("fnac")) == 1


async def test_cursors_survive_a_restart(x_settings, x):
    async with open_services(x_settings) as services:
        await create(services.store, "Fnac", "fnac", 1)
        x.add_post("fnac premier", "someone", lang="fr")
        now = time.time()
        await Ingest(services).cycle(now=now)
    async with open_services(x_settings) as restarted:
        [item] = await restarted.store.items.recent("fnac")
        await Ingest(restarted).cycle(now=now + x_settings.x_search_interval)
    assert _searches(x)[-1]["since_id"] == item.item.id


async def test_a_quote_folds_into_the_post_it_quotes(x_services, x):
    store = x_services.store
    await create(store, "Fnac", "fnac", 1)
    original = x.add_post("La fnac lance un service de réparation", "fnac_officiel", lang="fr")
    x.add_post("Bonne idée de la fnac", "client_content", lang="fr", quote_of=original["id"])
    await Ingest(x_services).cycle()
    [story] = await store.items.recent("fnac")
    assert len(story.also) == 1 and "status/" in story.also[0]["url"]


async def test_trends_are_kept_fresh_for_the_places_in_use(x_services, x, x_settings):
    store, interval = x_services.store, x_settings.trends_interval
    france, paris = 23424819, 615702
    x.set_trends(france, [("#Fnac", 12400), ("Lyon", None)])
    x.set_trends(paris, [("#Paris", 800)])
    now = time.time()
    report = await Ingest(x_services).cycle(now=now)
    assert report.trends_requests == 1 and (await store.x.trends(france))[1] == [("#Fnac", 12400), ("Lyon", None)]
    assert (await Ingest(x_services).cycle(now=now + 60)).trends_requests == 0  # fresh: nothing paid

    await trends.current(x_services, paris, QueryIndex.build({}))  # someone asks for Paris
    assert x.count("trends") == 2
    later = time.time() + interval + 1
    assert (await Ingest(x_services).cycle(now=later)).trends_requests == 2  # France and Paris
    costs = await store.x.costs(time.strftime("%Y-%m", time.gmtime()))
    assert costs["trends:count"] == 4 and costs["trends:micro_usd"] == 4 * MICRO_USD["trends"]
    a_week_on = later + trends.PLACE_IN_USE + interval
    assert (await Ingest(x_services).cycle(now=a_week_on)).trends_requests == 1  # Paris no longer asked for


async def test_status_shows_the_new_items_per_source_and_the_requests_x_leaves(x_settings, x):
    async with FakeFeeds() as feeds:
        articles = [
            {"title": f"Article {n}", "link": f"https://eco.example/{n}", "summary": f"Texte {n}."} for n in range(3)
        ]
        feeds.add_feed("/eco.xml", "Le Journal", articles)
        settings = x_settings.model_copy(update={"allowed_feed_hosts": frozenset({feeds.host})})
        async with open_services(settings) as services:
            await create(services.store, "Fnac", "fnac", 1)
            x.add_post("fnac annonce un plan", "user1", lang="fr")
            x.add_post("fnac recrute", "user2", lang="fr")
            x.set_trends(23424819, [("#Fnac", 12400)])
            await add_feed(services, feeds.feed_url("/eco.xml"), NEWS, 1)  # its first items, at once
            feeds.add_feed(
                "/eco.xml", "Le Journal", [*articles, {"title": "Article 3", "link": "https://eco.example/3"}]
            )
            await Ingest(services).cycle(now=time.time() + settings.feed_interval)  # one search, trends, the feed again

            screen = status_screen("fr", await snapshot(services.store))

    assert f"Nouveaux aujourd’hui : {feeds.host} 4 · X 2" in screen
    searches, trend_requests = x.count("search"), x.count("trends")
    assert re.search(rf"search {450 - searches} \(renouvelées dans \d+ min\)", screen), screen
    assert re.search(rf"trends {75 - trend_requests} \(renouvelées dans \d+ min\)", screen), screen
