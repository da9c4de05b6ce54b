"""Each watch's crisis detector between ingest cycles (bot.crisis.Tracking).

Guarantee: a detector's new state and the alerts it raised are saved in one MULTI, and only if the
state is still the one they were judged from (WATCH), so an alert is queued once: a crash before
the save leaves the state as it was and the next cycle raises the alert again; two cycles that
overlap (a lease lost midway) cannot both save. A state not saved for a day expires (a deleted
watch's).
"""

from __future__ import annotations

import json

from redis.asyncio import Redis
from redis.exceptions import WatchError

from bot.crisis import Baseline, Kind, Tracking, Watching
from bot.model import Outgoing
from bot.store import keys
from bot.store.delivery import DeliveryRepo

KEEP = 86400  # seconds a detector's state outlives its last save


class CrisisRepo:
    def __init__(self, redis: Redis, delivery: DeliveryRepo) -> None:
        self._redis = redis
        self._delivery = delivery

    async def trackings(self, watch_ids: list[str]) -> list[Tracking]:
        """Each watch's detector, in the order of `watch_ids` (one round trip)."""
        if not watch_ids:
            return []
        rows = await self._redis.mget([keys.watch_crisis(w) for w in watch_ids])
        return [_decode(raw) if raw else Tracking() for raw in rows]

    async def save(self, watch_id: str, before: Tracking, after: Tracking, alerts: list[Outgoing]) -> bool:
        """The detector's new state and its alerts' messages, queued together or not at all, if
        the state is still `before`; False when another cycle changed it first."""
        key = keys.watch_crisis(watch_id)
        async with self._redis.pipeline(transaction=True) as pipe:
            await pipe.watch(key)
            raw = await pipe.get(key)
            if (_decode(raw) if raw else Tracking()) != before:
                return False
            pipe.multi()
            await self._delivery.add(pipe, alerts)
            pipe.set(key, _encode(after), ex=KEEP)
            try:
                await pipe.execute()
            except WatchError:
                return False
        return True


def _encode(tracking: Tracking) -> str:
    watching = tracking.watching
    return json.dumps(
        {
            "episode": watching.episode.value if watching.episode else None,
            "last_alert": watching.last_alert,
            "times_usual": watching.times_usual,
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
    episode = Kind(data["episode"]) if data.get("episode") else None
    watching = Watching(episode, data.get("last_alert"), float(data.get("times_usual") or 0.0))
    usuals = {float(moment): Baseline(*usual) if usual else None for moment, usual in data.get("usuals", {}).items()}
    return Tracking(watching, data.get("judged"), data.get("early"), usuals)
