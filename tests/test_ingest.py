"""The poll cycle over kinds of source (bot.sources.base.Source): a new kind plugs in without
touching the cycle, and what it yields is stored, matched to watches and counted like the rest."""

from __future__ import annotations

import time

from bot.ingest import Ingest
from bot.model import Item, Lease
from bot.normalize import incoming
from bot.sources.base import CycleReport, Keep
from bot.watches import QueryIndex
from bot.watchlist import create


class AccountPosts:
    """A third kind of source, as followed accounts will be: posts it was given, once each
    (its cursor is the count already yielded), stopping when the lease is lost."""

    kind = "accounts"

    def __init__(self, posts: list[Item], batch: int = 1) -> None:
        self.posts = posts
        self.batch = batch
        self.cursor = 0
        self.polls = 0

    async def poll(self, now: float, index: QueryIndex, lease: Lease, report: CycleReport, keep: Keep) -> None:
        self.polls += 1
        while lease.held and self.cursor < len(self.posts):
            posts = self.posts[self.cursor : self.cursor + self.batch]
            self.cursor += len(posts)
            await keep([incoming(post, index) for post in posts], "x")


def _post(n: int, text: str, published: float) -> Item:
    return Item("x", f"acc{n}", f"https://x.com/fnac/status/{n}", "", text, published, author="fnac")


async def test_a_new_kind_of_source_is_polled_stored_matched_and_counted_once(services):
    watch = await create(services.store, "Fnac", "fnac", 1)
    now = time.time()
    posts = [_post(n, f"La Fnac ouvre un magasin numéro {n} à Lyon", now - 600) for n in range(3)]
    posts.append(_post(9, "Rien à voir avec le sujet suivi ici", now - 600))
    source = AccountPosts(posts)
    report = await Ingest(services, [source]).cycle(now)
    assert report is not None and report.items_seen == 4
    stored = await services.store.items.recent(watch.id, limit=10)
    assert sorted(s.item.id for s in stored) == ["acc0", "acc1", "acc2"]  # only what matches the watch
    assert await services.store.volumes.last(watch.id, 3600, now) == 3
    source.cursor = 0  # the same posts again (a cursor lost): nothing is new, nothing counted twice
    again = await Ingest(services, [source]).cycle(now + 60)
    assert again is not None and again.items_indexed == 0 and source.polls == 2
    assert await services.store.volumes.last(watch.id, 3600, now + 60) == 3


async def test_a_batch_of_hundreds_keeps_every_item_and_recognises_each_copy(services):
    watch = await create(services.store, "Fnac", "fnac", 1)
    now = time.time()
    texts = [f"La Fnac ouvre aujourd'hui son magasin numéro {n} en plein centre de Lyon" for n in range(700)]
    posts = AccountPosts([_post(n, t, now - 600) for n, t in enumerate(texts)], batch=700)  # one batch
    first = await Ingest(services, [posts]).cycle(now)
    assert first is not None and first.items_indexed == 700
    assert await services.store.volumes.last(watch.id, 3600, now) == 700
    copies = AccountPosts([_post(10_000 + n, t, now - 300) for n, t in enumerate(texts)], batch=700)  # same words
    again = await Ingest(services, [copies]).cycle(now + 60)
    assert again is not None and again.items_seen == 700 and again.items_indexed == 0
    assert await services.store.volumes.last(watch.id, 3600, now + 60) == 700
    stored = await services.store.items.recent(watch.id, limit=1000)
    assert len(stored) == 700 and all(len(s.also) == 1 for s in stored)  # each copy credited to its story
