"""New watches and feeds show something at once: `/watch add` searches X right away (one
request of 10, priced), a query X refuses is explained and nothing is kept, X trouble only
postpones the first search; "Feed added" names that feed's own latest article."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from bot.ingest import Ingest
from bot.model import QueryRejected
from bot.roles import Role
from bot.volume import DAY
from tests.conftest import OWNER_ID, running_bot

DELEGATE_ID = 5050


def _searches(x) -> list[dict]:
    return [params for endpoint, params in x.requests if endpoint == "search"]


def _links(message: dict) -> list[str]:
    return [e["url"] for e in message.get("entities", []) if e["type"] == "text_link"]


def _today() -> str:
    return time.strftime("%Y-%m-%d", time.gmtime())


async def test_a_query_x_refuses_is_explained_in_the_users_language_and_nothing_is_kept(x_bot, tg):
    running, x = x_bot
    store = running.services.store
    x.add_post("Fnac and Darty, le match des prix", "conso_fr")
    answer = await tg.ask(tg.user(OWNER_ID), "/watch add Duo Fnac and Darty")
    assert answer["text"].startswith("X refuse cette requête : « and » y est ambigu."), answer["text"]
    assert "séparez-les d’un simple espace (Fnac Darty)" in answer["text"]
    assert answer["text"].endswith("Rien n’a été créé.")
    assert [p["query"] for p in _searches(x)] == ["and darty fnac -is:retweet"]  # the one request, refused

    await store.team.grant(DELEGATE_ID, Role.DELEGATE)
    delegate = tg.user(DELEGATE_ID, language_code="en")
    english = await tg.ask(delegate, "/watch add Duo fnac AND darty")
    assert english["text"].startswith("X refuses this query: “and” is ambiguous to X."), english["text"]
    assert english["text"].endswith("Nothing was created.")

    assert await store.watches.all() == [] and await store.watches.followed(OWNER_ID) == set()
    assert await store.items.recent("duo", limit=10) == []
    assert (await tg.ask(tg.user(OWNER_ID), "/watch"))["text"].startswith("Aucune veille")


async def test_x_refusing_a_query_maps_to_query_rejected_with_xs_reason(x_bot):
    running, _ = x_bot
    with pytest.raises(QueryRejected) as caught:
        await running.services.x.search("lang:fr", None, 10)
    assert caught.value.reason == "other"
    assert caught.value.detail == "is/has/lang cannot be used as a standalone operator (at position 1)"


async def test_a_new_watch_answers_with_what_x_has_and_keeps_it_as_the_cycle_would(x_bot, tg):
    running, x = x_bot
    store = running.services.store
    now = datetime.now(UTC)
    for n in range(12):  # every 15 minutes: the 10 newest span two and a half hours
        x.add_post(f"Avis Fnac numéro {n}", f"client{n}", created_at=now - timedelta(minutes=15 * (n + 1)), likes=n)
    star = x.add_post(
        "Fnac <3 & Darty: <b>prix</b> cassés", "vraie_star", created_at=now - timedelta(minutes=20), likes=500
    )
    x.add_post("Un autre sujet", "hors_sujet", created_at=now - timedelta(minutes=5), likes=9000)

    answer = await tg.ask(tg.user(OWNER_ID), "/watch add Fnac fnac")
    lines = answer["text"].splitlines()
    assert lines[:3] == [
        "Veille Fnac créée : fnac",
        "Vous la suivez.",
        "Sur X, 10 posts correspondent ces 3 dernières heures. Les plus repris :",
    ]
    assert lines[3] == "• @vraie_star : « Fnac <3 & Darty: <b>prix</b> cassés » — voir le post (500 ♥, 0 🔁)"
    assert lines[4].startswith("• @client8 : « Avis Fnac numéro 8 »")  # the second most liked of the 10 read
    assert len(lines) == 5
    assert _links(answer)[0] == f"https://x.com/vraie_star/status/{star['id']}"

    [search] = _searches(x)  # one request, X's smallest page, no cursor yet
    assert search["query"] == "fnac -is:retweet" and search["max_results"] == "10" and "since_id" not in search
    costs = await store.x.costs(_today())
    assert costs["post_read:count"] == 10 and costs["post_read:micro_usd"] == 50_000
    assert costs["user_read:count"] == 10
    assert await store.volumes.last("fnac", DAY) == 10
    assert "\n• Fnac — fnac — 10 en 24 h · suivie ✓\n" in (await tg.ask(tg.user(OWNER_ID), "/watch"))["text"]

    # X had more: the cycle reads the query from the start; the 10 already kept count once.
    await Ingest(running.services).cycle()
    assert "since_id" not in _searches(x)[-1]
    assert await store.volumes.last("fnac", DAY) == 13
    assert len(await store.items.recent("fnac", limit=50)) == 13


async def test_when_x_has_no_more_the_cycle_goes_on_from_what_was_read(x_bot, tg):
    running, x = x_bot
    store = running.services.store
    first = x.add_post("Darty livre en deux heures", "journaliste", likes=3, reposts=1)
    await store.team.grant(DELEGATE_ID, Role.DELEGATE)
    answer = await tg.ask(tg.user(DELEGATE_ID, language_code="en"), "/watch add Darty darty")
    assert "On X, 1 post matched in the last hour:" in answer["text"]
    assert "• @journaliste: “Darty livre en deux heures” — see the post (3 ♥, 1 🔁)" in answer["text"]
    x.add_post("Darty encore", "journaliste")
    await Ingest(running.services).cycle()
    assert _searches(x)[-1]["since_id"] == first["id"]  # nothing read twice, nothing paid twice
    assert (await store.x.costs(_today()))["post_read:count"] == 2
    assert await store.volumes.last("darty", DAY) == 2


async def test_a_query_nothing_matches_yet_says_so(x_bot, tg):
    answer = await tg.ask(tg.user(OWNER_ID), "/watch add Rien introuvable")
    assert answer["text"].endswith(
        "Sur X, aucun post ne correspond ces 7 derniers jours ; les nouveaux arriveront au fil des passages "
        "(X est interrogé toutes les 5 min)."
    )


async def test_an_x_outage_or_a_429_postpones_the_first_search_and_loses_no_watch(x_bot, tg):
    running, x = x_bot
    store = running.services.store
    owner = tg.user(OWNER_ID)
    x.add_post("Fnac ouvre à Lyon", "journaliste")
    x.fail_next("search", 503)
    down = await tg.ask(owner, "/watch add Fnac fnac")
    assert down["text"].startswith(
        "Veille Fnac créée : fnac\nVous la suivez.\nX n’a pas pu être interrogé tout de suite"
    )
    assert down["text"].endswith("la première recherche viendra au prochain passage.")

    x.fail_next("search", 429, reset_in=60)
    limited = await tg.ask(owner, "/watch add Darty darty")
    assert limited["text"].endswith(
        "X limite les requêtes pour l’instant : la première recherche viendra au prochain passage."
    )
    asked = x.count("search")
    paused = await tg.ask(owner, "/watch add Boulanger boulanger")  # search is paused: X is not asked
    assert paused["text"].endswith(
        "X limite les requêtes pour l’instant : la première recherche viendra au prochain passage."
    )
    assert x.count("search") == asked == 2

    assert {w.id for w in await store.watches.all()} == {"fnac", "darty", "boulanger"}
    assert await store.watches.followed(OWNER_ID) == {"fnac", "darty", "boulanger"}
    assert await store.x.limited_until("search") > time.time()
    await Ingest(running.services).cycle(now=time.time() + 120)  # after the reset: the cycle searches them
    assert len(await store.items.recent("fnac", limit=10)) == 1


async def test_without_x_a_watch_is_created_and_says_where_its_items_come_from(settings, tg, feeds):
    async with running_bot(settings, tg, allowed_feed_hosts=frozenset({feeds.host})):
        answer = await tg.ask(tg.user(OWNER_ID), "/watch add Fnac fnac")
    assert answer["text"] == (
        "Veille Fnac créée : fnac\nVous la suivez.\n"
        "X n’est pas configuré (X_BEARER_TOKEN) : elle recueille les articles des flux qui lui correspondent, "
        "au fil des passages."
    )


async def test_feed_added_names_that_feeds_own_latest_article(settings, tg, feeds):
    now = datetime.now(UTC)
    feeds.add_feed(
        "/fresh.xml",
        "Le Quotidien",
        [{"title": "Le plus récent de tous", "link": "https://quotidien.example/1", "published": now}],
    )
    feeds.add_feed(
        "/weekly.xml",
        "L’Hebdo",
        [
            {"title": "L’édito de la semaine", "link": "https://hebdo.example/2", "published": now - timedelta(days=2)},
            {"title": "Un vieux dossier", "link": "https://hebdo.example/1", "published": now - timedelta(days=5)},
        ],
    )
    async with running_bot(settings, tg, allowed_feed_hosts=frozenset({feeds.host})):
        owner = tg.user(OWNER_ID)
        fresh = await tg.ask(owner, f"/feed add {feeds.feed_url('/fresh.xml')}")
        weekly = await tg.ask(owner, f"/feed add {feeds.feed_url('/weekly.xml')}")
    assert fresh["text"].startswith(
        "Flux ajouté : Le Quotidien → actualités générales\nDernier article : Le plus récent"
    )
    assert weekly["text"].startswith(
        "Flux ajouté : L’Hebdo → actualités générales\nDernier article : L’édito de la semaine — L’Hebdo"
    )
    assert _links(weekly) == ["https://hebdo.example/2"]
