"""Sentence and word tokenizer for French and English that needs no download (sumy-compatible).

Sentences are the exact substrings of the input, only outer whitespace stripped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Terminal punctuation, then closing quotes or brackets, then emoji that stay with the sentence.
_EMOJI = (
    "\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u21aa\u231a-\u23ff\u24c2\u25aa-\u27bf"
    "\u2934\u2935\u2b05-\u2b55\u3030\u303d\u3297\u3299\ufe0f\u200d\u20e3\U0001f000-\U0001faff"
)
_CANDIDATE = re.compile(
    r"(?P<punct>[.!?\u2026]+)"
    r"(?P<tail>(?:[ \u00a0\u202f]*\u00bb|[\u201d\u2019\"')\]])*(?:[ \t\u00a0\u202f]*[" + _EMOJI + r"]+)*)"
    r"(?=\s|$)"
    r"|(?P<newline>\n)"
    r"|(?P<glued>[.!?])(?=[^\W\d_]{2})"  # no space after: "en 2019.Alors que", judged in _glued()
)
_BLANK_LINE = re.compile(r"[^\S\n]*\n[^\S\n]*\n")
_LETTER = re.compile(r"[^\W\d_]")
_INITIALS = re.compile(r"[^\W\d_](?:\.-?[^\W\d_])*")
_OPENERS = "«\"“‘'([{"
_CLOSERS = "»\"”’')]"
_QUOTES = "\"'"  # open or close: an opening one follows a space
_DOMAIN_END = re.compile(r"[^\W_]\.[a-z]{2,}$")  # "lemonde.fr": a dot after it is not glued text

# After these a period never ends a sentence (titles, "p. ex.", "e.g.", "cf.", ...). French text
# gets both lists: it often quotes English names and titles.
_NEVER_SPLIT = {
    "fr": {"M", "MM", "Mme", "Mmes", "Mlle", "Mlles", "Pr", "Mgr", "Ste", "av", "apr", "ex", "éd", "coll", "Cie"},
    "en": {
        "Mr",
        "Mrs",
        "Ms",
        "Mx",
        "Dr",
        "Prof",
        "Sr",
        "Jr",
        "St",
        "Mt",
        "Gen",
        "Gov",
        "Sen",
        "Rep",
        "Lt",
        "Col",
        "Capt",
        "Sgt",
        "Rev",
        "Hon",
        "e.g",
        "i.e",
        "vs",
        "cf",
        "approx",
        "p",
        "pp",
        "viz",
        "ca",
    },
}
# After these a period does not end a sentence when a number follows ("art. 5", "3 janv. 2025").
_BEFORE_NUMBER = {
    "fr": {
        "n",
        "no",
        "art",
        "chap",
        "fig",
        "vol",
        "env",
        "p",
        "t",
        "éd",
        "janv",
        "févr",
        "fév",
        "avr",
        "juil",
        "sept",
        "oct",
        "nov",
        "déc",
    },
    "en": {
        "no",
        "nos",
        "art",
        "ch",
        "chap",
        "fig",
        "vol",
        "p",
        "sec",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    },
}
# Initials that usually close a sentence ("en 52 av. J.-C. Le ...").
_ENDING_INITIALS = {"J.-C"}

_LINK = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")  # URLs, e-mails: no words
_WORD = re.compile(r"aujourd'hui|\d+(?:[.,]\d+)+|[^\W_]+")  # "@vigie_bot" -> vigie, bot
_SPACES = re.compile(r"\s*")
SEPARATOR = "\x00"  # ends each sentence's words in Tokenizer.words_of()
_WORD_OR_SEPARATOR = re.compile(SEPARATOR + "|" + _WORD.pattern)


def normalize_language(language: str) -> str:
    """'fr', 'fr-FR', 'french' -> 'fr'; anything that is not French -> 'en'."""
    return "fr" if language.lower().replace("_", "-").split("-")[0] in ("fr", "fra", "fre", "french") else "en"


class Tokenizer:
    """What sumy needs of a tokenizer: `language`, `to_sentences()` and `to_words()`."""

    def __init__(self, language: str) -> None:
        self.code = normalize_language(language)
        self.language = "french" if self.code == "fr" else "english"
        self._never = _NEVER_SPLIT[self.code] | _NEVER_SPLIT["en"]
        self._before_number = _BEFORE_NUMBER[self.code]

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        """The sentences of `paragraph`, as exact substrings with outer whitespace stripped."""
        first = _CANDIDATE.search(paragraph)
        if first is None or first.end() >= len(paragraph.rstrip()):  # one sentence, as most posts are
            stripped = paragraph.strip()
            return (stripped,) if stripped else ()
        spans: list[list[int]] = []
        start = 0
        resume: int | None = 0  # where the search for a letter of this sentence resumes, None once found
        for match in _CANDIDATE.finditer(paragraph):
            end = match.end()
            if resume is not None:
                if not _LETTER.search(paragraph, resume, end):
                    resume = end
                    continue  # "1." or "..." alone is not a sentence
                resume = None
            if self._ends_sentence(paragraph, match):
                spans.append([start, end])
                start = resume = end
        if paragraph[start:].strip():
            if spans and not _LETTER.search(paragraph, start):
                spans[-1][1] = len(paragraph)  # trailing "!!!" or emoji stay with the last sentence
            else:
                spans.append([start, len(paragraph)])
        return tuple(s for s in (paragraph[a:b].strip() for a, b in spans) if s)

    def to_words(self, sentence: str) -> tuple[str, ...]:
        """Lowercase words: elisions split, accents kept, URLs and punctuation dropped."""
        return tuple(_WORD.findall(_prepare(sentence)))

    def has_words(self, sentence: str) -> bool:
        """Whether `to_words(sentence)` is not empty."""
        return _WORD.search(_prepare(sentence)) is not None

    def words_of(self, sentences: Iterable[str]) -> list[str]:
        """`to_words()` of every sentence in one pass, each sentence's words followed by SEPARATOR."""
        return _WORD_OR_SEPARATOR.findall(SEPARATOR.join(map(_prepare, sentences)) + SEPARATOR)

    def _ends_sentence(self, text: str, match: re.Match[str]) -> bool:
        """Whether the candidate boundary `match` (punctuation or line break) ends a sentence."""
        end = match.end()
        spaces = _SPACES.match(text, end)
        assert spaces is not None, "\\s* matches anywhere"
        start = spaces.end()
        following = text[start : start + 1]
        if not following or _BLANK_LINE.match(text, match.start() if match["newline"] else end):
            return True
        if following.islower() and not text.startswith(("http://", "https://", "www."), start):
            return False
        if match["newline"]:
            return True
        punct = match.start()
        if match["glued"] and not self._glued(text, punct):
            return False
        before = text[punct - 1 : punct]
        if before in _OPENERS and not (before in _QUOTES and punct > 1 and not text[punct - 2].isspace()):
            return False  # "(...)" or "[…]" marks an omission; a closing quote does not
        if match["punct"] != ".":
            return True
        token = _word_before(text, punct).lstrip(_OPENERS)
        if token in self._never:
            return False
        if token.lower() in self._before_number and following.isdigit():
            return False
        return not (_INITIALS.fullmatch(token) and token[0].isupper() and token not in _ENDING_INITIALS)

    def _glued(self, text: str, punct: int) -> bool:
        """Whether the mark at `punct`, with a word glued after it, ends a sentence: after a
        lower-case letter, a digit or a closing quote, before a capital starting a word; never in a
        link, a domain or an abbreviation ("e.g.Apple", "lemonde.fr.Le", "M.Dupont", "U.S.Army")."""
        before, after = text[punct - 1 : punct], text[punct + 1 : punct + 3]
        if not (before.islower() or before.isdigit() or before in _CLOSERS) or not (
            after[0].isupper() and after[1].islower()
        ):
            return False
        token = _word_before(text, punct)
        link = "/" in token or "@" in token or token.lower().startswith("www") or _DOMAIN_END.search(token)
        return not (link or token in self._never)


def _prepare(sentence: str) -> str:
    """Lowercase, typographic apostrophes made straight, links and NUL blanked out."""
    text = sentence.lower().replace("’", "'").replace(SEPARATOR, " ")
    return _LINK.sub(" ", text) if "@" in text or "/" in text or "www." in text else text


def _word_before(text: str, end: int) -> str:
    """The run of non-space characters that ends at `end`."""
    start = end
    while start and not text[start - 1].isspace():
        start -= 1
    return text[start:end]
