"""The briefing: stories across X and news, extractive sentences, at each user's hour, once."""

from __future__ import annotations

import asyncio
import random
import re
import time
from concurrent.futures import Executor
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import redis
from arq.jobs import Job, JobStatus
from pydantic import SecretStr

from bot.briefing import WORD_BUDGET, Briefing, BriefingInput, Section, Story, WatchInput, build
from bot.feeds import add_feed
from bot.ingest import Ingest
from bot.jobs import QUEUE, job_queue
from bot.members import update_profile
from bot.model import NEWS, Incoming, Item, Profile, StoredItem, Trend
from bot.morning import briefing_now, job_id, plan_due, send_briefing
from bot.render.briefing import render
from bot.render.html import visible_length
from bot.roles import Role
from bot.schedule import local_date
from bot.services import open_services
from bot.store import keys
from bot.watchlist import create
from summarizers import pick
from tests.conftest import OWNER_ID, RunningBot, member_input, running_workers, wait_until
from tests.fakes.feeds import FakeFeeds
from tests.fakes.telegram import parse_html
from tests.fakes.x_api import FakeX
from tests.faultkit import Vigie, env_for, running

ARTICLE = "https://journal-a.example/economie/fnac-livraison-lyon"
TEXT = (
    "La Fnac étend sa livraison en deux heures à trois nouveaux quartiers de Lyon dès lundi. "
    "L’enseigne promet une couverture de toute la métropole avant l’été."
)


@pytest.fixture
async def sources():
    async with FakeFeeds() as feeds, FakeX() as x:
        yield feeds, x


@pytest.fixture
async def brief_services(settings, sources):
    feeds, x = sources
    configured = settings.model_copy(
        update={
            "allowed_feed_hosts": frozenset({feeds.host}),
            "x_bearer_token": SecretStr(x.bearer_token),
            "x_api_url": x.url,
        }
    )
    async with open_services(configured) as services:
        yield services


async def _story_sources(services, feeds, x) -> None:
    """One story, told by two feeds and by a post on X that links to one of the articles."""
    hour_ago = datetime.now(UTC) - timedelta(hours=1)
    feeds.add_feed(
        "/a.xml",
        "Le Journal A",
        [{"title": "La Fnac accélère sa livraison à Lyon", "link": ARTICLE, "summary": TEXT, "published": hour_ago}],
    )
    feeds.add_feed(
        "/b.xml",
        "La Gazette B",
        [
            {
                "title": "Livraison express : la Fnac accélère à Lyon",
                "link": "https://gazette-b.example/fnac",
                "summary": TEXT,
                "published": hour_ago,
            }
        ],
    )
    feeds.add_feed(
        "/c.xml",
        "Le Courrier C",
        [
            {
                "title": "Le port du Havre bat son record de conteneurs",
                "link": "https://courrier-c.example/havre",
                "summary": "Le trafic du port du Havre a progressé de 9 % sur un an, porté par les lignes asiatiques.",
                "published": hour_ago,
            }
        ],
    )
    x.add_post(
        "La Fnac accélère la livraison à Lyon, trois quartiers de plus",
        "eco_direct",
        lang="fr",
        urls=[ARTICLE],
        likes=40,
    )
    store = services.store
    await create(store, "Fnac", "fnac", OWNER_ID)
    for path in ("/a.xml", "/b.xml", "/c.xml"):
        await add_feed(services, feeds.feed_url(path), "fnac" if path != "/c.xml" else NEWS, OWNER_ID)
    await Ingest(services).cycle()


async def test_a_story_on_x_and_in_two_feeds_is_one_story_with_three_sources(brief_services, sources):
    feeds, x = sources
    await _story_sources(brief_services, feeds, x)
    now = time.time()
    briefing = build(await member_input(brief_services, OWNER_ID, now - 86400))
    [section] = briefing.sections
    [story] = section.stories
    assert sorted(story.sources) == ["La Gazette B", "Le Journal A", "X"]
    assert story.link == ARTICLE  # the article the post shares: its title is the headline
    assert story.headline == "La Fnac accélère sa livraison à Lyon" and story.sentence in TEXT
    [news] = briefing.news
    assert news.headline == "Le port du Havre bat son record de conteneurs" and "9 %" in news.sentence


