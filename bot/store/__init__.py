"""Redis state: connection and repositories. Key names live in `bot.store.keys` only.

Outside this package, only `Store` is imported: open it, then use its repositories."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from redis.asyncio import Redis

from bot.store.briefings import BriefingRepo
from bot.store.connect import R, Revive, open_redis, redis_client
from bot.store.crises import CrisisRepo
from bot.store.delivery import DeliveryRepo
from bot.store.embedded import EmbeddedRedisError
from bot.store.feeds import FeedRepo
from bot.store.following import FollowingRepo
from bot.store.items import ItemRepo
from bot.store.journal import JournalRepo
from bot.store.pacing import PacingRepo
from bot.store.posting import PostingRepo
from bot.store.system import SystemRepo
from bot.store.team import TeamRepo
from bot.store.topics import TopicRepo
from bot.store.updates import UpdateJournal
from bot.store.users import UserRepo
from bot.store.volumes import VolumeRepo
from bot.store.watches import WatchRepo
from bot.store.xstate import XStateRepo


@dataclass(frozen=True)
class Store:
    """The repositories over one Redis connection pool."""

    StartError: ClassVar = EmbeddedRedisError  # the embedded server would not start

    redis: Redis
    url: str  # where `redis` connects (other clients, e.g. arq's pool, open on it)
    revive: Revive | None  # starts the embedded server again; None on REDIS_URL
    users: UserRepo
    team: TeamRepo
    system: SystemRepo
    watches: WatchRepo
    items: ItemRepo
    feeds: FeedRepo
    x: XStateRepo
    delivery: DeliveryRepo
    pacing: PacingRepo
    updates: UpdateJournal
    briefings: BriefingRepo
    volumes: VolumeRepo
    crises: CrisisRepo
    posting: PostingRepo
    topics: TopicRepo
    following: FollowingRepo
    journal: JournalRepo

    @classmethod
    @asynccontextmanager
    async def open(cls, redis_url: str | None, data_dir: Path) -> AsyncIterator[Store]:
        """The store on `redis_url`, or on the embedded server under `data_dir`; closed after."""
        async with open_redis(redis_url, data_dir) as (client, url, revive):
            yield cls.over(client, url, revive)

    @classmethod
    def over(cls, redis: Redis, url: str = "", revive: Revive | None = None) -> Store:
        delivery = DeliveryRepo(redis)
        topics = TopicRepo(redis, delivery)
        journal = JournalRepo(redis)
        return cls(
            redis=redis,
            url=url,
            revive=revive,
            users=UserRepo(redis),
            team=TeamRepo(redis),
            system=SystemRepo(redis),
            watches=WatchRepo(redis),
            items=ItemRepo(redis),
            feeds=FeedRepo(redis),
            x=XStateRepo(redis),
            delivery=delivery,
            pacing=PacingRepo(redis),
            updates=UpdateJournal(redis),
            briefings=BriefingRepo(redis, delivery, topics),
            volumes=VolumeRepo(redis),
            crises=CrisisRepo(redis, delivery),
            posting=PostingRepo(redis, delivery, journal),
            topics=topics,
            following=FollowingRepo(redis),
            journal=journal,
        )

    def client(self, kind: type[R]) -> R:
        """Another client of `kind` on the same server (arq's pool is one)."""
        return redis_client(self.url, kind)
