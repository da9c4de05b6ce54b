"""New feeds show something at once: "Feed added" names that feed's own latest article."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.conftest import OWNER_ID, running_bot


async def _say(tg, user, text: str) -> dict:
    await tg.send_text(user, text)
    [answer] = await tg.wait_for_messages(user["id"], 1)
    return answer


def _links(message: dict) -> list[str]:
    return [e["url"] for e in message.get("entities", []) if e["type"] == "text_link"]


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
        fresh = await _say(tg, owner, f"/feed add {feeds.feed_url('/fresh.xml')}")
        weekly = await _say(tg, owner, f"/feed add {feeds.feed_url('/weekly.xml')}")
    assert fresh["text"].startswith(
        "Flux ajouté : Le Quotidien → actualités générales\nDernier article : Le plus récent"
    )
    assert weekly["text"].startswith(
        "Flux ajouté : L’Hebdo → actualités générales\nDernier article : L’édito de la semaine — L’Hebdo"
    )
    assert _links(weekly) == ["https://hebdo.example/2"]