async def test_every_sentence_shown_is_verbatim_from_a_source(brief_services, sources):
    feeds, x = sources
    await _story_sources(brief_services, feeds, x)
    await add_feed(brief_services, feeds.feed_url("/rss-sample.xml"), NEWS, OWNER_ID)
    await add_feed(brief_services, feeds.feed_url("/atom-sample.xml"), NEWS, OWNER_ID)
    now = time.time()
    inputs = await member_input(brief_services, OWNER_ID, now - 30 * 86400)
    texts = [
        t for s in [*inputs.news, *(i for w in inputs.watches for i in w.items)] for t in (s.item.title, s.item.text)
    ]
    briefing = build(inputs)
    shown = [
        s
        for story in [*briefing.news, *(st for sec in briefing.sections for st in sec.stories)]
        for s in [story.headline, story.sentence, *story.more]
        if s
    ]
    assert len(shown) >= 5
    for sentence in shown:
        assert any(sentence in text for text in texts), sentence


async def _due_now(services, profile: Profile) -> float:
    due = await services.store.briefings.next_due(profile.user_id)
    await services.store.briefings.set_last(profile.user_id, time.time() - 2 * 86400)
    return due


async def test_the_briefing_arrives_once_at_the_users_hour_in_their_language(brief_services, sources, tg):
    feeds, x = sources
    services = brief_services
    running = RunningBot(services, tg)
    await running.start()
    await _story_sources(services, feeds, x)
    owner = tg.user(OWNER_ID, language_code="en")
    await tg.send_text(owner, "/help")  # the chat exists; the owner's profile too
    await tg.wait_for_messages(OWNER_ID, 1)
    profile = await services.store.users.get(OWNER_ID) or Profile(OWNER_ID, "en", "Europe/Paris")
    profile = await update_profile(
        services.store, profile, language="en", timezone="America/New_York", briefing_time="06:45"
    )
    due = await _due_now(services, profile)
    local = datetime.fromtimestamp(due, ZoneInfo("America/New_York"))
    assert (local.hour, local.minute) == (6, 45)

    queue = job_queue(services)
    assert await plan_due(services, queue, now=due - 60) == 0  # not yet
    assert await plan_due(services, queue, now=due + 20) == 1
    assert await plan_due(services, queue, now=due + 80) == 0  # planned once
    async with running_workers(services):
        [briefing] = await tg.wait_for_messages(OWNER_ID, 1, timeout=30)  # one message: it fits
    assert await plan_due(services, queue, now=due + 80) == 0  # sent: nothing due any more
    await queue.aclose()
    assert briefing["text"].startswith("☀️ Your briefing") and "Fnac — " in briefing["text"]
    assert "La Gazette B" in briefing["text"] and "⏰" not in briefing["text"]
    assert any(e["type"] == "text_link" for e in briefing["entities"])  # the "read" links
    next_due = await services.store.briefings.next_due(OWNER_ID)
    assert 86000 < next_due - due < 87000  # tomorrow, same local time

    await tg.press(owner, briefing, "➕ 1")
    [more] = await tg.wait_for_messages(OWNER_ID, 1)
    assert more["text"].startswith("1.")
    await tg.press(owner, briefing, "🔕 Fnac")
    [muted] = await tg.wait_for_messages(OWNER_ID, 1)
    assert "will no longer appear in your briefings" in muted["text"]
    assert await services.store.briefings.muted(OWNER_ID) == {"fnac"}
    await tg.press(owner, muted, "↩️ Undo")
    undone = await tg.wait_for_edit(OWNER_ID, muted["message_id"])
    assert "Fnac is in your briefings again" in undone["text"] and not undone.get("reply_markup")
    assert await services.store.briefings.muted(OWNER_ID) == set()
    await running.stop()


