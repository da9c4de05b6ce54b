"""Each watch's crisis detector between ingest cycles (bot.crisis.Tracking), its latest alert's
message while the episode lasts (bot.model.CrisisMessage) and the chats following its evolution.

Guarantee: a detector's new state, the message it now edits and what it queued (alerts, edits) are
saved in one MULTI, and only if the state is still the one they were judged from (WATCH), so an
alert or an edit is queued once: a crash before the save leaves the state as it was and the next
cycle does the same again; two cycles that overlap (a lease lost midway) cannot both save. A state
not saved for a day expires (a deleted watch's).
"""

from __future__ import annotations

import json
from dataclasses import asdict

from redis.asyncio import Redis
from redis.exceptions import WatchError

from bot.crisis import Baseline, Kind, Tracking, Watching
from bot.model import CrisisMessage, Outgoing
from bot.store import keys
from bot.store.delivery import DeliveryRepo

KEEP = 86400  # seconds a detector's state outlives its last save


class CrisisRepo:
    def __init__(self, redis: Redis, delivery: DeliveryRepo) -> None:
        self._redis = redis
        self._delivery = delivery

    async def trackings(self, watch_ids: list[str]) -> list[tuple[Tracking, CrisisMessage | None]]:
        """Each watch's detector and followed message, in the order of `watch_ids` (one round trip)."""
        if not watch_ids:
            return []
        rows = await self._redis.mget(
            [key for w in watch_ids for key in (keys.watch_crisis(w), keys.watch_crisis_message(w))]
        )
        return [
            (_decode(tracking) if tracking else Tracking(), _message(message))
            for tracking, message in zip(rows[::2], rows[1::2], strict=True)
        ]

    async def cells(self, watch_id: str) -> dict[int, tuple[str, str]]:
        """The groups the watch's crisis alerts also go to, each with its language and time zone."""
        rows = await self._redis.hgetall(keys.watch_cells(watch_id))
        return {int(chat): (where[0], where[1]) for chat, raw in rows.items() if (where := json.loads(raw))}

    async def set_cell(self, watch_id: str, chat_id: int, where: tuple[str, str] | None) -> None:
        """The group gets the watch's crisis alerts, in that language and zone (None: no longer)."""
        key = keys.watch_cells(watch_id)
        if where is None:
            await self._redis.hdel(key, str(chat_id))
        else:
            await self._redis.hset(key, str(chat_id), json.dumps(list(where)))

    async def following(self, watch_id: str) -> set[int]:
        """The chats that follow the evolution of the watch's crisis."""
        return {int(chat) for chat in await self._redis.smembers(keys.watch_crisis_following(watch_id))}

    async def follow(self, watch_id: str, chat_id: int, on: bool) -> None:
        key = keys.watch_crisis_following(watch_id)
        await (self._redis.sadd(key, chat_id) if on else self._redis.srem(key, chat_id))
        await self._redis.expire(key, KEEP)

    async def save(
        self,
        watch_id: str,
        before: Tracking,
        after: Tracking,
        queued: list[Outgoing],
        message_before: CrisisMessage | None = None,
        message: CrisisMessage | None = None,
        *,
        new_episode: bool = False,
    ) -> bool:
        """The detector's new state, the message now followed (None: the episode is over) and
        what it queued, together or not at all, if the state and message are still `before` and
        `message_before`; False when another cycle changed them first. A new episode starts with
        no chat following it."""
        key, followed = keys.watch_crisis(watch_id), keys.watch_crisis_message(watch_id)
        async with self._redis.pipeline(transaction=True) as pipe:
            await pipe.watch(key, followed)
            raw, was = await pipe.get(key), await pipe.get(followed)
            if (_decode(raw) if raw else Tracking()) != before or _message(was) != message_before:
                return False
            pipe.multi()
            await self._delivery.add(pipe, queued)
            pipe.set(key, _encode(after), ex=KEEP)
            following = keys.watch_crisis_following(watch_id)
            if message is None:
                pipe.delete(followed, following)
            else:
                pipe.set(followed, json.dumps(asdict(message)), ex=KEEP)
                if new_episode:
                    pipe.delete(following)
            try:
                await pipe.execute()
            except WatchError:
                return False
        return True


def _message(raw: str | None) -> CrisisMessage | None:
    return CrisisMessage(**json.loads(raw)) if raw else None


def _encode(tracking: Tracking) -> str:
    watching = tracking.watching
    return json.dumps(
        {
            "episode": watching.episode.value if watching.episode else None,
            "last_alert": watching.last_alert,
            "times_usual": watching.times_usual,
            "alerted": watching.alerted.value if watching.alerted else None,
            "judged": tracking.judged,
            "early": tracking.early,
            "usuals": {
                str(moment): [usual.median, usual.deviation, usual.basis] if usual else None
                for moment, usual in tracking.usuals.items()
            },
        }
    )


def _decode(raw: str) -> Tracking:
    data = json.loads(raw)
    episode, alerted = (Kind(data[name]) if data.get(name) else None for name in ("episode", "alerted"))
    if alerted is None and data.get("last_alert") is not None:
        alerted = Kind.SPIKE  # saved when spikes were all there was
    watching = Watching(episode, data.get("last_alert"), float(data.get("times_usual") or 0.0), alerted)
    usuals = {float(moment): Baseline(*usual) if usual else None for moment, usual in data.get("usuals", {}).items()}
    return Tracking(watching, data.get("judged"), data.get("early"), usuals)
