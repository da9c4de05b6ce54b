"""The watch query language: what the index finds is exactly what `matches` says."""

from __future__ import annotations

import random

from bot.model import Item
from bot.watches import QueryIndex, matches, parse_query, tokens_of

WORDS = ["fnac", "darty", "lyon", "greve", "livraison", "prix", "societe", "paris"]
AUTHORS = ["fnac", "darty", "journaliste", "client_lyon", ""]


def _term(rng: random.Random) -> str:
    kind = rng.choice(["word", "word", "phrase", "mention", "hashtag", "from"])
    word = rng.choice(WORDS)
    return {
        "word": word,
        "phrase": f'"{word} {rng.choice(WORDS)}"',
        "mention": f"@{rng.choice(AUTHORS[:4])}",
        "hashtag": f"#{word}",
        "from": f"from:{rng.choice(AUTHORS[:4])}",
    }[kind]


def _query(rng: random.Random) -> str:
    groups = [" OR ".join(_term(rng) for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(1, 2))]
    excluded = [f"-{rng.choice(WORDS)}" for _ in range(rng.randint(0, 1))]
    language = [f"lang:{rng.choice(['fr', 'en'])}"] if rng.random() < 0.2 else []
    return " ".join(groups + excluded + language)


def _item(rng: random.Random, n: int) -> Item:
    words = [rng.choice(["", "", "#", "@"]) + rng.choice(WORDS) for _ in range(rng.randint(0, 7))]
    source = rng.choice(["x", "rss"])
    return Item(
        source=source,
        id=str(n),
        url="",
        title="",
        text=" ".join(words).replace("societe", "Société"),
        published=0,
        author=rng.choice(AUTHORS) if source == "x" else "",
        language=rng.choice(["fr", "en", None]),
    )


def test_the_index_finds_exactly_what_matches_says():
    rng = random.Random(20261122)
    queries = {f"w{n}": parse_query(_query(rng)) for n in range(60)}
    index = QueryIndex.build(queries)
    found = 0
    for n in range(3000):
        item = _item(rng, n)
        tokens = tokens_of(item)
        expected = {w for w, q in queries.items() if matches(q, item, tokens)}
        assert index.matching(item, tokens) == expected, (item, expected)
        found += len(expected)
    assert found > 1000  # the random items do match many queries: the comparison is not empty


def test_a_post_by_an_account_matches_a_watch_on_its_mention_through_the_index():
    query = parse_query("@fnac")
    post = Item(source="x", id="1", url="", title="", text="Nouvelle boutique à Lyon", published=0, author="Fnac")
    index = QueryIndex.build({"fnac": query})
    assert matches(query, post) and index.matching(post, tokens_of(post)) == {"fnac"}


def _grouped(rng: random.Random, depth: int = 0) -> str:
    """A query with parentheses, exclusions of groups and alternatives of groups."""
    parts = []
    for _ in range(rng.randint(1, 3)):
        part = f"({_grouped(rng, depth + 1)})" if depth < 2 and rng.random() < 0.35 else _term(rng)
        if rng.random() < 0.3:
            part += f" OR {_term(rng) if rng.random() < 0.5 else f'({_grouped(rng, depth + 1)})'}"
        parts.append(("-" if parts and rng.random() < 0.25 else "") + part)
    return " ".join(parts)


def test_the_index_finds_exactly_what_matches_says_with_groups():
    rng = random.Random(20260301)
    queries = {f"w{n}": parse_query(_grouped(rng)) for n in range(80)}
    queries["either"] = parse_query("fnac OR -darty")  # needs no word: tried on every item
    index = QueryIndex.build(queries)
    found = 0
    for n in range(3000):
        item = _item(rng, n)
        tokens = tokens_of(item)
        expected = {w for w, q in queries.items() if matches(q, item, tokens)}
        assert index.matching(item, tokens) == expected, (item, expected)
        found += len(expected)
    assert found > 1000


def test_groups_mean_what_they_say():
    def hit(query: str, text: str) -> bool:
        return matches(parse_query(query), Item("rss", "1", "", "", text, 0))

    assert hit("(Fnac OR Darty) -promo", "Darty ouvre") and not hit("(Fnac OR Darty) -promo", "Darty promo")
    assert hit("fnac -(promo OR soldes)", "fnac ouvre") and not hit("fnac -(promo OR soldes)", "fnac soldes")
    assert hit("fnac OR (darty lyon)", "darty à lyon") and not hit("fnac OR (darty lyon)", "darty à paris")
    assert hit("« Fnac Darty »", "le duo Fnac Darty") and not hit("« Fnac Darty »", "Darty et Fnac")
    assert parse_query("fnac OR @fnac -emploi").x_query() == "(@fnac OR fnac) -emploi -is:retweet"
    assert parse_query("fnac OR (darty lyon)").x_query() == "(fnac OR (darty lyon)) -is:retweet"
