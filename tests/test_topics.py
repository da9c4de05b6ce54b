"""Topic alerts end to end: `/alert` with filters, new posts on the local X server reaching the
member in the next ingest cycle, grouped, held during quiet hours; `/alerts` and its stop button."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pydantic import SecretStr

from bot import topics
from bot.ingest import Ingest
from bot.members import parse_quiet_hours
from bot.model import Item, Profile, Subscription, Watch
from bot.morning import send_briefing
from bot.schedule import LATE_LIMIT, morning_briefing
from bot.services import Services, open_services
from bot.store import keys
from bot.topics import FilterError, parse_filters
from bot.watchlist import create
from tests.conftest import OWNER_ID, running_bot
from tests.fakes.x_api import FakeX
from tests.test_alerts import _send


@pytest.fixture
async def x():
    async with FakeX() as server:
        yield server


@asynccontextmanager
async def _started(settings, tg, x: FakeX) -> AsyncIterator[tuple[Services, dict, Watch]]:
    """A running bot on the local X server, the owner started, a Fnac watch."""
    configured = {"x_bearer_token": SecretStr(x.bearer_token), "x_api_url": x.url}
    async with running_bot(settings, tg, **configured) as running:
        owner = tg.user(OWNER_ID)
        watch = await create(running.services.store, "Fnac", "fnac", OWNER_ID)
        await tg.send_text(owner, "/start")
        await tg.wait_for_messages(OWNER_ID, 1)
        yield running.services, owner, watch


def _post(x: FakeX, text: str, author: str, likes: int = 0) -> None:
    x.add_post(text, author, likes=likes, created_at=datetime.now(UTC))


async def test_an_alert_with_filters_tells_each_new_matching_post_grouped_at_most_every_ten_minutes(settings, tg, x):
    async with _started(settings, tg, x) as (services, owner, _):
        await services.store.users.save(Profile(OWNER_ID, "fr", "Europe/Paris", quiet_hours=""))

        await tg.send_text(owner, "/alert Fnac min:5 sources:x")
        [started] = await tg.wait_for_messages(OWNER_ID, 1)
        assert started["text"].startswith("🔔 Alerte activée sur Fnac (≥ 5 interactions sur X, X seulement)")

        x.add_user("fnac_sav", "Fnac SAV", verified=True)
        _post(x, "La Fnac rappelle un lot de casques défectueux", "fnac_sav", likes=40)
        _post(x, "J'ai acheté un livre à la Fnac", "lecteur", likes=1)  # under min:5
        now = time.time()
        report = await Ingest(services).cycle(now=now)
        assert report is not None and report.topic_alerts == 1
        await _send(services, tg)
        [alert] = await tg.wait_for_messages(OWNER_ID, 1)
        assert alert["text"].startswith("🔔 Fnac : 1 nouvelle publication")
        assert "Fnac SAV (@fnac_sav, X) : La Fnac rappelle un lot de casques défectueux" in alert["text"]
        assert "livre" not in alert["text"]
        [linked] = [e for e in alert["entities"] if e["type"] == "text_link"]
        assert linked["url"].startswith("https://x.com/fnac_sav/status/")

        for n in range(7):
            _post(x, f"Rappel Fnac : témoignage numéro {n}", f"client{n}", likes=10)
        later = now + services.settings.x_search_interval + 1
        assert (await Ingest(services).cycle(now=later)).topic_alerts == 0  # within 10 min of the last: grouped
        assert len((await services.store.topics.pending(OWNER_ID, "fnac"))[0]) == 7  # fetched, held
        assert (await Ingest(services).cycle(now=now + 601)).topic_alerts == 1
        await _send(services, tg)
        [grouped] = await tg.wait_for_messages(OWNER_ID, 1)
        assert grouped["text"].startswith("🔔 Fnac : 7 nouvelles publications")
        assert grouped["text"].count("• ") == 5 and grouped["text"].endswith("… et 2 autres.")

        await tg.send_text(owner, "/alerts")
        [listed] = await tg.wait_for_messages(OWNER_ID, 1)
        assert "Fnac : ≥ 5 interactions sur X, X seulement" in listed["text"]
        await tg.press(owner, listed, "🔕 Arrêter Fnac")
        stopped = await tg.wait_for_edit(OWNER_ID, listed["message_id"])
        assert stopped["text"].startswith("Aucune alerte.")
        _post(x, "Encore la Fnac", "client9", likes=99)
        stopped_cycle = await Ingest(services).cycle(now=now + 2000)
        assert stopped_cycle.items_indexed == 1 and stopped_cycle.topic_alerts == 0  # fetched, told to no one
        assert await services.store.topics.waiting() == []


async def test_quiet_hours_hold_topic_alerts_until_they_end(settings, tg, x):
    async with _started(settings, tg, x) as (services, owner, watch):
        local = datetime.now(UTC)
        start, end = (local.hour - 1) % 24, (local.hour + 2) % 24  # now is in them
        await tg.send_text(owner, f"/settings calme {start}h-{end}h")
        [saved] = await tg.wait_for_messages(OWNER_ID, 1)
        assert f"heures calmes {start:02d}:00-{end:02d}:00" in saved["text"]
        await tg.send_text(owner, "/settings fuseau UTC")
        await tg.wait_for_messages(OWNER_ID, 1)
        await tg.send_text(owner, f"/settings heure {(local.hour + 6) % 24}h")  # not a morning briefing
        await tg.wait_for_messages(OWNER_ID, 1)
        await services.store.topics.subscribe(OWNER_ID, Subscription(watch.id))

        _post(x, "La Fnac ferme ses caisses ce soir", "client1")
        now = time.time()
        assert (await Ingest(services).cycle(now=now)).topic_alerts == 0  # held
        assert await services.store.delivery.waiting(OWNER_ID) == []
        after = (now // 3600 + 3) * 3600  # the hour the quiet hours end
        assert await topics.flush(services.store, frozenset({OWNER_ID}), after) == 1
        [waiting] = await services.store.delivery.waiting(OWNER_ID)
        assert "La Fnac ferme ses caisses ce soir" in waiting.text


async def test_alerts_held_overnight_come_right_after_the_morning_briefing_and_not_before(settings, tg, x):
    async with _started(settings, tg, x) as (services, owner, watch):
        now = time.time()
        local = datetime.fromtimestamp(now, UTC)
        start, end, brief = (local.hour - 1) % 24, (local.hour + 1) % 24, (local.hour + 2) % 24
        profile = await services.store.users.get(OWNER_ID)
        await services.store.users.save(
            profile.with_changes(
                timezone="UTC", quiet_hours=f"{start:02d}:00-{end:02d}:00", briefing_time=f"{brief:02d}:00"
            )
        )
        await services.store.topics.subscribe(OWNER_ID, Subscription(watch.id))
        _post(x, "La Fnac ferme ses caisses ce soir", "client1")
        assert (await Ingest(services).cycle(now=now)).topic_alerts == 0  # quiet

        quiet_end = (now // 3600 + 1) * 3600
        due = quiet_end + 3600  # an hour after the quiet hours: the morning briefing
        assert await topics.flush(services.store, frozenset({OWNER_ID}), quiet_end + 60) == 0  # waits for it
        assert await services.store.delivery.waiting(OWNER_ID) == []
        await services.store.briefings.schedule(OWNER_ID, due)
        assert await send_briefing(services, OWNER_ID, due, now=due + 5)
        *briefing, alert = await services.store.delivery.waiting(OWNER_ID)
        assert briefing and briefing[0].text.startswith("<b>☀️") and alert.keyboard is None
        assert alert.text.startswith("🔔 <b>Fnac</b> : 1 nouvelle publication")
        assert "La Fnac ferme ses caisses ce soir" in alert.text
        assert (await services.store.topics.pending(OWNER_ID, watch.id))[0] == []  # told once

        _post(x, "La Fnac rouvre ses caisses", "client2")  # right after: grouped with the briefing's
        assert (await Ingest(services).cycle(now=due + 60)).topic_alerts == 0
        assert await topics.flush(services.store, frozenset({OWNER_ID}), due + 5 + 600) == 1


async def test_alerts_wait_for_a_late_morning_briefing_while_it_is_composed_and_no_longer_once_given_up(settings):
    async with open_services(settings) as services:
        store, owners = services.store, frozenset({OWNER_ID})
        await store.users.save(Profile(OWNER_ID, "fr", "UTC"))  # quiet 22:00-07:00, briefing 07:30
        watch = await create(store, "Fnac", "fnac", OWNER_ID)
        await store.topics.subscribe(OWNER_ID, Subscription(watch.id))
        await store.topics.hold([(OWNER_ID, watch.id, "x:gone")])  # an item no longer kept: dropped when told
        due = datetime(2026, 11, 24, 7, 30, tzinfo=UTC).timestamp()
        after_limit = due + LATE_LIMIT + 60

        assert await store.briefings.claim(OWNER_ID, "2026-11-24") == "claimed"  # a late job composes it
        await topics.flush(store, owners, after_limit)
        assert (await store.topics.pending(OWNER_ID, watch.id))[0] == ["x:gone"]  # it will tell them
        await store.redis.delete(keys.briefing_claim(OWNER_ID, "2026-11-24"))  # the job died: given up
        await topics.flush(store, owners, after_limit)
        assert (await store.topics.pending(OWNER_ID, watch.id))[0] == []


def test_the_morning_briefing_is_the_first_from_the_quiet_hours_start_up_to_two_hours_after_their_end():
    paris = Profile(1, "fr", "Europe/Paris", briefing_time="07:30")  # quiet 22:00-07:00
    day = datetime(2026, 11, 24, tzinfo=ZoneInfo("Europe/Paris"))  # a Tuesday

    def at(hours: float) -> float:
        return (day + timedelta(hours=hours)).timestamp()

    for moment in (at(-1.5), at(3), at(7.2), at(12)):  # in the quiet hours, after them, later that day
        assert morning_briefing(paris, moment) == at(7.5)
    assert morning_briefing(paris.with_changes(briefing_time="09:30"), at(8)) is None  # 2 h 30 after: not brought
    assert morning_briefing(paris.with_changes(briefing_time="06:00"), at(7.2)) == at(6)  # in the quiet hours
    assert morning_briefing(paris.with_changes(quiet_hours=""), at(3)) is None
    assert morning_briefing(paris.with_changes(briefing_days=frozenset({1})), at(3)) is None  # Mondays only
    siesta = paris.with_changes(quiet_hours="13:00-15:00", briefing_time="16:00")
    assert morning_briefing(siesta, at(14)) == morning_briefing(siesta, at(20)) == at(16)


def test_filters_are_read_from_the_command_and_refused_with_the_word_at_fault():
    assert parse_filters(["Groupe", "Fnac", "min:50", "verified", "lang:FR", "sources:news"]) == (
        "Groupe Fnac",
        Subscription("", min_engagement=50, sources="news", verified=True, language="fr"),
    )
    assert parse_filters(["Fnac"]) == ("Fnac", Subscription(""))
    for wrong in ("min:beaucoup", "sources:tv", "lang:français"):
        with pytest.raises(FilterError) as refused:
            parse_filters(["Fnac", wrong])
        assert refused.value.value == wrong


def test_a_subscription_filters_x_posts_and_lets_news_pass_what_only_x_has():
    post = Item("x", "1", "https://x.com/a/status/1", "", "Fnac", 0.0, author="a", language="fr", likes=3)
    article = Item("rss", "2", "https://lemonde.fr/a", "Fnac", "", 0.0, source_name="Le Monde", language="fr")
    assert Subscription("fnac").matches(post) and Subscription("fnac").matches(article)
    assert not Subscription("fnac", min_engagement=5).matches(post)
    assert Subscription("fnac", min_engagement=5, verified=True).matches(article)
    assert not Subscription("fnac", sources="news").matches(post)
    assert not Subscription("fnac", sources="x").matches(article)
    assert not Subscription("fnac", verified=True).matches(post)
    assert not Subscription("fnac", language="en").matches(article)


def test_quiet_hours_are_read_and_span_midnight():
    assert parse_quiet_hours("22h-7h") == "22:00-07:00" and parse_quiet_hours("non") == ""
    assert parse_quiet_hours("22:00") is None and parse_quiet_hours("7h-7h") is None
    night = Profile(1, "fr", "Europe/Paris")  # 22:00-07:00 by default
    at = datetime(2026, 11, 23, 22, 30, tzinfo=UTC).timestamp()  # 23:30 in Paris
    assert night.quiet(at) and night.quiet(at + 7.5 * 3600 - 60) and not night.quiet(at + 7.5 * 3600)
    assert not night.with_changes(quiet_hours="").quiet(at)
