"""Redis state: connection and repositories. Key names live in `bot.store.keys` only."""

from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis

from bot.store.briefings import BriefingRepo
from bot.store.outbox import OutboxRepo
from bot.store.system import SystemRepo
from bot.store.team import TeamRepo
from bot.store.updates import UpdateJournal
from bot.store.users import UserRepo
from bot.store.volumes import VolumeRepo
from bot.store.watching import FeedRepo, ItemRepo, WatchRepo, XStateRepo


@dataclass(frozen=True)
class Store:
    """The repositories over one Redis connection pool."""

    redis: Redis
    users: UserRepo
    team: TeamRepo
    system: SystemRepo
    watches: WatchRepo
    items: ItemRepo
    feeds: FeedRepo
    x: XStateRepo
    outbox: OutboxRepo
    updates: UpdateJournal
    briefings: BriefingRepo
    volumes: VolumeRepo

    @classmethod
    def over(cls, redis: Redis) -> Store:
        return cls(
            redis=redis,
            users=UserRepo(redis),
            team=TeamRepo(redis),
            system=SystemRepo(redis),
            watches=WatchRepo(redis),
            items=ItemRepo(redis),
            feeds=FeedRepo(redis),
            x=XStateRepo(redis),
            outbox=OutboxRepo(redis),
            updates=UpdateJournal(redis),
            briefings=BriefingRepo(redis),
            volumes=VolumeRepo(redis),
        )
