"""Benchmark of one user's briefing: 10 watches of 500 items each (X and news, French and
English), stored in Redis, then read and clustered (bot.pool), told (ranking, summaries) in a
process pool, and rendered.

    .venv/bin/python -m bench.briefing [--watches 10] [--items 500]

Prints the time of each step and the peak memory of this process. Uses REDIS_URL when set (a
database other than 0: it is flushed), else an embedded server.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import random
import resource
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor

from redis.asyncio import Redis

from bench.common import bench_redis
from bot.briefing import Briefing, select
from bot.briefing_inputs import briefed_watches, gather
from bot.model import Incoming, Item
from bot.pool import read
from bot.render.briefing import render
from bot.store import Store
from bot.watchlist import create

FR_SUBJECTS = [
    "La Fnac",
    "Le groupe Altiplan",
    "Brévial",
    "Cassandre Énergies",
    "Nordavia",
    "La SNCF",
    "Ferronnerie d'Arvor",
    "Helvara",
]
FR_VERBS = ["annonce", "prépare", "dément", "confirme", "reporte", "accélère", "suspend", "finalise"]
FR_OBJECTS = [
    "un plan d'investissement de {n} millions d'euros",
    "l'ouverture de {n} magasins",
    "la suppression de {n} postes",
    "un partenariat avec une start-up lyonnaise",
    "une hausse de {n} % de son chiffre d'affaires",
    "le rachat d'un concurrent",
]
FR_TAILS = [
    "selon plusieurs sources internes.",
    "d'après un communiqué publié ce matin.",
    "ce qui inquiète les syndicats.",
    "une décision saluée par les analystes.",
    "à la surprise générale des marchés.",
    "pour la deuxième fois cette année.",
]
EN_SUBJECTS = ["Helvara Bank", "Nordavia", "Lumetra", "Ondalis", "Altiplan Group"]
EN_VERBS = ["announces", "delays", "confirms", "denies", "completes"]
EN_OBJECTS = [
    "a {n} million euro investment plan",
    "{n} new stores in Europe",
    "a {n} % rise in quarterly sales",
    "the takeover of a rival",
]
EN_TAILS = [
    "according to people familiar with the matter.",
    "in a statement released this morning.",
    "surprising analysts.",
    "for the second time this year.",
]


def _sentence(rng: random.Random, french: bool, subject: str = "") -> str:
    subjects, verbs, objects, tails = (
        (FR_SUBJECTS, FR_VERBS, FR_OBJECTS, FR_TAILS) if french else (EN_SUBJECTS, EN_VERBS, EN_OBJECTS, EN_TAILS)
    )
    return f"{subject or rng.choice(subjects)} {rng.choice(verbs)} {rng.choice(objects).format(n=rng.randint(2, 900))}, {rng.choice(tails)}"


def _items(watch: int, count: int, now: float, rng: random.Random, subject: str = "") -> list[Item]:
    """`count` items of several stories each, 70 % French, 60 % on X; about `subject` when given
    (as a watch's items are about what its query names), else about any of a few companies."""
    items = []
    for n in range(count):
        french = rng.random() < 0.7
        on_x = rng.random() < 0.6
        story = rng.randint(0, count // 8)  # several items per story
        text = " ".join(
            _sentence(random.Random(watch * 10_000 + story * 10 + k), french, subject)
            for k in range(3 if not on_x else 1)
        )
        items.append(
            Item(
                source="x" if on_x else "rss",
                id=f"{watch}-{n}",
                url=f"https://x.com/u{n}/status/{watch}{n}"
                if on_x
                else f"https://news{story % 7}.example/{watch}/{story}",
                title="" if on_x else _sentence(random.Random(watch * 10_000 + story), french, subject),
                text=text,
                published=now - rng.uniform(0, 20 * 3600),
                author=f"compte{n % 50}" if on_x else "",
                source_name="X" if on_x else f"Journal {story % 7}",
                language="fr" if french else "en",
                likes=rng.randint(0, 500) if on_x else 0,
                reposts=rng.randint(0, 80) if on_x else 0,
            )
        )
    return items


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="vigie-bench-") as directory, bench_redis(directory) as url:
        client = Redis.from_url(url, decode_responses=True)
        store = Store.over(client)
        try:
            now = time.time()
            rng = random.Random(7)
            for w in range(args.watches):
                watch = await create(store, f"Veille {w}", f"sujet{w}", 1)
                batch = [Incoming.of(item, (), frozenset({watch.id})) for item in _items(w, args.items, now, rng)]
                await store.items.add_many(batch)
            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as cpu:
                await asyncio.get_running_loop().run_in_executor(cpu, int)  # the process is up
                started = time.perf_counter()
                watches = await briefed_watches(store, 1)
                pool = await read(store, [w.id for w in watches], now - 86400, cpu)
                inputs = await gather(store, watches, "fr", now - 86400, pool)
                gathered = time.perf_counter()
                while not isinstance(briefing := select(inputs, pool.told, pool.groups), Briefing):
                    await pool.tell(briefing, cpu, inputs.algorithm)
                built = time.perf_counter()
                messages, _, _ = render(briefing, "bench", "Europe/Paris")
                rendered = time.perf_counter()
        finally:
            await client.aclose()
    items = sum(len(w.items) for w in inputs.watches)
    stories = sum(len(s.stories) for s in briefing.sections) + len(briefing.news)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{args.watches} watches x {args.items} items ({items} read back), {stories} stories, {len(messages)} message(s)"
    )
    print(
        f"read and cluster {1000 * (gathered - started):.0f} ms, tell {1000 * (built - gathered):.0f} ms, "
        f"render {1000 * (rendered - built):.0f} ms, total {1000 * (rendered - started):.0f} ms; peak memory {peak:.0f} MB"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--watches", type=int, default=10)
    parser.add_argument("--items", type=int, default=500)
    asyncio.run(main(parser.parse_args()))
