"""Posting: the length X counts agrees with X's own conformance cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.posting import weighted_length

CASES = json.loads((Path(__file__).parent / "data" / "twitter_text_weighted.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "case",
    [case for group in CASES["groups"].values() for case in group],
    ids=lambda case: case["description"],
)
def test_weighted_length_agrees_with_twitter_texts_conformance_cases(case):
    assert weighted_length(case["text"]) == case["weightedLength"]


def test_both_conformance_groups_are_all_there():
    assert {name: len(cases) for name, cases in CASES["groups"].items()} == {
        "WeightedTweetsWithDiscountedEmojiCounterTest": 22,
        "UnicodeDirectionalMarkerCounterTest": 2,
    }


def test_a_french_post_with_a_link_and_an_emoji_weighs_as_on_x():
    text = "Nous rappelons le lot de casques 🎧 : https://www.fnac.com/rappel-produit?lot=2026-11 merci"
    assert weighted_length(text) == len("Nous rappelons le lot de casques ") + 2 + len(" : ") + 23 + len(" merci")
    assert weighted_length("Cafe\u0301") == 4  # NFC: é is one character
