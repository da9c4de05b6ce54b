"""Watch queries as users type them, end to end: what X would refuse is refused with the reason,
parentheses group, the query is shown as typed, sent to X parenthesized and matched on feed items
the same way; watches stored before groups existed keep their X query (and its cursor)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from bot.ingest import Ingest
from bot.model import NEWS, Watch
from tests.conftest import OWNER_ID
from tests.fakes.x_api import FakeX


def _searches(x: FakeX) -> list[str]:
    return [params["query"] for endpoint, params in x.requests if endpoint == "search"]


async def test_what_x_would_refuse_is_refused_with_the_reason_and_nothing_is_asked_of_x(x_feeds_bot, tg):
    running, x = x_feeds_bot
    owner = tg.user(OWNER_ID)
    for query, answer in [
        ('"Fnac Darty', 'Un guillemet n’est pas refermé dans « "Fnac Darty » : fermez l’expression'),
        ("(Fnac OR Darty -promo", "Une parenthèse n’est pas refermée dans « (Fnac OR Darty -promo »."),
        ("Fnac OR Darty) -promo", "Une parenthèse fermante n’a pas d’ouvrante dans « Fnac OR Darty) »."),
        ("Fnac ()", "Des parenthèses vides : mettez-y au moins un terme"),
        ("Fnac - emploi", "Un « - » seul : collez-le à ce qu’il exclut"),
        ("(Fnac OR) Darty", "OR doit relier deux termes"),
        ("OR Fnac", "OR doit relier deux termes"),
        ("-(Fnac OR Darty)", "Il faut au moins un terme recherché"),
        ("(Fnac lang:fr)", "lang:fr vaut pour toute la requête : placez-le hors des parenthèses"),
        ("Fnac lang:fr lang:en", "Une seule langue par requête : lang:fr lang:en."),
        (
            " OR ".join(f"marque{n}" for n in range(60)),
            "La requête est trop longue pour X (720 caractères, 512 au plus).",
        ),
    ]:
        refused = await tg.ask(owner, f"/watch add Duo {query}")
        assert answer in refused["text"], (query, refused["text"])
    english = await tg.ask(tg.user(OWNER_ID), "/settings language en")
    assert english["text"].startswith("Settings")
    refused = await tg.ask(owner, '/watch add Duo "Fnac Darty')
    assert refused["text"].startswith('A quote is not closed in “"Fnac Darty”: close the phrase')
    assert _searches(x) == [] and await running.services.store.watches.all() == []


async def test_a_grouped_query_is_shown_as_typed_searched_on_x_and_matched_on_feed_items(x_feeds_bot, tg, feeds):
    running, x = x_feeds_bot
    store = running.services.store
    now = datetime.now(UTC)
    kept = x.add_post("La Fnac ouvre à Lyon", "client1", created_at=now - timedelta(minutes=5))
    x.add_post("Darty promo du jour", "client2", created_at=now - timedelta(minutes=4))
    x.add_post("Boulanger ouvre aussi", "client3", created_at=now - timedelta(minutes=3))
    owner = tg.user(OWNER_ID)

    created = await tg.ask(owner, "/watch add Duo (Fnac OR Darty) -promo")
    assert created["text"].startswith("Veille Duo créée : (Fnac OR Darty) -promo\nVous la suivez.\nSur X, 1 post")
    assert _searches(x) == ["(darty OR fnac) -promo -is:retweet"]  # as X reads it: the same meaning
    assert [i.item.id for i in await store.items.recent(Watch.id_for("Duo"))] == [kept["id"]]
    assert "• Duo — (Fnac OR Darty) -promo — 1 en 24 h" in (await tg.ask(owner, "/watch"))["text"]

    feeds.set_items(
        "/rss-sample.xml",
        [
            {"title": "Darty rachète un réparateur", "link": "https://news.example/1", "published": now},
            {"title": "Fnac : la promo de Noël", "link": "https://news.example/2", "published": now},
            {"title": "Boulanger recrute", "link": "https://news.example/3", "published": now},
        ],
    )
    await tg.ask(owner, f"/feed add {feeds.feed_url('/rss-sample.xml')}")  # general news, matched on the way
    titles = {i.item.title for i in await store.items.recent(Watch.id_for("Duo"), limit=10)}
    assert titles == {"", "Darty rachète un réparateur"}  # the X post (no title) and the one article
    assert len(await store.items.recent(NEWS, limit=10)) == 3
    shown = await tg.ask(owner, "/watch duo")
    assert shown["text"].startswith("Duo — (Fnac OR Darty) -promo")


async def test_a_watch_stored_before_groups_keeps_its_x_query_and_its_cursor(x_feeds_bot, tg):
    running, x = x_feeds_bot
    store = running.services.store
    old = Watch("fnac", "Fnac", "#fnac OR @fnac OR fnac -emploi lang:fr", OWNER_ID, time.time() - 86400)
    assert await store.watches.create(old)  # as the previous version stored it: normalized
    first = x.add_post("Fnac, déjà lu", "client1", created_at=datetime.now(UTC) - timedelta(minutes=10))
    x.add_post("La Fnac recrute", "client2", created_at=datetime.now(UTC) - timedelta(minutes=5))
    x.add_post("Fnac : offre d’emploi", "client3", created_at=datetime.now(UTC) - timedelta(minutes=4))
    sent = "(#fnac OR @fnac OR fnac) -emploi lang:fr -is:retweet"  # what the previous version sent
    await store.x.save_query(sent, first["id"], 0)

    await Ingest(running.services).cycle()
    [search] = [params for endpoint, params in x.requests if endpoint == "search"]
    assert search["query"] == sent and search["since_id"] == first["id"]  # its cursor: nothing read twice
    assert [i.item.text for i in await store.items.recent("fnac")] == ["La Fnac recrute"]
    listing = await tg.ask(tg.user(OWNER_ID), "/watch")
    assert "• Fnac — #fnac OR @fnac OR fnac -emploi lang:fr — 1 en 24 h" in listing["text"]