async def test_a_late_briefing_says_so_and_a_very_late_one_is_skipped(brief_services, tg):
    services = brief_services
    profile = Profile(OWNER_ID, "fr", "Europe/Paris")
    await services.store.users.save(profile)
    await services.store.briefings.set_last(OWNER_ID, time.time() - 86400)
    now = time.time()
    await services.store.briefings.schedule(OWNER_ID, now - 45 * 60)
    assert await send_briefing(services, OWNER_ID, now - 45 * 60, now=now)
    [message] = await services.store.delivery.waiting(OWNER_ID)
    assert "Avec 45 min de retard" in message.text
    await services.store.briefings.schedule(OWNER_ID, now - 4 * 3600 - 86400)
    assert not await send_briefing(services, OWNER_ID, now - 4 * 3600 - 86400, now=now)
    assert await services.store.delivery.waiting(OWNER_ID) == [message]  # nothing more
    assert await services.store.briefings.next_due(OWNER_ID) > now


async def test_two_workers_send_a_due_briefing_exactly_once(settings, tg, clean_redis, tmp_path):
    owner = tg.user(OWNER_ID)
    await tg.send_text(owner, "/start")  # the chat exists
    async with open_services(settings) as services:
        await services.store.users.save(Profile(OWNER_ID, "fr", "Europe/Paris"))
        await services.store.briefings.set_last(OWNER_ID, time.time() - 86400)
        scheduled = time.time() - 30
        await services.store.briefings.schedule(OWNER_ID, scheduled)
    workers = [Vigie("worker", env_for(tg, clean_redis, [OWNER_ID]), tmp_path) for _ in range(2)]
    client = redis.Redis.from_url(clean_redis)

    def settled() -> bool:
        """Nothing left that could send a briefing: outbox drained, the next one scheduled."""
        due = client.zscore(keys.BRIEFINGS_DUE, str(OWNER_ID)) or 0
        return due > scheduled + 60 and client.zcard(keys.DELIVERY_READY) == client.zcard(keys.DELIVERY_LATER) == 0

    try:
        async with running(*workers):
            await wait_until(lambda: any("Votre briefing" in m["text"] for m in tg.messages(OWNER_ID)), timeout=30)
            await wait_until(settled, timeout=30)
            for worker in workers:
                await worker.stop()
    finally:
        client.close()
    briefings = [m for m in tg.messages(OWNER_ID) if "Votre briefing" in m["text"]]
    assert len(briefings) == 1


READERS = (222222, 333333)


async def _due_members(services, tg, user_ids, due: float) -> None:
    """Members whose briefing is due at `due`, each with a chat the worker can send to."""
    for user_id in user_ids:
        await tg.send_text(tg.user(user_id), "/start")  # the chat exists
        if user_id != OWNER_ID:
            await services.store.team.grant(user_id, Role.READER)
        await services.store.users.save(Profile(user_id, "fr", "Europe/Paris"))
        await services.store.briefings.set_last(user_id, due - 86400)
        await services.store.briefings.schedule(user_id, due)


def _briefings(tg, user_id: int) -> list[dict]:
    return [m for m in tg.messages(user_id) if "Votre briefing" in m["text"]]


async def test_repeated_ticks_and_two_workers_send_each_due_briefing_once(services, tg):
    users = (OWNER_ID, *READERS)
    now = time.time()
    await _due_members(services, tg, users, now - 30)
    queue = job_queue(services)
    assert await plan_due(services, queue, now=now) == 3
    assert await plan_due(services, queue, now=now) == 0  # the next tick: the same jobs, still queued

    async def settled() -> bool:
        """Each briefing rescheduled (its job delivered first), everything sent."""
        dues = [await services.store.briefings.next_due(u) or 0 for u in users]
        return min(dues) > now and await services.store.delivery.idle()

    async with running_workers(services, count=2):
        await wait_until(lambda: all(_briefings(tg, u) for u in users), timeout=30)
        await wait_until(settled, timeout=30)
    assert await plan_due(services, queue, now=now) == 0
    await queue.aclose()
    assert [len(_briefings(tg, u)) for u in users] == [1, 1, 1]


async def test_a_failing_briefing_does_not_hold_up_another_due_at_the_same_minute(services, tg):
    broken, fine = READERS[0], OWNER_ID
    now = time.time()
    await _due_members(services, tg, [broken], now - 40)  # first in line
    await _due_members(services, tg, [fine], now - 30)
    # Corrupt state (a broken profile) makes that user's briefing fail, at every tick.
    await services.store.redis.hset(keys.user(broken), "briefing_days", "x")
    queue = job_queue(services)
    assert await plan_due(services, queue) == 2  # the tick
    async with running_workers(services):
        await wait_until(lambda: _briefings(tg, fine), timeout=30)
    await queue.aclose()
    assert not _briefings(tg, broken)
    assert await services.store.briefings.next_due(broken) == now - 40  # still to send: not lost


