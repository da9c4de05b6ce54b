"""Process coordination kept in Redis: the worker heartbeat, leases, the console's seeding.

A lease is redis-py's `Lock` (a random token, compare-and-delete on release): it belongs to its
holder, is renewed every third of its time-to-live while the holder works, and lapses by itself
when the holder dies, so another process takes over within one time-to-live. Only its holder can
release it; a holder that could not renew in time sees `held` turn False and stops (a lease held
through outages stays held while Redis cannot be reached: nobody else can take it then).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator

from redis.asyncio import Redis
from redis.asyncio.lock import Lock
from redis.exceptions import LockError, RedisError

from bot.store import keys

PROBE_TTL = 60
RELEASE_WAIT = 2.0  # seconds a lease's release waits for Redis before leaving it to expire
RELEASED_LOOK = 0.2  # seconds between looks at a lease another process holds


class Lease:
    """A held lock, renewed in the background until released."""

    def __init__(self, lock: Lock, ttl: float, through_outages: bool) -> None:
        self._lock = lock
        self._ttl = ttl
        self._through_outages = through_outages
        self._held = True
        self._renewer = asyncio.create_task(self._renew())

    @property
    def held(self) -> bool:
        return self._held

    async def _renew(self) -> None:
        while True:
            await asyncio.sleep(self._ttl / 3)
            try:
                await self._lock.reacquire()
            except LockError:  # it lapsed: another process may hold it now
                self._held = False
                return
            except RedisError:
                if self._through_outages:
                    continue  # nobody can take it while Redis is down; once back, the renewal tells
                self._held = False
                return

    async def release(self) -> None:
        """Give the lease back (a lease that lapsed or that Redis cannot hear about expires by
        itself); a cancel of the caller goes through."""
        self._renewer.cancel()
        await asyncio.wait([self._renewer])
        if self._held:  # lapsed, unreachable or hung (a stop must not wait for it): it expires
            with contextlib.suppress(LockError, RedisError, TimeoutError):
                async with asyncio.timeout(RELEASE_WAIT):
                    await self._lock.release()
        self._held = False


class SystemRepo:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def beat(self) -> None:
        await self._redis.set(keys.WORKER_HEARTBEAT, int(time.time()))

    async def probe(self) -> None:
        """One write that proves Redis accepts writes (the health probe); it expires by itself."""
        await self._redis.set(keys.HEALTH_PROBE, int(time.time()), ex=PROBE_TTL)

    async def seen(self, process: str, mode: str) -> None:
        """`process` (host:pid) is alive, running `mode`."""
        await self._redis.hset(keys.PROCESSES, process, f"{mode} {time.time():.0f}")

    async def processes(self, within: float) -> dict[str, int]:
        """How many processes of each mode were seen in the last `within` seconds (those not
        seen for a day are forgotten)."""
        now, alive = time.time(), dict[str, int]()
        for process, value in (await self._redis.hgetall(keys.PROCESSES)).items():
            mode, _, seen = value.partition(" ")
            if now - float(seen) > 86400:
                await self._redis.hdel(keys.PROCESSES, process)
            elif now - float(seen) <= within:
                alive[mode] = alive.get(mode, 0) + 1
        return alive

    async def seeded(self) -> bool:
        """The console's samples were seeded in this store."""
        return bool(await self._redis.exists(keys.CONSOLE_SEEDED))

    async def set_seeded(self) -> None:
        await self._redis.set(keys.CONSOLE_SEEDED, int(time.time()))

    async def leased(self, name: str) -> bool:
        """Someone holds the lease `name`."""
        return bool(await self._redis.exists(keys.lock(name)))

    async def released(self, name: str, within: float) -> None:
        """Wait until nobody holds the lease `name`, `within` seconds at most."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while loop.time() < deadline and await self.leased(name):
            await asyncio.sleep(RELEASED_LOOK)

    async def server(self) -> dict[str, str]:
        """Redis's own memory and persistence figures (INFO)."""
        info = {**await self._redis.info("memory"), **await self._redis.info("persistence")}
        return {k: str(v) for k, v in info.items()}

    async def last_beat(self) -> int | None:
        value = await self._redis.get(keys.WORKER_HEARTBEAT)
        return int(value) if value else None

    @contextlib.asynccontextmanager
    async def lease(self, name: str, ttl: float, *, through_outages: bool = False) -> AsyncIterator[Lease | None]:
        """Hold the lease `name` for the block (None when another process holds it). With
        `through_outages`, a renewal that Redis cannot hear keeps the lease held until Redis
        answers again (then it is held, or lapsed and lost)."""
        lock = self._redis.lock(keys.lock(name), timeout=ttl, blocking=False, thread_local=False)
        if not await lock.acquire():
            yield None
            return
        lease = Lease(lock, ttl, through_outages)
        try:
            yield lease
        finally:
            await lease.release()
