"""Tuning of the article pick's weights (summarizers.position) on OrangeSum's train split.

Each candidate sentence's ROUGE-L against the abstract and its features are computed once; a grid
of weights is then searched for the best mean ROUGE-L of the picked sentence. The length penalty
is not searched: it is a readability rule. Prints the best
weights on `--split` (train) and how they do on the validation split. Never run it on test.

    .venv/bin/python -m bench.tune_pick --data OrangeSum [--limit 3000]
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

import numpy as np
from rouge_score import rouge_scorer

from bench.rouge import LANGUAGE, Article, Words, load
from summarizers import split_sentences
from summarizers.position import Weights, features, scores
from summarizers.tokenizer import Tokenizer

THRESHOLDS = (0.0, 0.05, 0.1)
GRID = {
    "later": (0.5, 1.0, 2.0),
    "earlier": (-0.5, -0.25, 0.0, 0.25, 0.5),
    "title": (0.5, 1.0, 2.0),
    "lead": (-0.5, -0.25, 0.0, 0.25),
    "position": (-0.5, 0.0, 0.5),
}  # too_long stays at the product's value: a readability rule (ROUGE alone favours long sentences)


class Prepared:
    """Every article's features (padded to the longest article, per threshold) and each
    sentence's ROUGE-L against the abstract: a grid point is then one matrix product."""

    def __init__(self, articles: list[Article]) -> None:
        scorer = rouge_scorer.RougeScorer(["rougeL"], tokenizer=Words())
        tokenizer = Tokenizer(LANGUAGE)
        tables: dict[float, list[np.ndarray]] = {t: [] for t in THRESHOLDS}
        rouges = []
        for article in articles:
            sentences = [s for s in split_sentences(article.text, LANGUAGE) if tokenizer.has_words(s)]
            if not sentences:
                continue
            for threshold in THRESHOLDS:
                tables[threshold].append(features(article.title, sentences, LANGUAGE, threshold))
            rouges.append(np.array([scorer.score(article.abstract, s)["rougeL"].fmeasure for s in sentences]) * 100)
        longest = max(len(r) for r in rouges)
        self.count = len(rouges)
        self.rouge = np.full((self.count, longest), -1.0)
        self.padding = np.zeros((self.count, longest), dtype=bool)
        for k, r in enumerate(rouges):
            self.rouge[k, : len(r)] = r
            self.padding[k, len(r) :] = True
        self.features = {}
        for threshold, rows in tables.items():
            padded = np.zeros((self.count, longest, rows[0].shape[1]))
            for k, table in enumerate(rows):
                padded[k, : len(table)] = table
            self.features[threshold] = padded

    def mean_rouge(self, weights: Weights) -> float:
        """Mean ROUGE-L of the sentence each article's scores pick."""
        picked = scores(self.features[weights.threshold], weights)
        picked[self.padding] = -np.inf
        return float(self.rouge[np.arange(self.count), picked.argmax(axis=1)].mean())


def main(args: argparse.Namespace) -> None:
    train = Prepared(load(Path(args.data), "train", args.limit))
    valid = Prepared(load(Path(args.data), "valid", 1500))
    best, best_score = Weights(), -1.0
    names = list(GRID)
    for threshold in THRESHOLDS:
        for values in itertools.product(*GRID.values()):
            weights = Weights(threshold=threshold, **dict(zip(names, values)))
            score = train.mean_rouge(weights)
            if score > best_score:
                best, best_score = weights, score
    print(f"best on train ({train.count} articles): ROUGE-L {best_score:.2f} with {best}")
    print(f"same weights on valid ({valid.count} articles): ROUGE-L {valid.mean_rouge(best):.2f}")
    print(f"current defaults: train {train.mean_rouge(Weights()):.2f}, valid {valid.mean_rouge(Weights()):.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="a checkout of github.com/Tixierae/OrangeSum")
    parser.add_argument("--limit", type=int, default=3000)
    main(parser.parse_args())
