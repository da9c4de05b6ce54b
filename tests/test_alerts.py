"""Crisis alerts end to end: mentions on the local X server far above a watch's usual reach its
followers once, in their language, with what drives them; the local Bot API server takes them."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

import pytest
from pydantic import SecretStr
from telegram import Bot

from bot import volume
from bot.alerts import check_crises
from bot.briefing_inputs import crisis_notes
from bot.callbacks import PostingPause, encode
from bot.crisis import Tracking
from bot.delivery.sender import Sender
from bot.ingest import Ingest
from bot.model import Kind, Outgoing, Priority, Profile, Subscription, Watch
from bot.roles import Role
from bot.services import open_services
from bot.store.volumes import count_in
from tests.conftest import OWNER_ID, running_bot
from tests.fakes.x_api import FakeX

READER_ID = 5050
BLOCKED_ID = 5051
OTHER_ID = 5052
USUAL = 4  # mentions in every quarter-hour, week after week
WEEKS = 5


@pytest.fixture
async def x():
    async with FakeX() as server:
        yield server


@pytest.fixture
async def x_services(settings, x):
    configured = settings.model_copy(update={"x_bearer_token": SecretStr(x.bearer_token), "x_api_url": x.url})
    async with open_services(configured) as services:
        yield services


async def _watch_with_history(services, now: float, usual: int = USUAL) -> Watch:
    """A watch created weeks ago, mentioned `usual` times every quarter-hour since."""
    store = services.store
    watch = Watch("fnac", "Fnac", "fnac", OWNER_ID, now - WEEKS * volume.WEEK)
    await store.watches.create(watch)
    for user_id, language in ((OWNER_ID, "fr"), (READER_ID, "en")):
        await store.users.save(Profile(user_id, language, "Europe/Paris"))
        await store.watches.follow(user_id, watch.id)
    await store.team.grant(READER_ID, Role.READER)
    await store.users.save(Profile(BLOCKED_ID, "fr", "Europe/Paris", active=False))  # blocked the bot
    await store.watches.follow(BLOCKED_ID, watch.id)
    await store.users.save(Profile(OTHER_ID, "fr", "Europe/Paris"))  # a member who does not follow it
    first, current = volume.bucket(watch.created) + 1, volume.bucket(now)
    async with store.redis.pipeline(transaction=False) as pipe:
        spaced = volume.BUCKET // usual  # each quarter-hour's mentions within it
        count_in(
            pipe, watch.id, [b * volume.BUCKET + spaced * k for b in range(first, current - 2) for k in range(usual)]
        )
        await pipe.execute()
    return watch


def _burst(x: FakeX, now: float, per_bucket: int) -> None:
    """`per_bucket` posts about the Fnac in each of the two quarter-hours before `now`'s."""
    current = volume.bucket(now)
    for b in (current - 2, current - 1):
        for k in range(per_bucket):
            moment = b * volume.BUCKET + 10 + k * (volume.BUCKET - 20) / per_bucket
            x.add_post(
                f"Panne géante des caisses à la Fnac, témoignage {b}-{k}",
                f"client{k}",
                created_at=datetime.fromtimestamp(moment, UTC),
                likes=k,
            )


def _labels(message: dict) -> list[str]:
    """The labels of a message's buttons, row after row."""
    return [b["text"] for row in message["reply_markup"]["inline_keyboard"] for b in row]


async def _send(services, tg) -> None:
    async with Bot(tg.token, base_url=f"{tg.url}/bot") as bot:
        await Sender(services.store, bot).drain()


