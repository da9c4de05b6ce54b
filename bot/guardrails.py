"""Guardrails: what in a post deserves a second look before it goes to X. They warn and ask
again; they never block. Pure: the caller gathers the subjects, recent posts and crises.

Subjects are words or short phrases an executive does not post about (politics, religion,
personal life, polemic), matched as whole words, without case or accents, a French elided article
("l’élection") or an English possessive ("God’s"); owners edit the list (/guardrails), whose
rules are here: what a subject may be, adding, removing, how it is shown.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from enum import StrEnum

from bot import posting
from bot.model import PostingHold
from bot.watches import fold

GROUPS: dict[str, frozenset[str]] = {
    "politics": frozenset(
        {
            "politique", "élection", "élections", "gouvernement", "ministre", "président", "parti",
            "gauche", "droite", "vote", "politics", "election", "government", "minister", "president",
            "party", "democrat", "republican",
        }
    ),
    "religion": frozenset(
        {
            "religion", "dieu", "église", "islam", "musulman", "juif", "chrétien", "laïcité",
            "god", "church", "muslim", "jewish", "christian",
        }
    ),
    "personal": frozenset(
        {
            "famille", "mariage", "divorce", "enfants", "santé", "vacances", "family", "wedding",
            "children", "health", "holidays",
        }
    ),
    "polemic": frozenset(
        {
            "scandale", "honte", "mensonge", "menteur", "idiot", "boycott", "polémique",
            "scandal", "shame", "liar", "lies", "stupid", "disgrace",
        }
    ),
}  # fmt: skip
DEFAULT_SUBJECTS: frozenset[str] = frozenset().union(*GROUPS.values())
MOST_WORDS = 4  # in a subject: a word or a short phrase
MOST_CHARS = 40
MOST_SUBJECTS = 300
_WORDS = re.compile(r"\w+(?:['’-]\w+)*")
_ELIDED = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’](?=\w)")  # l’, d’, qu’...
_POSSESSIVE = re.compile(r"(?<=\w)['’]s$")
_SEPARATORS = re.compile(r"[,;\n]")


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


def _key(word: str) -> str:
    """A word as subjects are matched: folded, without an elided article or a possessive."""
    return _POSSESSIVE.sub("", _ELIDED.sub("", fold(word)))


def _keys(subject: str) -> tuple[str, ...]:
    return tuple(_key(w) for w in _WORDS.findall(subject))


def subjects_found(text: str, subjects: frozenset[str]) -> list[str]:
    """The words and phrases of `text` that are subjects, as written there."""
    words = _WORDS.findall(text)
    keys = [_key(w) for w in words]
    wanted = {_keys(s) for s in subjects} - {()}
    found = {
        " ".join(words[i : i + n])
        for n in {len(k) for k in wanted}
        for i in range(len(words) - n + 1)
        if tuple(keys[i : i + n]) in wanted
    }
    return sorted(found, key=fold)


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
    if found := subjects_found(text, subjects):
        warnings.append(Caution(Check.SUBJECT, ", ".join(found)))
    if any(posting.same_text(text, other) for other in recent):
        warnings.append(Caution(Check.DUPLICATE))
    if posting.has_link(text):
        warnings.append(Caution(Check.LINK))
    warnings += [Caution(Check.CRISIS, name) for name, terms in sorted(crises.items()) if terms & words]
    if hold is not None:
        warnings.append(Caution(Check.PAUSED, hold.by_name))
    return warnings


# -- the list as owners edit it -----------------------------------------------------------------


class SubjectError(ValueError):
    """A subject refused; `key` names the message that says why, `value` is what was typed."""

    def __init__(self, key: str, value: str = "") -> None:
        super().__init__(key, value)
        self.key, self.value = key, value


def parse_subjects(text: str) -> list[str]:
    """The subjects typed after `/guardrails add|rm`, separated by commas, each as it is kept: its
    words, lower case, one space apart ("  Vie  PRIVÉE " -> "vie privée"). Raises SubjectError:
    guardrails_empty (nothing), guardrails_no_word ("!!!"), guardrails_too_many_words (past
    MOST_WORDS), guardrails_too_long (past MOST_CHARS)."""
    subjects: dict[tuple[str, ...], str] = {}
    for part in _SEPARATORS.split(text):
        if not part.strip():
            continue
        words = _WORDS.findall(part)
        if not words:
            raise SubjectError("guardrails_no_word", part.strip())
        if len(words) > MOST_WORDS:
            raise SubjectError("guardrails_too_many_words", part.strip())
        subject = " ".join(words).lower()
        if len(subject) > MOST_CHARS:
            raise SubjectError("guardrails_too_long", part.strip())
        subjects.setdefault(_keys(subject), subject)
    if not subjects:
        raise SubjectError("guardrails_empty")
    return list(subjects.values())


@dataclass(frozen=True)
class Edit:
    """What `/guardrails add` or `rm` did: the subjects it changed, those it left as they were."""

    done: tuple[str, ...]  # added, or removed (as they were in the list)
    unchanged: tuple[str, ...]  # already in the list, or not in it


def add(current: frozenset[str], new: list[str]) -> tuple[frozenset[str], Edit]:
    """The list with `new` added; a subject that matches like one in the list is there already.
    Raises SubjectError(guardrails_full) past MOST_SUBJECTS."""
    known = {_keys(s) for s in current}
    added = tuple(s for s in new if _keys(s) not in known)
    if len(current) + len(added) > MOST_SUBJECTS:
        raise SubjectError("guardrails_full", str(MOST_SUBJECTS))
    return current | set(added), Edit(added, tuple(s for s in new if s not in added))


def remove(current: frozenset[str], gone: list[str]) -> tuple[frozenset[str], Edit]:
    """The list without the subjects that match `gone` ("election" takes "élection" out)."""
    keys = {_keys(s) for s in gone}
    removed = frozenset(s for s in current if _keys(s) in keys)
    found = {_keys(s) for s in removed}
    return current - removed, Edit(tuple(sorted(removed, key=fold)), tuple(s for s in gone if _keys(s) not in found))


@dataclass(frozen=True)
class Listing:
    """The list as /guardrails shows it: each default group's subjects still in it, those the
    owners added, and the defaults they removed (what a reset brings back)."""

    groups: tuple[tuple[str, tuple[str, ...]], ...]  # (group name, subjects), empty groups left out
    added: tuple[str, ...]
    removed: tuple[str, ...]


def listing(subjects: frozenset[str]) -> Listing:
    def ordered(words: frozenset[str] | set[str]) -> tuple[str, ...]:
        return tuple(sorted(words, key=lambda w: (fold(w), w)))

    groups = tuple((name, ordered(subjects & words)) for name, words in GROUPS.items() if subjects & words)
    return Listing(groups, ordered(subjects - DEFAULT_SUBJECTS), ordered(DEFAULT_SUBJECTS - subjects))


def version(subjects: frozenset[str]) -> str:
    """A short fingerprint of the list: a reset confirmed for one list does not wipe a newer one."""
    return hashlib.sha1("\n".join(sorted(subjects)).encode()).hexdigest()[:10]