async def test_a_failed_briefing_is_sent_by_a_later_tick_once_its_claim_lapsed(services, tg):
    user, due = READERS[0], time.time() - 30
    await _due_members(services, tg, [user], due)
    # Corrupt state (muted watches that are not a set) makes the composition fail, once claimed.
    await services.store.redis.set(keys.muted(user), "x")
    queue = job_queue(services)
    job = Job(job_id(user, due), queue, _queue_name=QUEUE)
    assert await plan_due(services, queue) == 1
    async with running_workers(services):
        await wait_until(lambda: _status_is(job, JobStatus.not_found), timeout=30)  # it failed
        date = local_date(Profile(user, "fr", "Europe/Paris"), due)
        assert await services.store.briefings.claim(user, date) == "sending"  # held until it lapses
        assert await services.store.briefings.next_due(user) == due and not _briefings(tg, user)
        # The claim lapses (as it does after 10 min) and the state is repaired; the next tick:
        await services.store.redis.delete(keys.briefing_claim(user, date), keys.muted(user))
        await plan_due(services, queue)
        await wait_until(lambda: _briefings(tg, user), timeout=30)
    await queue.aclose()


async def _status_is(job: Job, status: JobStatus) -> bool:
    return await job.status() == status


def test_a_long_briefing_is_split_between_stories_into_valid_messages():
    sentence = "Le groupe <Nordavia> & ses filiales « confirment » un plan d’investissement de 40 millions d’euros à Lyon, selon un communiqué publié ce matin par la direction."
    story = Story(
        "Nordavia <investit> à Lyon", sentence, "", ["Le Journal", "X"], "https://journal.example/a?b=1&c=2", [], []
    )
    sections = [Section(f"veille-{n}", f"Veille {n}", 12, 4.0, [story, story]) for n in range(30)]
    now = time.time()
    messages, keyboard, _ = render(
        Briefing("fr", now - 86400, now, sections, [story], [], 23424819), "abc", "Europe/Paris"
    )
    assert len(messages) > 1
    for message in messages:
        assert visible_length(message) <= 4096
        text, _ = parse_html(message)  # raises on invalid Telegram HTML
        assert "Nordavia <investit> à Lyon — Le groupe <Nordavia> & ses filiales" in text
    joined = "\n\n".join(messages)
    assert joined.count("Veille ") == 30 and "12 mentions, 3,0× l’habituel" in joined
    assert all(len(b.callback_data.encode()) <= 64 for row in keyboard.inline_keyboard for b in row)


def test_a_long_sentence_and_a_link_with_quotes_are_rendered_whole():
    sentence = "Le conseil " + "détaille son plan, ligne après ligne, " * 40 + "et conclut."
    link = 'https://journal.example/a?titre="plan"&x=1'
    story = Story("Le plan du conseil", sentence, "", ["Le Journal"], link, [], [])
    now = time.time()
    sections = [Section("veille", "Veille", 3, None, [story])]
    messages, _, _ = render(Briefing("fr", now - 86400, now, sections, [], [], 23424819), "abc", "Europe/Paris")
    text, entities = parse_html("\n".join(messages))
    assert sentence in text and len(sentence) > 1400
    assert [e["url"] for e in entities if e["type"] == "text_link"] == [link]


def test_a_watch_with_mentions_is_never_said_to_have_nothing_new():
    now = time.time()
    sections = [Section("darty", "Darty", 2, None, []), Section("livres", "livres", 0, None, [])]
    messages, _, _ = render(Briefing("fr", now - 86400, now, sections, [], [], 23424819), "abc", "Europe/Paris")
    text = parse_html("\n".join(messages))[0]
    assert "Darty — 2 mentions" in text and "livres — rien de nouveau" in text


def test_trends_say_how_old_they_are():
    now = time.time()
    trends = [Trend("#Fnac", 12400, ("fnac",)), Trend("Lyon", None)]
    briefing = Briefing("fr", now - 86400, now, [], [], trends, 23424819, trends_at=now - 35 * 60)
    messages, _, _ = render(briefing, "abc", "Europe/Paris")
    assert "Tendances X — France (il y a 35 min) : #Fnac ⭐, Lyon" in parse_html("\n".join(messages))[0]