async def test_a_burst_of_mentions_alerts_each_follower_once_in_their_language(x_services, x, tg):
    services, now = x_services, time.time()
    await _watch_with_history(services, now)
    _burst(x, now, per_bucket=30)  # about 7x the usual, in two quarter-hours in a row

    report = await Ingest(services).cycle(now=now)
    assert report is not None and report.crisis_alerts == 1
    for user_id in (OWNER_ID, READER_ID):
        await tg.send_text(tg.user(user_id), "/start")  # their chats with the bot exist
    [waiting] = await services.store.delivery.waiting(OWNER_ID)
    assert waiting.priority is Priority.CRISIS
    await _send(services, tg)
    [french] = await tg.wait_for_messages(OWNER_ID, 1)
    [english] = await tg.wait_for_messages(READER_ID, 1)
    assert french["photo"] and english["photo"]  # the chart of the last 48 h
    assert french["caption"].startswith("🚨 Pic de mentions : Fnac")
    assert "60 mentions en 30 min depuis" in french["caption"] and "7,5× l’habituel pour un" in french["caption"]
    assert english["caption"].startswith("🚨 Mentions spike: Fnac") and "7.5x the usual for a" in english["caption"]
    assert "X 100%" in english["caption"]
    liked = [e for e in english["caption_entities"] if e["type"] == "text_link"]
    assert len(liked) == 3 and "témoignage" in english["caption"]  # the three posts with most engagement
    [new] = [line for line in english["caption"].splitlines() if line.startswith("New in the conversation: ")]
    assert "panne" in new and "fnac" not in new.lower()  # what is new, not the watch's own name
    [chart] = [params for name, params in tg.calls if name == "sendPhoto" and params["chat_id"] == OWNER_ID]
    assert chart["photo"]["data"].startswith(b"\x89PNG")

    assert await services.store.delivery.waiting(BLOCKED_ID) == await services.store.delivery.waiting(OTHER_ID) == []
    later = now + 120  # the next cycles: the same crisis, no second alert
    assert (await Ingest(services).cycle(now=later)).crisis_alerts == 0
    assert await services.store.delivery.waiting(OWNER_ID) == []


async def test_quiet_hours_hold_a_topic_alert_and_let_a_crisis_through(x_services, x):
    services, now = x_services, time.time()
    watch = await _watch_with_history(services, now)
    hour = datetime.fromtimestamp(now, UTC).hour
    profile = await services.store.users.get(OWNER_ID)
    quiet = f"{(hour - 1) % 24:02d}:00-{(hour + 2) % 24:02d}:00"  # now is in them
    await services.store.users.save(profile.with_changes(timezone="UTC", quiet_hours=quiet))
    await services.store.topics.subscribe(OWNER_ID, Subscription(watch.id))
    _burst(x, now, per_bucket=30)

    report = await Ingest(services).cycle(now=now)
    assert report is not None and report.topic_alerts == 0 and report.crisis_alerts == 1
    [crisis] = await services.store.delivery.waiting(OWNER_ID)
    assert crisis.kind is Kind.PHOTO and crisis.text.startswith("🚨 <b>Pic de mentions : Fnac</b>")
    assert len((await services.store.topics.pending(OWNER_ID, watch.id))[0]) == 60  # the posts wait


async def test_the_usual_traffic_raises_nothing_and_a_new_watch_is_silent(x_services, x):
    services, now = x_services, time.time()
    await _watch_with_history(services, now)
    _burst(x, now, per_bucket=USUAL)
    assert (await Ingest(services).cycle(now=now)).crisis_alerts == 0

    new = Watch("darty", "Darty", "darty", OWNER_ID, now - 3600)  # an hour old: no usual yet
    await services.store.watches.create(new)
    await services.store.watches.follow(OWNER_ID, new.id)
    for k in range(60):
        x.add_post(
            f"Darty rappelle un produit {k}", f"client{k}", created_at=datetime.fromtimestamp(now - 60 * k / 4, UTC)
        )
    assert (await Ingest(services).cycle(now=now + 600)).crisis_alerts == 0


