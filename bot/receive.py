"""Receiving updates by long polling without losing any, without handling one twice, and
without one slow chat holding up the others (the webhook is in `bot.webhook`).

PTB's Updater confirms polled updates as soon as they are queued: a crash loses what was in
flight. Here each fetched update is stored in the journal (`bot.store.updates`) before Telegram
is told it was received, and recorded as handled once handled; a restart replays what is pending,
and an update Telegram sends again after a crash is not handled again. Each chat's updates are
handled in order by its own task, chats in parallel, so a slow command (a feed that takes 30 s to
answer) delays only its own chat; the task outlives any error. During a Redis outage nothing is
confirmed (the offset does not move), members who write are told once that Vigie is back in a
moment, and an update the outage cut short is handled again once Redis is back; one that was
handled but not recorded is only recorded.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram import Update
from telegram.error import Conflict, NetworkError, RetryAfter
from telegram.ext import Application

from bot.model import Lease
from bot.outage import RedisHealth, is_outage
from bot.retry import STOP_GRACE, Backoff, pause, retry_after
from bot.services import Services
from bot.store import Store

log = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
POLL_TIMEOUT = 30
POLLER_TTL = 15  # a dead poller's lease lapses after this; a standby looks every STANDBY_LOOK
STANDBY_LOOK = 5
OUTAGE_POLL = 1.0  # while Redis is down: how often unconfirmed updates are looked at (to answer)


async def process_once(application: Application, store: Store, health: RedisHealth, update: Update) -> bool:
    """Handle `update` unless it was handled already (the caller then records it).

    False when a Redis outage cut the handling short: to be handled again once Redis is back.
    Raises the Redis error when the journal could not be read."""
    if await store.updates.is_handled(update.update_id):
        return True
    await application.process_update(update)  # handler errors go to the error handler
    return not health.was_interrupted(update.update_id)


class ChatDispatcher:
    """Handles each chat's updates in order, chats concurrently; each task survives any error."""

    def __init__(self, application: Application, services: Services, stop: asyncio.Event) -> None:
        self._application = application
        self._store = services.store
        self._health = services.health
        self._stop = stop
        self._queues: dict[int | None, asyncio.Queue[Update]] = {}
        self._tasks: set[asyncio.Task] = set()

    def submit(self, update: Update) -> None:
        chat = update.effective_chat.id if update.effective_chat else None
        queue = self._queues.get(chat)
        if queue is None:
            queue = self._queues[chat] = asyncio.Queue()
            task = asyncio.create_task(self._run(chat, queue))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        queue.put_nowait(update)

    async def _run(self, chat: int | None, queue: asyncio.Queue[Update]) -> None:
        try:
            while not queue.empty():
                await self._handle(queue.get_nowait())
        finally:
            del self._queues[chat]

    async def _handle(self, update: Update) -> None:
        """Handle one update (again after each outage that cuts it short), then record it (again
        after each outage that stops the record, without handling it again)."""
        processed = False
        while not self._stop.is_set():
            try:
                processed = processed or await process_once(self._application, self._store, self._health, update)
                if processed:
                    await self._store.updates.done(update.update_id)
                    self._health.wrote()
                    return
            except Exception as exc:  # noqa: BLE001 - a chat's queue outlives any error
                if not is_outage(exc):
                    log.exception("update %s could not be recorded", update.update_id)
                    return
                self._health.failed(exc)
            await self._health.recovered(self._stop)
        # Stopping: the update stays pending (replayed at the next start) or unconfirmed.

    async def drain(self) -> None:
        """Wait for every update submitted so far, for STOP_GRACE at most (a Redis that hangs
        holds handlers up): what is still in flight then stays pending, replayed at the next start."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(STOP_GRACE):
                while self._tasks:
                    await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def cancel(self) -> None:
        """Drop what is in flight (the receiver itself was cancelled): it stays pending."""
        for task in self._tasks:
            task.cancel()


async def _replay(store: Store, health: RedisHealth, stop: asyncio.Event) -> list[dict]:
    """What a crash left pending, once Redis answers."""
    while not stop.is_set():
        try:
            return await store.updates.pending()
        except Exception as exc:
            if not is_outage(exc):
                raise
            health.failed(exc)
            await health.recovered(stop)
    return []


async def poll_when_leading(application: Application, services: Services, stop: asyncio.Event) -> None:
    """Long polling by one process at a time, until `stop`: whoever holds the poller lease polls,
    the others stand by and take over within POLLER_TTL + STANDBY_LOOK when it dies or stops. A
    Redis outage does not stop the poller (it tells members Vigie is back soon); another process
    holding the lease once Redis is back does."""
    standing_by = False
    while not stop.is_set():
        try:
            async with services.store.system.lease("poller", POLLER_TTL, through_outages=True) as lease:
                if lease is not None:
                    standing_by = False
                    await poll(application, services, stop, lease)
                elif not standing_by:
                    log.info("another process polls Telegram: standing by to take over")
                    standing_by = True
        except Exception as exc:
            if not is_outage(exc):
                raise
            services.health.failed(exc)
            await services.health.recovered(stop)
        await pause(stop, STANDBY_LOOK)


async def poll(application: Application, services: Services, stop: asyncio.Event, lease: Lease) -> None:
    """Long polling while `lease` is held, until `stop`: replay what a crash left, then fetch,
    store, confirm, handle."""
    bot = application.bot
    dispatcher = ChatDispatcher(application, services, stop)
    try:
        for data in await _replay(services.store, services.health, stop):
            dispatcher.submit(Update.de_json(data, bot))
        log.info("receiving updates by long polling")
        offset: int | None = None
        while lease.held and (updates := await _fetch(application, offset, stop)) is not None:
            if updates and await _accept(application, services, updates, dispatcher, stop):
                offset = updates[-1].update_id + 1  # the next getUpdates confirms them
        if offset is not None:  # confirm the last batch: it is in the journal
            try:
                await bot.get_updates(offset=offset, timeout=0, allowed_updates=ALLOWED_UPDATES)
            except NetworkError as exc:
                log.warning("could not confirm the last updates (%s): Telegram will send them again", exc)
        await dispatcher.drain()
    finally:
        dispatcher.cancel()


async def _fetch(application: Application, offset: int | None, stop: asyncio.Event) -> list[Update] | None:
    """The updates from `offset` on (long polling, errors retried); None once `stop` is set."""
    backoff = Backoff()
    while not stop.is_set():
        fetch = asyncio.ensure_future(
            application.bot.get_updates(offset=offset, timeout=POLL_TIMEOUT, allowed_updates=ALLOWED_UPDATES)
        )
        stopping = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait({fetch, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopping.cancel()
            fetched = fetch.done()
            if not fetched:
                fetch.cancel()  # nothing fetched: nothing to lose
        if not fetched:
            break
        try:
            return list(fetch.result())
        except RetryAfter as exc:
            await pause(stop, retry_after(exc))
        except (NetworkError, Conflict) as exc:  # an outage, or another instance polling
            log.warning("getUpdates failed (%s); retrying in %.0f s", exc, backoff.delay)
            await backoff.wait(stop)
    return None


async def _accept(
    application: Application, services: Services, updates: list[Update], dispatcher: ChatDispatcher, stop: asyncio.Event
) -> bool:
    """Journal `updates` and submit those not handled yet; False when Redis is down (they stay
    with Telegram, unconfirmed, and the members who sent them hear once that Vigie is back soon)."""
    health = services.health
    try:
        fresh = await services.store.updates.accept({u.update_id: u.to_dict() for u in updates})
    except Exception as exc:
        if not is_outage(exc):
            raise
        health.failed(exc)
        for update in updates:
            await health.tell(application.bot, update)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(health.recovered(stop), OUTAGE_POLL)
        return False
    health.wrote()
    for update in updates:
        if update.update_id in fresh:
            dispatcher.submit(update)
    return True