async def test_a_briefing_with_no_fresh_trends_fetches_them_once_for_the_next_ones_too(x_bot, tg):
    running, x = x_bot  # no worker: no poll has cached any trends
    x.set_trends(23424819, [("#Fnac", 12400), ("Lyon", None)])
    owner = tg.user(OWNER_ID)
    await tg.ask(owner, "/watch add Fnac fnac")
    assert await running.services.store.x.trends(23424819) is None
    briefing = await tg.ask(owner, "/briefing")
    assert "Tendances X — France" in briefing["text"] and "#Fnac ⭐, Lyon" in briefing["text"], briefing["text"]
    again = await tg.ask(owner, "/briefing")
    assert "Tendances X — France" in again["text"] and "#Fnac" in again["text"], again["text"]
    trends = [params for endpoint, params in x.requests if endpoint == "trends"]
    assert [params["woeid"] for params in trends] == ["23424819"]  # one paid request, then the cache


async def test_a_briefing_goes_out_without_trends_when_x_fails_them(x_bot, tg, caplog):
    running, x = x_bot
    x.set_trends(23424819, [("#Fnac", 12400)])
    x.fail_next("trends", 503)
    owner = tg.user(OWNER_ID)
    await tg.ask(owner, "/watch add Fnac fnac")
    briefing = await tg.ask(owner, "/briefing")
    assert "Fnac — rien de nouveau" in briefing["text"], briefing["text"]
    assert "Tendances X" not in briefing["text"] and x.count("trends") == 1
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING" and "trends" in r.getMessage()]
    assert warnings == ["trends of France for a briefing failed: HTTP 503"]
    assert x.bearer_token not in caplog.text
    again = await tg.ask(owner, "/briefing")  # X is not asked again by every briefing due meanwhile
    assert "Tendances X" not in again["text"] and x.count("trends") == 1


def _news_stories(items: list[StoredItem]) -> list[Story]:
    """The news stories a briefing makes of `items`."""
    now = time.time()
    return build(BriefingInput("fr", now - 86400, now, [], items)).news


def _article(title: str, text: str, n: int = 1) -> StoredItem:
    item = Item("rss", f"a{n}", f"https://journal.example/{n}", title, text, time.time(), source_name="Le Journal")
    return StoredItem(replace(item, language="fr"))


def test_a_news_story_is_its_headline_and_the_sentence_that_adds_most_to_it():
    restated = "Le port du Havre bat son record de conteneurs cette année."
    long = "Le trafic " + "des lignes asiatiques et des lignes américaines, " * 6 + "a progressé de 9 % sur un an."
    short = "Le trafic a progressé de 9 % sur un an, porté par les lignes asiatiques."
    [story] = _news_stories([_article("Le port du Havre bat son record de conteneurs", f"{restated} {long} {short}")])
    assert story.headline == "Le port du Havre bat son record de conteneurs"
    assert story.sentence == short  # not the restatement, not the 50-word one
    assert story.more == [long] and story.link == "https://journal.example/1"
    [alone] = _news_stories([_article("Un record au Havre", long)])
    assert alone.sentence == long  # nothing shorter says it


def test_a_sentence_leaning_on_one_the_reader_does_not_see_comes_after_one_that_stands_alone():
    alone = "Les armateurs asiatiques ont ouvert trois lignes vers l'Europe du Nord."
    leaning = "Car, en effet, le port a vu son trafic de conteneurs exploser cette année grâce aux nouvelles lignes."
    assert pick("Le Havre, port record", f"{alone} {leaning}", "fr")[0].text == leaning  # ranked first
    [story] = _news_stories([_article("Le Havre, port record", f"{alone} {leaning}")])
    assert (story.sentence, story.more) == (alone, [leaning])
    [only] = _news_stories([_article("Le Havre, port record", leaning)])
    assert only.sentence == leaning  # still told when nothing else is