async def test_owners_can_pause_posting_from_a_crisis_alert_and_status_shows_it(settings, tg, x):
    configured = {
        "x_bearer_token": SecretStr(x.bearer_token),
        "x_user_access_token": SecretStr(x.user_token),
        "x_api_url": x.url,
    }
    async with running_bot(settings, tg, **configured) as running:
        services, now = running.services, time.time()
        await services.store.team.grant(READER_ID, Role.READER)
        owner, reader = tg.user(OWNER_ID), tg.user(READER_ID, language_code="en")
        for user in (owner, reader):
            await tg.send_text(user, "/start")
            await tg.wait_for_messages(user["id"], 1)  # welcomed
        await _watch_with_history(services, now)
        _burst(x, now, per_bucket=30)
        await Ingest(services).cycle(now=now)
        await _send(services, tg)
        [alert] = await tg.wait_for_messages(OWNER_ID, 1)
        [read_only] = await tg.wait_for_messages(READER_ID, 1)
        labels = _labels(alert)
        assert labels == ["📈 Suivre l’évolution", "⏸ Suspendre les publications", "✍️ Préparer une réponse"]
        labels = _labels(read_only)
        assert labels == ["📈 Follow the evolution"]  # a reader may follow it, not act

        await tg.press(owner, alert, "✍️ Préparer une réponse")
        [asked] = await tg.wait_for_messages(OWNER_ID, 1)
        assert asked["text"].startswith("✍️ Envoyez le texte de votre réponse")
        await tg.send_text(owner, "Nous rétablissons les caisses, merci de votre patience")
        [preview] = await tg.wait_for_messages(OWNER_ID, 1)
        assert preview["text"].startswith("Aperçu de votre post sur X")  # the /post flow, about the alert's posts
        linked = [e["url"] for e in alert["caption_entities"] if e["type"] == "text_link"]
        offered = [label for label in _labels(preview) if label.startswith("↩️ Répondre à @client")]
        assert len(offered) == len(linked) == 3 and all("/client" in url for url in linked)

        forged = await tg.press_data(reader, read_only["message_id"], encode(PostingPause("fnac")))
        refusal = await tg.wait_for_answer(forged)
        assert refusal.get("text") and await services.store.posting.hold() is None

        await tg.press(owner, alert, "⏸ Suspendre les publications")
        [paused] = await tg.wait_for_messages(OWNER_ID, 1)
        assert paused["text"].startswith("⏸ Publications suspendues")
        hold = await services.store.posting.hold()
        assert hold is not None and hold.by == OWNER_ID and hold.watch == "Fnac"
        await tg.send_text(owner, "/status")
        [status] = await tg.wait_for_messages(OWNER_ID, 1)
        assert "Publications : ⏸ suspendues par" in status["text"] and "(crise : Fnac)" in status["text"]

        await tg.press(owner, paused, "▶️ Reprendre les publications")
        [resumed] = await tg.wait_for_messages(OWNER_ID, 1)
        assert resumed["text"] == "▶️ Publications reprises." and await services.store.posting.hold() is None
        await tg.send_text(owner, "/status")
        [status] = await tg.wait_for_messages(OWNER_ID, 1)
        assert "Publications : autorisées" in status["text"]


async def test_two_overlapping_cycles_queue_an_alert_once(x_services):
    services, now = x_services, time.time()
    watch = await _watch_with_history(services, now)
    current = volume.bucket(now)
    async with services.store.redis.pipeline(transaction=False) as pipe:  # what ingest counted
        count_in(pipe, watch.id, [b * volume.BUCKET + k for b in (current - 2, current - 1) for k in range(30)])
        await pipe.execute()
    owners = frozenset({OWNER_ID})
    raised = await asyncio.gather(*(check_crises(services.store, owners, services.cpu, now) for _ in range(3)))
    assert sum(raised) == 1
    stale = await services.store.crises.save(watch.id, Tracking(), Tracking(), [Outgoing(OWNER_ID, "again")])
    assert not stale  # judged from a state another cycle has since changed: nothing saved
    assert len(await services.store.delivery.waiting(OWNER_ID)) == 1


def _count(services, watch: Watch, buckets: dict[int, int]):
    """What ingest would have counted: `n` mentions in each bucket."""

    async def counted() -> None:
        async with services.store.redis.pipeline(transaction=False) as pipe:
            count_in(pipe, watch.id, [b * volume.BUCKET + k for b, n in buckets.items() for k in range(n)])
            await pipe.execute()

    return counted()


