"""Feed text without what is not the article: page chrome, bylines and datelines, photo credits,
leftover script, the title repeated at the start of the body.

It only removes (lines, or fragments at a line's start or end), never rewrites: every sentence
left is verbatim from the feed. BOILERPLATE is the one list of what goes; extend it there.
"""

from __future__ import annotations

import re

_CAPITALIZED = r"[A-ZÀ-Ý][\w.’'-]*"  # a name: "Chloé", "J.-P.", "O’Neill"
_NAME = rf"{_CAPITALIZED}(?:\s+(?:de\s+|van\s+|von\s+)?{_CAPITALIZED}){{0,3}}"
_NO_STOP = r"(?<![.!?])"  # a line that ends like a sentence is a sentence, not chrome
_AGENCIES = r"AFP|Reuters|AP|dpa|ANSA|Belga|ATS|Bloomberg"


def _line(pattern: str, *, case: bool = False) -> str:
    """A whole line (and its line break) matching `pattern`, case-insensitive unless `case`."""
    return rf"^\s*{pattern if case else f'(?i:{pattern})'}\s*(?:\n|$)"


def _line_end(pattern: str) -> str:
    """A fragment that ends a line, after a sentence or alone (case-insensitive)."""
    return rf"(?:^|(?<=[.!?…»”\"\]:]))\s*(?i:{pattern})\s*$"


# What goes, wherever it matches (each on its own line, or where the pattern says).
BOILERPLATE: tuple[str, ...] = (
    # comment and share counters, share buttons
    _line(r"[-–•]?\s*(?:pas de|aucun|no|[\d.,]+\s*k?)\s+(?:commentaires?|comments?|réactions?|partages?|shares?)"),
    _line(r"(?:laisser|ajouter|écrire|poster|publier) un commentaire|leave a (?:comment|reply)|add a comment"),
    _line(r"(?:partager|partagez|share)(?:\s+(?:sur|on|via|this|cet article|l['’]article|this article)\b.*)?:?"),
    _line(r"commenter|facebook|twitter|linkedin|whatsapp|e-?mail|imprimer|print|tweet|tweeter"),
    # links to other pages
    _line(r"(?:à |a )?(?:lire|voir) aussi\b.*|vous aimerez (?:peut-être )?aussi\b.*|sur le même sujet\b.*"),
    _line(r"articles? similaires\b.*|you (?:may|might) also like\b.*|related(?: articles| stories)?:.*"),
    _line(r"(?:read also|see also)\b.*|abonnez-vous\b.*|inscrivez-vous à notre newsletter\b.*"),
    _line(r"retrouvez (?:tous|toutes) nos\b.*|subscribe to our newsletter\b.*|sign up for our newsletter\b.*"),
    _line_end(
        r"(?:lire la suite|la suite sur \S+|lire l['’]article(?: complet)?|continue reading|read more"
        r"|read the full (?:story|article))\b.*"
    ),
    r"\s+\[(?:…|\.\.\.)\]\s*$",  # "[…]" closing a truncated excerpt (not an omission inside a quote)
    r"\s*\bThe post\b.{1,300}?\bappeared first on\b.*$",
    r"\s*\bL['’]article\b.{1,300}?\best apparu en premier sur\b.*$",
    # publication dates, bylines, datelines
    _line(r"(?:publié|mis à jour|modifié|actualisé)\s+le\b.*"),
    _line(r"(?:posted|published|updated|last updated)\b.{0,60}\d.{0,60}" + _NO_STOP),
    _line(rf"(?:Par|By)\s+{_NAME}(?:\s*[,|–—-]\s*.{{0,60}}\d.{{0,60}}{_NO_STOP})?", case=True),
    rf"^\s*(?:[A-ZÀ-Ý][A-ZÀ-Ý' -]{{1,40}}(?:,\s*[\w. ]{{1,40}})?\s*)?\((?:{_AGENCIES})\)\s*[-–—:]\s*",  # PARIS (AFP) -
    r"^\s*[A-ZÀ-Ý]{3,}(?:[ -][A-ZÀ-Ý]{2,})*\s+[—–]\s+",  # WASHINGTON —
    # photo credits
    _line(r"(?:photos?|crédits?(?: photo)?|credits?|image|illustration)\s*:\s*.{1,80}"),
    _line(rf"(?:DR|©)(?:\s+.{{1,60}})?{_NO_STOP}", case=True),
    r"\s*\(?©\s*[^\n©]{1,60}\)?$",  # "… à l’Élysée. © AFP"
    # leftover script
    _line(r"(?=.*(?:\bwindow\.|\bdocument\.|googletag|adsbygoogle|datalayer|\bfunction\s*\()).*[;{}]"),
    _line(r"(?:var|let|const)\s+\w+\s*=.*", case=True),
)
# Within a line: \s in a pattern never matches a line break. Quantifiers that could backtrack
# over a whole line are bounded: feed text is hostile input (bench/cleaning.py times it).
_BOILERPLATE = [re.compile(p.replace(r"\s", r"[^\S\n]"), re.MULTILINE) for p in BOILERPLATE]
_BLANK_LINES = re.compile(r"\n[^\S\n]*(?:\n[^\S\n]*)+")
_WORD = re.compile(r"\w+")


def clean(text: str, title: str = "") -> str:
    """`text` without boilerplate and without `title` repeated at its start (a paragraph of
    lines: line breaks are kept, blank lines end paragraphs)."""
    for pattern in _BOILERPLATE:
        text = pattern.sub("", text)
    text = _BLANK_LINES.sub("\n\n", text).strip()
    return without_title(text, title)


def without_title(text: str, title: str) -> str:
    """`text` without `title` repeated at its start (however often, in any case or punctuation):
    only where the title stands alone, on its line or before a capitalized sentence."""
    words = _WORD.findall(title)
    if not words:
        return text
    repeated = re.compile(r"\W*" + r"\W+".join(map(re.escape, words)) + r"(?:[^\S\n]*[^\w\s]+)*", re.IGNORECASE)
    while (match := repeated.match(text)) and _stands_alone(text, match.end(), len(words)):
        text = text[match.end() :].lstrip()
    return text


def _stands_alone(text: str, end: int, title_words: int) -> bool:
    """Whether a title ending at `end` is a title: its line ends there, or (a title of four words
    or more, the text folded on one line) a capitalized word follows."""
    rest = text[end:]
    if rest.lstrip(" \t")[:1] in ("", "\n"):
        return True
    return title_words >= 4 and rest[:1].isspace() and rest.lstrip()[:1].isupper()
