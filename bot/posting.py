"""Posting on X: what a post weighs as X counts it.

X counts 280 weighted characters after NFC normalization: any URL as 23, most Latin, Greek and
Cyrillic characters as 1, CJK and others as 2, an emoji (even a sequence of several code points)
as 2. twitter-text-parser implements X's published rules (it passes twitter-text's conformance
cases, tests/test_posting.py) rather than Vigie guessing at them.
"""

from __future__ import annotations

from twitter_text import parse_tweet


def weighted_length(text: str) -> int:
    """The length X counts for `text` (NFC-normalized first, as X does)."""
    return int(parse_tweet(text).weightedLength)