async def test_a_followed_alert_is_edited_while_the_crisis_lasts_and_once_when_it_is_over(settings, tg):
    async with running_bot(settings, tg) as running:
        services, now = running.services, time.time()
        owner, reader = tg.user(OWNER_ID), tg.user(READER_ID, language_code="en")
        await services.store.team.grant(READER_ID, Role.READER)
        for user in (owner, reader):
            await tg.send_text(user, "/start")
            await tg.wait_for_messages(user["id"], 1)
        watch = await _watch_with_history(services, now)
        owners, cpu, start = frozenset({OWNER_ID}), services.cpu, volume.bucket(now)
        await _count(services, watch, {start - 2: 30, start - 1: 30})
        assert await check_crises(services.store, owners, cpu, now) == 1
        await _send(services, tg)
        [alert] = await tg.wait_for_messages(OWNER_ID, 1)
        [unfollowed] = await tg.wait_for_messages(READER_ID, 1)

        answered = await tg.wait_for_answer(await tg.press(owner, alert, "📈 Suivre l’évolution"))
        assert answered["text"].startswith("Ce message sera mis à jour toutes les 30 min")
        pressed = await tg.wait_for_edit(OWNER_ID, alert["message_id"])
        assert pressed["reply_markup"]["inline_keyboard"][0][0]["text"] == "✓ Évolution suivie (arrêter)"
        await tg.send_text(owner, "/briefing")
        [briefing] = await tg.wait_for_messages(OWNER_ID, 1)
        assert briefing["text"].splitlines()[3].startswith("🚨 Crise en cours : Fnac, pic de mentions depuis")

        await _count(services, watch, {start: 31, start + 1: 29})  # still 7x the usual half an hour on
        assert await check_crises(services.store, owners, cpu, now + 1800) == 0  # no new alert: an edit
        await _send(services, tg)
        ongoing = await tg.wait_for_edit(OWNER_ID, alert["message_id"])
        assert ongoing["caption"].startswith("🚨 Pic de mentions : Fnac (en cours)")
        assert "Mis à jour à" in ongoing["caption"] and "60 mentions en 30 min" in ongoing["caption"]
        assert ongoing["photo"][0]["file_id"] != alert["photo"][0]["file_id"]  # a fresh chart
        assert [n for n, p in tg.calls if n == "editMessageMedia" and p["chat_id"] == READER_ID] == []

        await _count(services, watch, {start + 2: USUAL, start + 3: USUAL})  # back to the usual
        assert await check_crises(services.store, owners, cpu, now + 3600) == 0
        await _send(services, tg)
        over = await tg.wait_for_edit(OWNER_ID, alert["message_id"])
        assert over["caption"].startswith("✅ Retour à la normale : Fnac")
        labels = _labels(over)
        assert "📈 Suivre l’évolution" not in labels and "✓ Évolution suivie (arrêter)" not in labels
        assert tg.messages(READER_ID)[-1]["caption"] == unfollowed["caption"]  # never followed: never edited

        await _count(services, watch, {start + 4: USUAL, start + 5: USUAL})
        assert await check_crises(services.store, owners, cpu, now + 5400) == 0  # over: nothing more
        assert await services.store.delivery.waiting(OWNER_ID) == []


async def test_a_crisis_cell_group_gets_the_alert_and_only_the_team_can_press_its_buttons(settings, tg):
    async with running_bot(settings, tg) as running:
        services, now = running.services, time.time()
        owner, reader, stranger = tg.user(OWNER_ID), tg.user(READER_ID), tg.user(OTHER_ID, "Curieux")
        await services.store.team.grant(READER_ID, Role.READER)
        cell = tg.group(-1001, "Cellule de crise")["id"]
        watch = await _watch_with_history(services, now)

        await tg.send_text(reader, "/alert Fnac ici", chat_id=cell)
        [refused] = await tg.wait_for_messages(cell, 1)
        assert refused["text"] == "This action is for owners only."  # in the reader's language
        await tg.send_text(stranger, "/alert Fnac ici", chat_id=cell)
        await tg.send_text(owner, "/alert Fnac ici", chat_id=cell)
        [added] = await tg.wait_for_messages(cell, 1)  # the stranger got no answer
        assert added["text"].startswith("🚨 Les alertes de crise sur Fnac viendront aussi dans ce groupe")

        await _count(services, watch, {volume.bucket(now) - 2: 30, volume.bucket(now) - 1: 30})
        assert await check_crises(services.store, frozenset({OWNER_ID}), services.cpu, now) == 1
        await _send(services, tg)
        [alert] = await tg.wait_for_messages(cell, 1)
        assert alert["caption"].startswith("🚨 Pic de mentions : Fnac") and alert["photo"]
        labels = _labels(alert)
        assert labels == ["📈 Suivre l’évolution", "⏸ Suspendre les publications", "✍️ Préparer une réponse"]

        pressed = await tg.press(stranger, alert, "⏸ Suspendre les publications", chat_id=cell)
        assert (await tg.wait_for_answer(pressed)).get("show_alert")  # told Vigie is by invitation
        pressed = await tg.press(reader, alert, "⏸ Suspendre les publications", chat_id=cell)
        await tg.wait_for_answer(pressed)
        assert await services.store.posting.hold() is None  # a reader may not pause posting
        await tg.press(owner, alert, "📈 Suivre l’évolution", chat_id=cell)
        followed = await tg.wait_for_edit(cell, alert["message_id"])
        assert followed["reply_markup"]["inline_keyboard"][0][0]["text"] == "✓ Évolution suivie (arrêter)"
        assert await services.store.crises.following(watch.id) == {cell}

        await tg.send_text(owner, "/alert off Fnac ici", chat_id=cell)
        [removed] = await tg.wait_for_messages(cell, 1)
        assert removed["text"].startswith("Les alertes de crise sur Fnac ne viendront plus dans ce groupe")
        assert await services.store.crises.cells(watch.id) == {}


