"""Guardrails: what in a post deserves a second look before it goes to X. They warn and ask
again; they never block. Pure: the caller gathers the subjects, recent posts and crises.

Subjects are words an executive does not post about (politics, religion, personal life,
polemic), matched as whole words, without case or accents; owners edit the list (/guardrails).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot import posting
from bot.model import PostingHold
from bot.watches import fold

DEFAULT_SUBJECTS = frozenset(
    {
        # politics
        "politique", "élection", "élections", "gouvernement", "ministre", "président", "parti",
        "gauche", "droite", "vote", "politics", "election", "government", "minister", "president",
        "party", "democrat", "republican",
        # religion
        "religion", "dieu", "église", "islam", "musulman", "juif", "chrétien", "laïcité",
        "god", "church", "muslim", "jewish", "christian",
        # personal life
        "famille", "mariage", "divorce", "enfants", "santé", "vacances", "family", "wedding",
        "children", "health", "holidays",
        # polemic
        "scandale", "honte", "mensonge", "menteur", "idiot", "boycott", "polémique",
        "scandal", "shame", "liar", "lies", "stupid", "disgrace",
    }
)  # fmt: skip
_WORDS = re.compile(r"\w+(?:['’-]\w+)*")


class Check(StrEnum):
    SUBJECT = "subject"  # words from the subjects list
    DUPLICATE = "duplicate"  # the same text as a recent post (X refuses duplicates)
    LINK = "link"  # a link: X charges $0.20 instead of $0.015
    CRISIS = "crisis"  # a watch in crisis whose terms are in the text
    PAUSED = "paused"  # an owner paused posting: it will wait until they resume


@dataclass(frozen=True)
class Caution:
    check: Check
    detail: str = ""  # the words found, the watch in crisis, who paused it


def words_of(text: str) -> set[str]:
    return {fold(w) for w in _WORDS.findall(text)}


def review(
    text: str,
    subjects: frozenset[str],
    recent: list[str],
    crises: dict[str, frozenset[str]],
    hold: PostingHold | None,
) -> list[Caution]:
    """What to warn about before `text` goes to X. `recent`: the texts of recent posts;
    `crises`: the name of each watch in crisis -> its terms (folded words)."""
    words = words_of(text)
    warnings = []
    folded = {fold(s) for s in subjects}
    found = sorted({w for w in _WORDS.findall(text) if fold(w) in folded}, key=fold)
    if found:
        warnings.append(Caution(Check.SUBJECT, ", ".join(found)))
    if any(posting.same_text(text, other) for other in recent):
        warnings.append(Caution(Check.DUPLICATE))
    if posting.has_link(text):
        warnings.append(Caution(Check.LINK))
    warnings += [Caution(Check.CRISIS, name) for name, terms in sorted(crises.items()) if terms & words]
    if hold is not None:
        warnings.append(Caution(Check.PAUSED, hold.by_name))
    return warnings
