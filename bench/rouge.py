"""How good the one-sentence pick is, measured on real French news: OrangeSum's articles and their
professional abstracts (Kamal Eddine, Tixier and Vazirgiannis, 2020; the "heading" task).

Prints ROUGE-1/2/L F1 (x100) of each system against the abstracts: LEAD-1, LEAD-2, sumy's
LexRank, Vigie's pick and the oracle (the best single sentence of each article by ROUGE-L); the
paired 95% bootstrap interval of Vigie minus LEAD-1 and minus sumy; how many glued sentence
boundaries ("en 2019.Alors que") the splitter splits; the length of the picks; the pick's speed.

    git clone https://github.com/Tixierae/OrangeSum   # the data: data/docs/parsed, splits_heading_as_summary
    .venv/bin/python -m bench.rouge --data OrangeSum [--split test] [--limit 1500]

Tune on `train` or `valid` only; `test` is for the figures.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rouge_score import rouge_scorer

from summarizers import pick, split_sentences, summarize

LANGUAGE = "fr"
# A full stop glued to the next sentence, as text extracted from HTML often is: "en 2019.Alors que".
GLUED = re.compile(r"(?<=[^\W\d_A-Z]|\d|[»\"”)])[.!?](?=[A-ZÀ-Ý][^\W\d_A-Z])")
RESAMPLES = 1000


@dataclass(frozen=True)
class Article:
    title: str
    text: str
    abstract: str


class Words:
    """ROUGE's tokens for French: lowercase words, accents kept (rouge-score's default drops them)."""

    def tokenize(self, text: str) -> list[str]:
        return re.findall(r"[^\W_]+", text.lower())


def load(data: Path, split: str, limit: int) -> list[Article]:
    names = (data / "splits_heading_as_summary" / f"{split}.txt").read_text().split()[:limit]
    articles = []
    for name in names:
        doc = json.loads((data / "data" / "docs" / "parsed" / name).read_text())
        articles.append(Article(doc["title"], doc["article"], doc["heading"]))
    return articles


def lead(count: int) -> Callable[[Article], str]:
    return lambda article: " ".join(split_sentences(article.text, LANGUAGE)[:count])


def sumy_lexrank(article: Article) -> str:
    return " ".join(s.text for s in summarize([article.text], LANGUAGE, 1, algorithm="sumy-lexrank"))


def vigie(article: Article) -> str:
    return " ".join(s.text for s in pick(article.title, article.text, LANGUAGE))


def oracle_of(scorer: rouge_scorer.RougeScorer) -> Callable[[Article], str]:
    def oracle(article: Article) -> str:
        sentences = split_sentences(article.text, LANGUAGE)
        scores = [scorer.score(article.abstract, s)["rougeL"].fmeasure for s in sentences]
        return sentences[int(np.argmax(scores))] if sentences else ""

    return oracle


def interval(differences: np.ndarray, rng: np.random.Generator) -> tuple[float, float, float]:
    """Mean and paired bootstrap 95% interval of per-article differences."""
    means = rng.choice(differences, (RESAMPLES, len(differences))).mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return float(differences.mean()), float(low), float(high)


def glued_split_rate(articles: list[Article]) -> tuple[int, int, int]:
    """(articles with a glued boundary, glued boundaries, those the splitter splits)."""
    having = found = split = 0
    for article in articles:
        boundaries = [m.end() for m in GLUED.finditer(article.text)]
        if not boundaries:
            continue
        having += 1
        found += len(boundaries)
        ends, cursor = set(), 0
        for sentence in split_sentences(article.text, LANGUAGE):
            cursor = article.text.index(sentence, cursor) + len(sentence)
            ends.add(cursor)
        split += sum(1 for b in boundaries if b in ends)
    return having, found, split


def main(args: argparse.Namespace) -> None:
    articles = load(Path(args.data), args.split, args.limit)
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], tokenizer=Words())
    systems: dict[str, Callable[[Article], str]] = {
        "LEAD-1": lead(1),
        "LEAD-2": lead(2),
        "sumy LexRank": sumy_lexrank,
        "Vigie": vigie,
        "oracle": oracle_of(scorer),
    }
    scores: dict[str, np.ndarray] = {}
    lengths: dict[str, float] = {}
    seconds = 0.0
    for name, system in systems.items():
        started = time.perf_counter()
        picks = [system(article) for article in articles]
        if name == "Vigie":
            seconds = time.perf_counter() - started
        rows = [scorer.score(a.abstract, p) for a, p in zip(articles, picks)]
        scores[name] = np.array([[r[k].fmeasure for k in ("rouge1", "rouge2", "rougeL")] for r in rows]) * 100
        lengths[name] = float(np.mean([len(Words().tokenize(p)) for p in picks]))
    abstract_words = np.mean([len(Words().tokenize(a.abstract)) for a in articles])
    print(f"OrangeSum abstracts, {args.split} split, {len(articles)} articles (ROUGE F1 x100; words per summary)")
    print(f"{'system':<14} {'R-1':>6} {'R-2':>6} {'R-L':>6} {'words':>6}")
    for name, table in scores.items():
        r1, r2, rl = table.mean(axis=0)
        print(f"{name:<14} {r1:6.2f} {r2:6.2f} {rl:6.2f} {lengths[name]:6.1f}")
    print(f"{'abstracts':<14} {'':>6} {'':>6} {'':>6} {abstract_words:6.1f}")
    rng = np.random.default_rng(0)
    for other in ("LEAD-1", "sumy LexRank"):
        mean, low, high = interval(scores["Vigie"][:, 2] - scores[other][:, 2], rng)
        print(f"Vigie - {other}: ROUGE-L {mean:+.2f} (95% interval {low:+.2f} to {high:+.2f})")
    having, found, split = glued_split_rate(articles)
    print(
        f"glued boundaries: in {having} of {len(articles)} articles ({100 * having / len(articles):.0f}%), "
        f"{split} of {found} split ({100 * split / max(found, 1):.1f}%)"
    )
    print(f"Vigie's pick: {1000 * seconds / len(articles):.2f} ms per article")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="a checkout of github.com/Tixierae/OrangeSum")
    parser.add_argument("--split", default="test", choices=("train", "valid", "test"))
    parser.add_argument("--limit", type=int, default=1500)
    main(parser.parse_args())