def test_a_story_on_x_only_is_its_most_engaging_post_quoted_with_its_author():
    def post(n: int, author: str, text: str, likes: int) -> StoredItem:
        return StoredItem(
            Item(
                "x",
                str(n),
                f"https://x.com/{author}/status/{n}",
                "",
                text,
                time.time(),
                author=author,
                likes=likes,
                language="fr",
            )
        )

    posts = [
        post(1, "lecteur", "La livraison Fnac à Lyon en deux heures, testée ce matin : parfait.", 3),
        post(2, "eco_direct", "La Fnac livre désormais en deux heures à Lyon, testée ce matin par nos soins.", 90),
    ]
    [story] = _news_stories(posts)
    assert (story.headline, story.author, story.link) == ("", "eco_direct", "https://x.com/eco_direct/status/2")
    assert story.sentence == posts[1].item.text
    now = time.time()
    messages, _, more = render(Briefing("fr", now - 86400, now, [], [story], [], 23424819), "abc", "Europe/Paris")
    text, entities = parse_html(messages[0])
    assert f"1. « {posts[1].item.text} » — @eco_direct" in text
    assert [e["url"] for e in entities if e["type"] == "text_link"] == [story.link]
    assert more["1"]["sentences"][0] == posts[1].item.text


def test_a_headline_without_a_sentence_is_shown_with_its_sources():
    now = time.time()
    story = Story("Grève & <chaos> à la SNCF", "", "", ["Le Journal"], "https://journal.example/sncf", [], [])
    messages, _, _ = render(Briefing("fr", now - 86400, now, [], [story], [], 23424819), "abc", "Europe/Paris")
    text, entities = parse_html(messages[0])
    assert "1. Grève & <chaos> à la SNCF (Le Journal)" in text
    assert [e["url"] for e in entities if e["type"] == "text_link"] == [story.link]


def _invented(rng: random.Random, words: int) -> str:
    """Words no other text shares, so each article is a story of its own."""
    return " ".join("".join(rng.choice("bcdfglmnprstv") + rng.choice("aeiou") for _ in range(3)) for _ in range(words))


def test_sections_take_turns_within_the_reading_budget_and_count_what_is_left():
    rng = random.Random(3)
    now = time.time()
    watches = []
    for w in range(5):
        items = [
            StoredItem(
                Item(
                    "rss",
                    f"{w}-{k}",
                    f"https://journal.example/{w}/{k}",
                    _invented(rng, 8).capitalize(),
                    f"{_invented(rng, 14).capitalize()}. {_invented(rng, 12).capitalize()}.",
                    now - 3600 * k,
                    source_name="Le Journal",
                    language="en",
                )
            )
            for k in range(6)
        ]
        watches.append(WatchInput(f"watch-{w}", f"Watch {w}", items, len(items), None))
    briefing = build(BriefingInput("en", now - 86400, now, watches, []))
    messages, _, _ = render(briefing, "abc", "Europe/Paris")
    text = parse_html("\n\n".join(messages))[0]
    lines = [re.sub(r"^\d+\. ", "", line) for line in text.splitlines() if re.match(r"\d+\. ", line)]
    assert sum(len(re.findall(r"\w+", line)) for line in lines) <= WORD_BUDGET
    assert 5 <= len(lines) < 30  # every watch its turn, not everything
    for section in briefing.sections:
        assert section.stories and len(section.stories) + section.more == 6
        assert f"… and {section.more} more: /watch {section.name}" in text


class CountingExecutor(Executor):
    """The services' process pool, counting what is submitted to it: (function name, argument)."""

    def __init__(self, inner: Executor) -> None:
        self.inner = inner
        self.calls: list[tuple[str, object]] = []

    def submit(self, fn, /, *args, **kwargs):
        self.calls.append((fn.__name__, args[0] if args else None))
        return self.inner.submit(fn, *args, **kwargs)


def _item(
    n: int, title: str, text: str, watch_ids: tuple[str, ...], published: float, outlet: str = "Le Journal"
) -> Incoming:
    item = Item("rss", f"rush-{n}", f"https://journal.example/{n}", title, text, published, source_name=outlet)
    return Incoming.of(item, (), frozenset(watch_ids))


