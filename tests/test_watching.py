"""/watch and /feed end to end: the real bot, the local Bot API server and the local feed server."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from telegram import Bot

from bot.delivery.sender import Sender
from bot.ingest import Ingest
from bot.model import NEWS
from bot.roles import Role
from tests.conftest import OWNER_ID, running_bot
from tests.fakes.feed_samples import ATOM_TITLE, RSS_TITLE

READER_ID = 4040


@pytest.fixture
async def watching_bot(settings, tg, feeds):
    async with running_bot(settings, tg, allowed_feed_hosts=frozenset({feeds.host})) as running:
        yield running


async def test_a_watch_is_created_listed_followed_and_removed(watching_bot, tg):
    store = watching_bot.services.store
    owner = tg.user(OWNER_ID)
    created = await tg.ask(owner, "/watch add Fnac Fnac OR @Fnac OR #Fnac -emploi lang:fr")
    assert "Veille Fnac créée : Fnac OR @Fnac OR #Fnac -emploi lang:fr" in created["text"]  # as typed
    assert await store.watches.followed(OWNER_ID) == {"fnac"}

    await store.team.grant(READER_ID, Role.READER)
    reader = tg.user(READER_ID, language_code="en")
    listing = await tg.ask(reader, "/watch")
    assert "Fnac — Fnac OR @Fnac OR #Fnac -emploi lang:fr — 0 in 24 h" in listing["text"]
    await tg.press(reader, listing, "Follow Fnac")
    followed = await tg.wait_for_edit(READER_ID, listing["message_id"])
    assert "followed ✓" in followed["text"]
    assert await store.watches.followed(READER_ID) == {"fnac"}

    refused = await tg.ask(reader, "/watch rm Fnac")
    assert refused["text"] == "This action is for owners and delegates only."
    confirm = await tg.ask(owner, "/watch rm fnac")
    assert confirm["text"] == (
        "Supprimer la veille Fnac et ce qu’elle a collecté ?\n"
        "• Ses 2 abonnés ne la recevront plus, ni dans leur briefing ni en alerte."
    )
    await tg.press(owner, confirm, "Supprimer")
    removed = await tg.wait_for_edit(OWNER_ID, confirm["message_id"])
    assert removed["text"] == "Veille Fnac supprimée."
    assert await store.watches.all() == [] and await store.watches.followed(READER_ID) == set()


async def test_bad_watch_queries_are_explained(watching_bot, tg):
    owner = tg.user(OWNER_ID)
    for text, expected in [
        ("/watch add Fnac", "/watch add NOM REQUÊTE"),
        ("/watch add Fnac OR", "OR doit relier deux termes"),
        ("/watch add Fnac -emploi", "au moins un terme recherché"),
        ("/watch add Fnac fnac url:x", "Terme non pris en charge : « url:x »"),
        ('/watch add Fnac "Fnac Darty', "Un guillemet n’est pas refermé"),
        ("/watch add Fnac fnac lang:francais", "Langue invalide"),
        ("/watch Darty", "Aucune veille nommée « Darty »"),
    ]:
        answer = await tg.ask(owner, text)
        assert expected in answer["text"], text
    await tg.ask(owner, "/watch add Fnac fnac")
    again = await tg.ask(owner, "/watch add FNAC darty")
    assert "Une veille « Fnac » existe déjà" in again["text"]  # the name of the one that exists


async def test_a_feed_is_validated_added_and_its_items_shown(watching_bot, tg, feeds):
    store = watching_bot.services.store
    owner = tg.user(OWNER_ID)
    await tg.ask(owner, "/watch add Distribution distribution OR enseigne OR magasin")
    added = await tg.ask(owner, f"/feed add {feeds.feed_url('/rss-sample.xml')} Distribution")
    assert re.search(r"Flux ajouté : .+ → Distribution\nDernier article : ", added["text"]), added["text"]
    items = await store.items.recent("distribution", limit=50)
    assert items and all(i.item.source == "rss" for i in items)

    listing = await tg.ask(owner, "/feed")
    assert "→ Distribution" in listing["text"] and "✅ dernier relevé" in listing["text"]
    shown = await tg.ask(owner, "/watch Distribution")
    assert shown["text"].count("• ") == min(5, len(items))
    assert '<a href="' not in shown["text"] and shown["entities"]  # links are entities once parsed


async def test_hostile_feeds_get_a_clear_answer_and_change_nothing(watching_bot, tg, feeds):
    owner = tg.user(OWNER_ID, language_code="en")
    for path, expected in [
        ("/html", "not an RSS or Atom feed"),
        ("/redirect-metadata", "Address refused: 169.254.169.254 is a private or reserved address"),
        ("/redirect-private", "Address refused: 10.0.0.1 is a private or reserved address"),
        ("/huge.xml", "too large (over 10 MB)"),
        ("/redirect-loop", "more than 5 redirects"),
    ]:
        answer = await tg.ask(owner, f"/feed add {feeds.feed_url(path)}")
        assert expected in answer["text"], path
    answer = await tg.ask(owner, "/feed add file:///etc/passwd")
    assert answer["text"] == "Address refused: only http:// and https:// addresses are read."
    assert await watching_bot.services.store.feeds.all() == []


async def test_a_feed_failing_for_a_day_is_paused_and_shown_so(watching_bot, tg, feeds):
    services = watching_bot.services
    owner = tg.user(OWNER_ID)
    await tg.ask(owner, f"/feed add {feeds.feed_url('/atom-sample.xml')}")
    [feed] = await services.store.feeds.all()
    feeds.fail_next("/atom-sample.xml", 500, times=2)
    start = feed.next_poll
    await Ingest(services).cycle(now=start)
    await Ingest(services).cycle(now=start + 25 * 3600)
    paused = await services.store.feeds.get(feed.id)
    assert paused.paused and paused.failures == 2
    listing = await tg.ask(owner, "/feed")
    assert "en pause après une journée d’échecs" in listing["text"]
    assert await services.store.feeds.due(start + 30 * 86400) == []

    # Added again once it works: healthy, and one failure later it is not paused again.
    added = await tg.ask(owner, f"/feed add {feeds.feed_url('/atom-sample.xml')}")
    assert added["text"].startswith(f"Flux relancé : {ATOM_TITLE} → actualités générales\nDernier article : ")
    revived = await services.store.feeds.get(feed.id)
    assert not revived.paused and revived.failures == 0 and revived.first_failure == 0
    feeds.fail_next("/atom-sample.xml", 500)
    await Ingest(services).cycle(now=start + 26 * 3600)  # a day after its first failure of old
    after = await services.store.feeds.get(feed.id)
    assert not after.paused and after.failures == 1
    assert len(await services.store.delivery.waiting(OWNER_ID)) == 1  # the notice of the first pause only


async def test_readers_cannot_change_feeds(watching_bot, tg, feeds):
    await watching_bot.services.store.team.grant(READER_ID, Role.READER)
    reader = tg.user(READER_ID)
    answer = await tg.ask(reader, f"/feed add {feeds.feed_url('/rss-sample.xml')}")
    assert answer["text"] == "Cette action est réservée aux propriétaires et aux délégués."
    assert await watching_bot.services.store.items.recent(NEWS) == []


async def test_trends_for_a_place_with_the_watched_ones_first(x_bot, tg):
    running, x = x_bot
    x.set_trends(23424819, [("Macron", None), ("#PSGOM", 48200), ("#Fnac", 12000)])
    x.set_trends(615702, [("#ParisBouge", 900)])
    owner = tg.user(OWNER_ID)
    await tg.ask(owner, "/watch add Fnac fnac OR @fnac")
    answer = await tg.ask(owner, "/trends")
    lines = answer["text"].splitlines()
    assert lines[0].startswith("Tendances X — France")
    assert lines[1] == "1. #Fnac — 12\u202f000 posts ⭐ Fnac"
    assert lines[2:] == ["2. Macron", "3. #PSGOM — 48\u202f200 posts"]
    await tg.ask(owner, "/trends france")
    assert x.count("trends") == 1  # the second one came from the cache
    paris = await tg.ask(owner, "/trends Paris")
    assert "#ParisBouge" in paris["text"] and x.count("trends") == 2
    unknown = await tg.ask(owner, "/trends Atlantide")
    assert "Lieu inconnu : « Atlantide »" in unknown["text"]


async def test_trends_without_x_say_what_is_missing(watching_bot, tg):
    answer = await tg.ask(tg.user(OWNER_ID, language_code="en"), "/trends")
    assert "X_BEARER_TOKEN" in answer["text"]


async def test_followers_are_told_once_when_a_feed_is_paused(watching_bot, tg, feeds):
    services = watching_bot.services
    owner, reader = tg.user(OWNER_ID), tg.user(READER_ID, language_code="en")
    await services.store.team.grant(READER_ID, Role.READER)
    await tg.ask(owner, "/watch add Distribution distribution")
    await tg.ask(reader, "/watch follow Distribution")
    await tg.ask(owner, f"/feed add {feeds.feed_url('/atom-sample.xml')} Distribution")
    [feed] = await services.store.feeds.all()
    feeds.fail_next("/atom-sample.xml", 500, times=3)
    for hours in (0, 12, 25, 50):
        await Ingest(services).cycle(now=feed.next_poll + hours * 3600)
    assert len(await services.store.delivery.waiting(OWNER_ID) + await services.store.delivery.waiting(READER_ID)) == 2
    async with Bot(tg.token, base_url=f"{tg.url}/bot") as bot:
        await Sender(services.store, bot).drain()
    [notice] = await tg.wait_for_messages(READER_ID, 1)
    assert notice["text"].startswith("⏸ The feed") and "I paused it" in notice["text"]
    [french] = await tg.wait_for_messages(OWNER_ID, 1)
    assert "je le mets en pause" in french["text"]
    assert feeds.count("/atom-sample.xml") == 1 + 3  # the add, then three failures: not polled once paused


async def test_a_watch_named_news_is_not_the_general_news(watching_bot, tg, feeds):
    store = watching_bot.services.store
    owner = tg.user(OWNER_ID)
    await tg.ask(owner, f"/feed add {feeds.feed_url('/rss-sample.xml')}")  # general news
    news_before = await store.items.recent(NEWS, limit=100)
    await tg.ask(owner, "/watch add News nouvelles OR annonce")
    await tg.ask(owner, f"/feed add {feeds.feed_url('/atom-sample.xml')} News")
    assert {i.item.key for i in await store.items.recent(NEWS, limit=100)} == {i.item.key for i in news_before}
    confirm = await tg.ask(owner, "/watch rm News")
    await tg.press(owner, confirm, "Supprimer")
    await tg.wait_for_edit(OWNER_ID, confirm["message_id"])
    [feed] = await store.feeds.all()  # the general-news feed is still there, attached to the news
    assert feed.targets == {NEWS} and feed.url.endswith("/rss-sample.xml")
    listing = await tg.ask(owner, "/feed")
    assert "→ actualités générales" in listing["text"]


async def test_the_list_shows_a_muted_watch_with_a_button_to_bring_it_back(watching_bot, tg):
    store = watching_bot.services.store
    owner = tg.user(OWNER_ID)
    await tg.ask(owner, "/watch add Fnac fnac")
    await store.briefings.mute(OWNER_ID, "fnac")  # 🔕 under a briefing
    listing = await tg.ask(owner, "/watch")
    assert "suivie ✓ · 🔕 hors de vos briefings" in listing["text"]
    await tg.press(owner, listing, "🔔 Remettre Fnac dans le briefing")
    again = await tg.wait_for_edit(OWNER_ID, listing["message_id"])
    assert "suivie ✓" in again["text"] and "hors de vos briefings" not in again["text"]
    assert await store.briefings.muted(OWNER_ID) == set()


async def test_following_with_the_button_brings_a_muted_watch_back_into_the_briefing(watching_bot, tg):
    store = watching_bot.services.store
    owner = tg.user(OWNER_ID)
    await tg.ask(owner, "/watch add Fnac fnac")
    await store.briefings.mute(OWNER_ID, "fnac")  # 🔕 under a briefing
    listing = await tg.ask(owner, "/watch")
    await tg.press(owner, listing, "Ne plus suivre Fnac")
    unfollowed = await tg.wait_for_edit(OWNER_ID, listing["message_id"])
    await tg.press(owner, unfollowed, "Suivre Fnac")
    await tg.wait_for_edit(OWNER_ID, listing["message_id"])
    assert await store.watches.followed(OWNER_ID) == {"fnac"}
    assert await store.briefings.muted(OWNER_ID) == set()  # as with /watch follow Fnac


async def test_an_attached_feed_lists_its_articles_but_only_those_naming_the_watch_are_mentions(
    watching_bot, tg, feeds
):
    owner = tg.user(OWNER_ID)
    now = datetime.now(UTC)
    articles = [
        ("La Fnac ouvre un magasin à Lyon", "/1"),
        ("Le marché du livre recule", "/2"),
        ("Fnac Darty publie ses ventes", "/3"),
        ("Les enseignes misent sur l’occasion", "/4"),
    ]
    items = [
        {
            "title": title,
            "link": f"https://secteur.example{path}",
            "summary": title,
            "published": now - timedelta(hours=n + 1),
        }
        for n, (title, path) in enumerate(articles)
    ]
    url = feeds.add_feed("/secteur.xml", "Secteur", items)
    await tg.ask(owner, "/watch add Fnac fnac")
    await tg.ask(owner, f"/feed add {url} Fnac")
    listing = await tg.ask(owner, "/watch")
    assert "Fnac — fnac — 2 en 24 h" in listing["text"]  # not the sector's other two articles
    shown = await tg.ask(owner, "/watch Fnac")
    assert all(title in shown["text"] for title, _ in articles)  # all listed with the watch
    briefing = await tg.ask(owner, "/briefing")
    assert "Fnac — 2 mentions" in briefing["text"]

    services = watching_bot.services  # a topic alert tells the new mention only
    await services.store.users.save(replace(await services.store.users.get(OWNER_ID), quiet_hours=""))
    await tg.ask(owner, "/alert Fnac")
    news = [("La Fnac recrute 500 vendeurs", "/5"), ("Le prix du papier flambe", "/6")]
    feeds.add_items(
        "/secteur.xml", [{"title": t, "link": f"https://secteur.example{p}", "summary": t} for t, p in news]
    )
    [feed] = await services.store.feeds.all()
    await Ingest(services).cycle(now=feed.next_poll + 1)
    async with Bot(tg.token, base_url=f"{tg.url}/bot") as bot:
        await Sender(services.store, bot).drain()
    [alert] = await tg.wait_for_messages(OWNER_ID, 1)
    assert "1 nouvelle publication" in alert["text"] and "La Fnac recrute" in alert["text"]
    assert "papier" not in alert["text"]


async def test_the_lists_end_with_how_to_add_and_a_feed_is_removed_by_its_number_or_a_button(watching_bot, tg, feeds):
    store = watching_bot.services.store
    owner = tg.user(OWNER_ID)
    await tg.ask(owner, "/watch add Distribution distribution")
    watches = await tg.ask(owner, "/watch")
    assert watches["text"].endswith(
        "\n\nAjouter une veille : /watch add NOM REQUÊTE, par exemple /watch add Darty Darty OR @Darty -emploi. "
        "/help watch pour le détail."
    )
    await tg.ask(owner, f"/feed add {feeds.feed_url('/rss-sample.xml')}")
    await tg.ask(owner, f"/feed add {feeds.feed_url('/atom-sample.xml')} Distribution")
    listing = (await tg.ask(owner, "/feed"))["text"].splitlines()
    assert listing[1] == f"1. {RSS_TITLE} (127.0.0.1) → actualités générales"
    assert listing[3] == f"2. {ATOM_TITLE} (127.0.0.1) → Distribution"
    assert listing[-1] == (
        "Ajouter un flux : /feed add URL (actualités générales) ou /feed add URL NOM_DE_VEILLE. "
        "Retirer : /feed rm 2 (son numéro) ou les boutons ci-dessous."
    )
    assert (await tg.ask(owner, "/feed rm 3"))["text"] == "Pas de flux n° 3 : /feed les liste, numérotés."
    asked = await tg.ask(owner, "/feed rm 2")  # asked once, saying where its articles no longer go
    assert asked["text"] == (
        f"Retirer le flux {ATOM_TITLE} ? Ses nouveaux articles ne viendront plus dans : Distribution "
        "(ceux déjà reçus restent)."
    )
    assert len(await store.feeds.all()) == 2
    await tg.press(owner, asked, "🗑 Retirer")
    done = await tg.wait_for_edit(OWNER_ID, asked["message_id"])
    assert done["text"].startswith(f"Flux retiré : {ATOM_TITLE}.")
    assert [f.url for f in await store.feeds.all()] == [feeds.feed_url("/rss-sample.xml")]

    offered = await tg.ask(owner, "/feed rm")  # the list, with a button per feed
    await tg.press(owner, offered, 0)
    confirm = await tg.wait_for_edit(OWNER_ID, offered["message_id"])
    assert confirm["text"].startswith(f"Retirer le flux {RSS_TITLE} ?") and len(await store.feeds.all()) == 1
    await tg.press(owner, confirm, "Annuler")
    kept = await tg.wait_for_edit(OWNER_ID, offered["message_id"])
    assert kept["text"] == "Rien n’a été changé." and len(await store.feeds.all()) == 1
    offered = await tg.ask(owner, "/feed rm")
    await tg.press(owner, offered, 0)
    confirm = await tg.wait_for_edit(OWNER_ID, offered["message_id"])
    await tg.press(owner, confirm, "🗑 Retirer")
    removed = await tg.wait_for_edit(OWNER_ID, offered["message_id"])
    assert removed["text"].startswith(f"Flux retiré : {RSS_TITLE}.") and await store.feeds.all() == []

    await store.team.grant(READER_ID, Role.READER)
    reader = tg.user(READER_ID, language_code="en")
    listed = await tg.ask(reader, "/watch")  # a reader may not add one: not told how
    assert listed["text"].endswith(" in 24 h") and "Add a watch" not in listed["text"]
    assert (await tg.ask(reader, "/feed rm 1"))["text"] == "This action is for owners and delegates only."


async def test_a_feed_added_again_is_said_to_be_there_already_with_its_watch(watching_bot, tg, feeds):
    store = watching_bot.services.store
    owner = tg.user(OWNER_ID)
    url = feeds.feed_url("/rss-sample.xml")
    await tg.ask(owner, "/watch add Distribution distribution")
    assert (await tg.ask(owner, f"/feed add {url}"))["text"].startswith(f"Flux ajouté : {RSS_TITLE} → actualités")
    again = await tg.ask(owner, f"/feed add {url}")
    assert again["text"] == f"Ce flux est déjà là : {RSS_TITLE} → actualités générales. Rien n’a changé."
    assert feeds.count("/rss-sample.xml") == 1  # nothing fetched again

    attached = await tg.ask(owner, f"/feed add {url} distribution")
    assert attached["text"].startswith(
        f"Ce flux était déjà là ({RSS_TITLE} → actualités générales) : il alimente maintenant aussi Distribution.\n"
        "Dernier article : "
    )
    [feed] = await store.feeds.all()
    assert feed.targets == {NEWS, "distribution"}
    english = tg.user(OWNER_ID)
    await tg.ask(english, "/settings language en")
    twice = await tg.ask(english, f"/feed add {url} Distribution")
    assert twice["text"] == f"This feed is here already: {RSS_TITLE} → general news, Distribution. Nothing changed."


async def test_deleting_a_watch_says_which_feeds_go_with_it_and_which_stay(watching_bot, tg, feeds):
    store = watching_bot.services.store
    owner = tg.user(OWNER_ID, language_code="en")
    await tg.ask(owner, "/watch add Distribution distribution")
    await tg.ask(owner, f"/feed add {feeds.feed_url('/atom-sample.xml')} Distribution")  # serves it only
    await tg.ask(owner, f"/feed add {feeds.feed_url('/rss-sample.xml')}")
    await tg.ask(owner, f"/feed add {feeds.feed_url('/rss-sample.xml')} Distribution")  # and the news
    confirm = await tg.ask(owner, "/watch rm Distribution")
    assert confirm["text"] == (
        "Delete the watch Distribution and what it collected?\n"
        "• Its follower will no longer get it, in their briefing or as alerts.\n"
        f"• These feeds, which serve it only, will be removed: {ATOM_TITLE}.\n"
        f"• These feeds stay, for other watches or the news: {RSS_TITLE}."
    )
    await tg.press(owner, confirm, "Delete")
    await tg.wait_for_edit(OWNER_ID, confirm["message_id"])
    [kept] = await store.feeds.all()
    assert kept.url == feeds.feed_url("/rss-sample.xml") and kept.targets == {NEWS}
