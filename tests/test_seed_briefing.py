"""The briefing on real text: the three French seed articles (../shared/seeds) served as a feed
must read as headline (linked), one clean sentence, sources."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

import pytest

from bot.briefing import build
from bot.feeds import add_feed
from bot.ingest import Ingest
from bot.model import NEWS
from bot.render.briefing import render
from summarizers import split_sentences
from tests.conftest import OWNER_ID, ROOT, member_input
from tests.fakes.telegram import parse_html

SEEDS = ROOT.parent / "shared" / "seeds"
CHROME = ("Pas de commentaire", "DR ", "Publié", "commentaires", "Vous aimerez aussi", "Retrouvez toutes")
pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed articles are in ../shared/seeds")


def _words(sentence: str) -> int:
    return len(re.findall(r"\w+", sentence))


def _folded(text: str) -> str:
    return " ".join(text.split())


def _seeds() -> list[tuple[str, str, str]]:
    """(title, body, link) of each seed: the title is its first line that is not page chrome."""
    seeds = []
    for n, path in enumerate(sorted(SEEDS.glob("*.txt"))):
        body = path.read_text(encoding="utf-8")
        title = next(line.strip() for line in body.splitlines() if line.strip() and not line.startswith("- "))
        seeds.append((title, body, f"https://dirigeants.example/{n}/{path.stem}"))
    return seeds


async def test_each_seed_story_reads_as_headline_one_clean_sentence_and_sources(feed_services, feeds):
    seeds = _seeds()
    hour_ago = datetime.now(UTC) - timedelta(hours=1)
    items = [{"title": t, "link": link, "summary": body, "published": hour_ago} for t, body, link in seeds]
    feeds.add_feed("/dirigeants.xml", "Le Fil Dirigeants", items)
    await add_feed(feed_services, feeds.feed_url("/dirigeants.xml"), NEWS, OWNER_ID)
    await Ingest(feed_services).cycle()
    now = time.time()
    briefing = build(await member_input(feed_services, OWNER_ID, now - 86400))
    messages, _, more = render(briefing, "abc", "Europe/Paris")
    text, entities = parse_html("\n\n".join(messages))
    links = {e["url"] for e in entities if e["type"] == "text_link"}

    for chrome in CHROME:
        assert chrome not in text
    lines = [line for line in text.splitlines() if re.match(r"\d+\. ", line)]
    assert len(lines) == len(seeds)
    for title, body, link in seeds:
        [line] = [line for line in lines if line.split(". ", 1)[1].startswith(f"{title} — ")]
        assert text.count(title) == 1  # the headline, never repeated in the sentence
        assert link in links  # the headline is the link
        assert line.endswith(" (Le Fil Dirigeants)")
        sentence = line.split(f"{title} — ", 1)[1].removesuffix(" (Le Fil Dirigeants)")
        assert len(split_sentences(sentence, "fr")) == 1, sentence
        assert _folded(sentence) in _folded(body)  # verbatim
        shorter = [s for s in split_sentences(body, "fr") if 8 <= _words(s) <= 35]
        assert _words(sentence) <= 35 or not shorter, sentence
    assert all(len(story["sentences"]) > 2 for story in more.values())  # ➕ keeps the longer version