async def test_briefings_due_together_share_one_pool_and_each_story_is_told_once(services, tg):
    store, now = services.store, time.time()
    fnac = await create(store, "Fnac", "fnac", OWNER_ID)
    darty = await create(store, "Darty", "darty", OWNER_ID)
    sncf = await create(store, "SNCF", "sncf", OWNER_ID)
    merger = "La Fnac et Darty fusionnent leurs entrepôts de Massy pour livrer plus vite en Île-de-France."
    await store.items.add_many(
        [
            _item(1, "Fnac et Darty fusionnent leurs entrepôts", merger, (fnac.id, darty.id), now - 3600),
            _item(2, "Fusion des entrepôts Fnac Darty à Massy", merger, (darty.id,), now - 3000, "La Gazette"),
            _item(
                3,
                "La SNCF commande vingt rames",
                "La SNCF commande vingt rames à Alstom pour ses lignes.",
                (sncf.id,),
                now - 2000,
            ),
        ]
    )
    another = 444444  # follows what the owner follows
    follows = {OWNER_ID: [fnac.id], READERS[0]: [fnac.id, darty.id], READERS[1]: [sncf.id], another: [fnac.id]}
    for user_id, watch_ids in follows.items():
        for watch in (fnac, darty, sncf):
            await (store.watches.follow if watch.id in watch_ids else store.watches.unfollow)(user_id, watch.id)
    due = now - 30
    await _due_members(services, tg, list(follows), due)
    counting = CountingExecutor(services.cpu)
    shared = replace(services, cpu=counting)

    sent = await asyncio.gather(*(send_briefing(shared, user_id, due) for user_id in follows))

    assert sent == [True, True, True, True]
    assert [name for name, _ in counting.calls].count("cluster") == 1  # one pool for the four
    told = [group.key for name, groups in counting.calls if name == "tell" for group in groups]
    # the merger as Fnac's followers see it (item 1), as Fnac's and Darty's see it (1 and 2), the SNCF order
    assert sorted(sorted(key) for key in told) == [["rss:rush-1"], ["rss:rush-1", "rss:rush-2"], ["rss:rush-3"]]
    texts = {user_id: " ".join(m.text for m in await store.delivery.waiting(user_id)) for user_id in follows}
    sections = {user_id: re.findall(r"<b>(\w+)</b> — ", text) for user_id, text in texts.items()}
    assert sections == {OWNER_ID: ["Fnac"], READERS[0]: ["Darty", "Fnac"], READERS[1]: ["SNCF"], another: ["Fnac"]}
    assert texts[OWNER_ID] == texts[another]  # the same watches and window: the same briefing
    assert texts[OWNER_ID].count('href="https://journal.example/1"') == 1
    assert "La Gazette" not in texts[OWNER_ID] and "La Gazette" in texts[READERS[0]]  # only what Darty holds
    assert texts[READERS[0]].count('href="https://journal.example/1"') == 1  # one story, under Darty ("voir 1")
    assert "vingt rames" in texts[READERS[1]] and "Fnac" not in texts[READERS[1]]


async def test_what_is_published_while_a_shared_pool_is_drawn_on_comes_in_the_next_briefing(services, tg):
    store, now = services.store, time.time()
    fnac = await create(store, "Fnac", "fnac", OWNER_ID)
    await store.watches.follow(READERS[0], fnac.id)
    text = "La Fnac ouvre un magasin à Rennes, son cinquième en Bretagne, avec quarante emplois."
    await store.items.add_many([_item(1, "La Fnac ouvre à Rennes", text, (fnac.id,), now - 600)])
    due = now - 30
    await _due_members(services, tg, [OWNER_ID], due)
    assert await send_briefing(services, OWNER_ID, due)  # reads the pool the others due now share
    late = "La Fnac recrute cent vendeurs pour les fêtes dans ses magasins de l'Ouest, annonce la direction."
    await store.items.add_many([_item(2, "La Fnac recrute cent vendeurs", late, (fnac.id,), time.time())])
    await _due_members(services, tg, [READERS[0]], due)

    assert await send_briefing(services, READERS[0], due)

    first = " ".join(m.text for m in await store.delivery.waiting(READERS[0]))
    assert "Rennes" in first and "cent vendeurs" not in first  # published after the pool was read
    profile = await store.users.get(READERS[0])
    messages, _ = await briefing_now(services, profile)
    assert "cent vendeurs" in " ".join(messages) and "Rennes" not in " ".join(messages)  # not lost, not twice
