"""Leases: one holder at a time, renewed while held, released only by their holder."""

from __future__ import annotations

import asyncio

from bot.store import keys
from bot.store.system import SystemRepo
from tests.conftest import wait_until


async def test_one_holder_at_a_time(services):
    first, second = SystemRepo(services.store.redis), SystemRepo(services.store.redis)
    async with first.lease("job", 5) as held:
        assert held is not None and held.held
        async with second.lease("job", 5) as refused:
            assert refused is None
    async with second.lease("job", 5) as taken:
        assert taken is not None


async def test_a_lease_outlives_its_time_to_live_while_held(services):
    redis = services.store.redis
    async with services.store.system.lease("job", 1.5) as lease:
        start = asyncio.get_running_loop().time()
        await wait_until(lambda: _after(start, 4.0), timeout=10)  # well past the time to live
        assert lease.held
        assert await redis.pttl(keys.lock("job")) > 0


async def test_only_its_holder_releases_a_lease(services):
    redis = services.store.redis
    first, second = SystemRepo(redis), SystemRepo(redis)
    async with first.lease("job", 30) as stale:
        await redis.delete(keys.lock("job"))  # as if it had lapsed while its holder was stalled
        async with second.lease("job", 30) as current:
            token = await redis.get(keys.lock("job"))
            await stale.release()  # the stale holder lets go: the current lease stays
            assert await redis.get(keys.lock("job")) == token and current.held


async def test_a_holder_sees_that_it_lost_its_lease(services):
    redis = services.store.redis
    async with services.store.system.lease("job", 0.9) as lease:
        await redis.set(keys.lock("job"), "another-holder")  # taken over after a lapse
        await wait_until(lambda: _not_held(lease), timeout=10)
        assert await redis.get(keys.lock("job")) == "another-holder"
    assert await redis.get(keys.lock("job")) == "another-holder"  # leaving did not delete it


async def _after(start: float, seconds: float) -> bool:
    return asyncio.get_running_loop().time() - start > seconds


async def _not_held(lease) -> bool:
    return not lease.held