async def test_an_unusual_drop_alerts_only_once_enabled_on_the_watch_and_stays_out_of_the_briefing(settings, tg):
    async with running_bot(settings, tg) as running:
        services, now, owner = running.services, time.time(), tg.user(OWNER_ID)
        owners = frozenset({OWNER_ID})
        watch = await _watch_with_history(services, now, usual=40)  # then nothing for half an hour
        assert await check_crises(services.store, owners, services.cpu, now) == 0  # spikes only, by default
        await tg.send_text(tg.user(READER_ID), "/start")  # the reader's chat with the bot exists
        await tg.wait_for_messages(READER_ID, 1)

        await tg.send_text(owner, "/watch baisses Fnac")
        [usage] = await tg.wait_for_messages(OWNER_ID, 1)
        assert "/watch baisses Fnac oui" in usage["text"]
        await tg.send_text(owner, "/watch baisses Fnac oui")
        [enabled] = await tg.wait_for_messages(OWNER_ID, 1)
        assert enabled["text"].startswith("📉 Fnac : une baisse inhabituelle des mentions sera aussi signalée")
        assert (await services.store.watches.get(watch.id)).drops

        later = now + volume.BUCKET  # the next quarter-hour: another silent one is complete
        assert await check_crises(services.store, owners, services.cpu, later) == 1
        await _send(services, tg)
        [french] = await tg.wait_for_messages(OWNER_ID, 1)
        [english] = await tg.wait_for_messages(READER_ID, 1)
        assert french["photo"] and french["caption"].startswith("📉 Mentions inhabituellement basses : Fnac")
        assert (
            "0 mentions en 30 min depuis" in french["caption"] and "contre 80 d’habitude pour un" in french["caption"]
        )
        assert english["caption"].startswith("📉 Unusually few mentions: Fnac")
        assert "Ce qui fait réagir" not in french["caption"]
        labels = _labels(french)
        assert labels == ["📈 Suivre l’évolution"]  # nothing to pause or answer
        await tg.press(owner, french, "📈 Suivre l’évolution")
        followed = await tg.wait_for_edit(OWNER_ID, french["message_id"])
        assert _labels(followed) == ["✓ Évolution suivie (arrêter)"]
        assert await crisis_notes(services.store, [watch], now - 3600) == []  # the briefing tells spikes

        await tg.send_text(owner, "/watch baisses Fnac non")
        [disabled] = await tg.wait_for_messages(OWNER_ID, 1)
        assert disabled["text"].startswith("Fnac : les baisses de mentions ne sont plus signalées")
        assert not (await services.store.watches.get(watch.id)).drops


async def test_an_alert_raised_before_its_quarter_hour_ends_is_followed_until_the_crisis_ends(x_services):
    services = x_services
    now = volume.bucket(time.time()) * volume.BUCKET + 300  # five minutes into a quarter-hour
    watch = await _watch_with_history(services, now)
    start, owners = volume.bucket(now), frozenset({OWNER_ID})
    await _count(services, watch, {start - 1: 30, start: 30})
    assert await check_crises(services.store, owners, services.cpu, now) == 1  # raised on the bucket under way
    for minute in range(1, 40):  # the next cycles, every minute, while it stays high
        if minute == 10:
            await _count(services, watch, {start + 1: 30, start + 2: 30})
        assert await check_crises(services.store, owners, services.cpu, now + 60 * minute) == 0
        [(_, followed)] = await services.store.crises.trackings([watch.id])
        assert followed is not None, f"the crisis was taken as over {minute} min after its alert"
