"""Telling French from English when a source does not say (common function words)."""

from __future__ import annotations

import re

_WORDS = re.compile(r"[a-zàâçéèêëîïôûùüÿœæ']+")
_FR = frozenset(
    "le la les un une des du de et est sont dans pour sur avec par pas plus au aux ce cette ces qui que "
    "qu il elle ils elles nous vous leur leurs son sa ses mais ou où être été avoir fait comme d l "
    "à très aussi selon après depuis entre".split()
)
_EN = frozenset(
    "the a an and is are was were in for on with by not more to of this that these those who which "
    "it he she they we you their his her but or be been have has had as at from after since between "
    "very also will would".split()
)


def detect_language(text: str) -> str | None:
    """'fr', 'en', or None when the text says too little."""
    words = [w.strip("'") for w in _WORDS.findall(text.lower().replace("’", "'"))]
    french = sum(w in _FR for w in words)
    english = sum(w in _EN for w in words)
    if french + english < 2 or french == english:
        return None
    return "fr" if french > english else "en"
