"""What a watch holds, as members read it: `/watch NAME` newest first with every source named (an
X post by its @account), and a briefing story in detail (➕) with all its sources and, for a post,
who posted it and when in the member's time zone."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tests.conftest import OWNER_ID

SHOP = "https://journal-a.example/grand-magasin-lyon"
GAZETTE = "https://gazette-b.example/grand-magasin"


async def _sources(tg, x, feeds) -> dict:
    """A story told by a newsroom 3 h ago and, 5 min ago, by a feed attached to the watch (which
    is how the story reaches the watch); an article of that feed 30 min ago; a customer's post
    on X 150 min ago."""
    now = datetime.now(UTC)
    x.add_user("julien_b", "Julien B.")
    post = x.add_post(
        "Toujours pas de réponse du SAV @Fnac après deux semaines", "julien_b", created_at=now - timedelta(minutes=150)
    )
    story = {
        "title": "Le grand magasin de Lyon rouvre ses portes",
        "link": SHOP,
        "summary": "Après six mois de travaux, le grand magasin de la rue de la République rouvre avec trois étages rénovés.",
    }
    feeds.add_feed("/a.xml", "Le Journal A", [{**story, "published": now - timedelta(hours=3)}])
    feeds.add_feed(
        "/b.xml",
        "La Gazette B",
        [
            {
                "title": "Fnac recrute cent vendeurs pour les fêtes",
                "link": "https://gazette-b.example/recrute",
                "summary": "L’enseigne recrute cent vendeurs en CDD pour la fin de l’année.",
                "published": now - timedelta(minutes=30),
            },
            {**story, "link": GAZETTE, "published": now - timedelta(minutes=5)},  # the same story, taken up later
        ],
    )
    owner = tg.user(OWNER_ID)
    await tg.ask(owner, "/watch add Fnac fnac")
    await tg.ask(owner, f"/feed add {feeds.feed_url('/a.xml')}")  # general news: the story is not about Fnac
    await tg.ask(owner, f"/feed add {feeds.feed_url('/b.xml')} Fnac")
    return post


async def test_a_watch_lists_its_items_newest_first_with_every_source_named(x_feeds_bot, tg, feeds):
    running, x = x_feeds_bot
    await _sources(tg, x, feeds)
    shown = (await tg.ask(tg.user(OWNER_ID), "/watch Fnac"))["text"].splitlines()
    assert shown == [
        "Fnac — fnac",
        "Les plus récents d’abord :",
        "• Fnac recrute cent vendeurs pour les fêtes — La Gazette B, il y a 30 min",
        "• Toujours pas de réponse du SAV @Fnac après deux semaines — @julien_b, il y a 2 h",
        "• Le grand magasin de Lyon rouvre ses portes — Le Journal A, La Gazette B, il y a 3 h",
    ]
    await tg.ask(tg.user(OWNER_ID), "/settings language en")
    english = (await tg.ask(tg.user(OWNER_ID), "/watch Fnac"))["text"].splitlines()
    assert english[1] == "Newest first:" and english[2].endswith("— La Gazette B, 30 min ago")


async def test_a_story_in_detail_names_every_source_and_who_posted_when(x_feeds_bot, tg, feeds):
    running, x = x_feeds_bot
    posted = await _sources(tg, x, feeds)
    owner = tg.user(OWNER_ID)
    await tg.ask(owner, "/settings fuseau new york")
    briefing = await tg.ask(owner, "/briefing")
    numbers = {
        line.split(". ", 1)[1][:20]: line.split(".", 1)[0]
        for line in briefing["text"].splitlines()
        if re.match(r"\d+\. ", line)
    }

    await tg.press(owner, briefing, f"➕ {numbers['Le grand magasin de ']}")
    [shop] = await tg.wait_for_messages(OWNER_ID, 1)
    assert shop["text"].endswith("Pour aller plus loin : Le Journal A, La Gazette B")
    assert [e["url"] for e in shop["entities"] if e["type"] == "text_link"] == [SHOP, GAZETTE]

    await tg.press(owner, briefing, f"➕ {numbers['« Toujours pas de ré']}")
    [post] = await tg.wait_for_messages(OWNER_ID, 1)
    lines = post["text"].splitlines()
    assert lines[0].endswith(". Toujours pas de réponse du SAV @Fnac après deux semaines")
    local = datetime.fromisoformat(posted["created_at"].replace("Z", "+00:00")).astimezone(ZoneInfo("America/New_York"))
    day = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"][local.weekday()]
    assert lines[1].startswith(f"✍️ Julien B. (@julien_b), le {day} {local.day} ")  # in the member's time zone
    assert lines[1].endswith(f" à {local:%H:%M}")
    assert lines[2] == "Pour aller plus loin : @julien_b"
