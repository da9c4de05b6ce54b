"""Posting: the length X counts agrees with X's own conformance cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot import posting
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


def test_the_x_posts_of_a_message_are_its_status_links_first_ones_first():
    links = [
        "https://lemonde.fr/article",
        "https://twitter.com/Fnac/status/1860000000000000001?s=20",
        "https://mobile.x.com/client_fache/status/1860000000000000002",
        "https://x.com/Fnac/status/1860000000000000001",  # the same post again
        "https://x.com/i/status/1860000000000000003",
        "https://x.com/a/status/4",
        "https://x.com/b/status/5",
        "https://x.com/Fnac",
    ]
    assert posting.x_posts_in(links) == (
        "https://x.com/Fnac/status/1860000000000000001",
        "https://x.com/client_fache/status/1860000000000000002",
        "https://x.com/i/status/1860000000000000003",
        "https://x.com/a/status/4",
    )
    assert [posting.author_of(link) for link in posting.x_posts_in(links)] == ["Fnac", "client_fache", "i", "a"]


@pytest.mark.parametrize(
    ("sent", "on_x", "same"),
    [
        ("Merci & à bientôt", "Merci &amp; à bientôt", True),  # X escapes &, < and >
        ("À lire https://lemonde.fr/a", "À lire https://t.co/abc123", True),  # and shortens links
        ("Nous sommes désolés", "@client_fache Nous sommes désolés", True),  # a reply names whom it answers
        ("Nous sommes désolés", "@a @b Nous sommes désolés", True),
        ("We are on it", "We are on it https://t.co/xyz", True),  # a quote ends with the quoted post's link
        ("@client_fache merci", "@client_fache merci", True),
        ("@client_fache merci", "@autre merci", False),
        ("Nous sommes désolés", "Nous sommes vraiment désolés", False),
        ("We are on it", "We are on it too", False),
    ],
)
def test_a_post_on_x_is_recognised_as_the_one_sent(sent, on_x, same):
    assert posting.same_text(sent, on_x) is same
