"""Watch queries: parsing the X-like syntax users type, the X query sent, and matching items.

Syntax: terms are words, "quoted phrases", @handles, #hashtags, $cashtags and from:handle;
`OR` joins neighbouring terms into one group of alternatives; groups separated by spaces must all
match; `-term` excludes; `lang:xx` filters by language. Unlike X (where AND binds tighter than
OR), `Fnac OR @Fnac -emploi` means (Fnac OR @Fnac) AND NOT emploi, which is what people mean;
the query sent to X is fully parenthesized so X evaluates the same thing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from bot.model import X_USERNAME, Item

MAX_X_QUERY = 512
_TOKEN = re.compile(r'-?"[^"]*"|\S+')
_HANDLE = re.compile(f"^{X_USERNAME}$")
_TAG = re.compile(r"^\w{1,100}$")
_WORD_CHARS = re.compile(r"[#@$]?\w+")
_PREFIXES = {"@": "mention", "#": "hashtag", "$": "cashtag"}
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


class QueryError(ValueError):
    """The query cannot be used; `key` names the problem for the user's message."""

    def __init__(self, key: str, value: str = "") -> None:
        super().__init__(f"{key}: {value}")
        self.key, self.value = key, value


@dataclass(frozen=True, order=True)
class Term:
    kind: str  # word | phrase | mention | hashtag | cashtag | from
    value: str  # lower-cased, without its prefix

    def x(self) -> str:
        prefix = {"word": "", "mention": "@", "hashtag": "#", "cashtag": "$", "from": "from:"}
        return f'"{self.value}"' if self.kind == "phrase" else prefix[self.kind] + self.value


@dataclass(frozen=True)
class Query:
    groups: tuple[tuple[Term, ...], ...]  # all groups must match; any term of a group
    excluded: tuple[Term, ...] = ()
    language: str | None = None

    def x_query(self) -> str:
        """The X search query: normalized, so equal watches share one query (and its cost)."""
        return self._render(parenthesize=True) + " -is:retweet"

    def text(self) -> str:
        """The query in Vigie's own syntax, normalized (stored, shown, parsed again)."""
        return self._render(parenthesize=False)

    def _render(self, *, parenthesize: bool) -> str:
        parts = []
        for group in self.groups:
            terms = " OR ".join(t.x() for t in group)
            parts.append(f"({terms})" if parenthesize and len(group) > 1 else terms)
        parts += [f"-{t.x()}" for t in self.excluded]
        if self.language:
            parts.append(f"lang:{self.language}")
        return " ".join(parts)

    @property
    def accounts(self) -> tuple[str, ...]:
        return tuple(sorted({t.value for g in self.groups for t in g if t.kind == "from"}))


def _term(token: str) -> Term:
    if token.startswith('"'):
        phrase = " ".join(token.strip('"').split()).lower()
        if not phrase:
            raise QueryError("query_empty_phrase")
        return Term("phrase", phrase)
    lowered = token.lower()
    if lowered.startswith("from:"):
        handle = token[5:].lstrip("@")
        if not _HANDLE.match(handle):
            raise QueryError("query_bad_handle", token)
        return Term("from", handle.lower())
    if token[0] in _PREFIXES:
        value = token[1:]
        valid = _HANDLE.match(value) if token[0] == "@" else _TAG.match(value)
        if not valid:
            raise QueryError("query_bad_term", token)
        return Term(_PREFIXES[token[0]], value.lower())
    if ":" in token or "(" in token or ")" in token:
        raise QueryError("query_unsupported", token)
    words = _WORD_CHARS.findall(lowered)
    if not words:
        raise QueryError("query_bad_term", token)
    # "île-de-france", "l'oréal": several words in a row, i.e. a phrase
    return Term("word", words[0]) if len(words) == 1 else Term("phrase", " ".join(words))


def parse_query(text: str) -> Query:
    """Parse what the user typed; raises QueryError with a message key."""
    tokens = _TOKEN.findall(text.strip())
    if not tokens:
        raise QueryError("query_empty")
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    language = None
    joining = False
    for token in tokens:
        if token == "OR":
            if not groups or joining:
                raise QueryError("query_dangling_or")
            joining = True
            continue
        if token.lower().startswith("lang:"):
            language = token[5:].lower()
            if not re.fullmatch(r"[a-z]{2}", language):
                raise QueryError("query_bad_language", token)
        elif token.startswith("-") and len(token) > 1:
            excluded.append(_term(token[1:]))
        elif joining:
            groups[-1].append(_term(token))
        else:
            groups.append([_term(token)])
        joining = False
    if joining:
        raise QueryError("query_dangling_or")
    if not groups:
        raise QueryError("query_only_exclusions")
    query = Query(
        groups=tuple(sorted(tuple(sorted(set(g))) for g in groups)),
        excluded=tuple(sorted(set(excluded))),
        language=language,
    )
    if len(query.x_query()) > MAX_X_QUERY:
        raise QueryError("query_too_long", str(len(query.x_query())))
    return query


def fold(text: str) -> str:
    """Lower case without accents, for matching ("Société" ~ "societe")."""
    text = text.casefold()
    return text if text.isascii() else _COMBINING.sub("", unicodedata.normalize("NFKD", text))


@dataclass(frozen=True)
class Tokens:
    """An item's words, folded, computed once and matched against every query."""

    words: frozenset[str]
    joined: str  # " word word ... " for phrase search


def tokens_of(item: Item) -> Tokens:
    words = _WORD_CHARS.findall(fold(f"{item.title} {item.text}"))
    bare = [w.lstrip("#@$") for w in words]
    return Tokens(frozenset(words) | frozenset(bare), " " + " ".join(bare) + " ")


@lru_cache(maxsize=8192)
def _folded(value: str) -> str:
    return fold(value)


@lru_cache(maxsize=4096)
def _phrase(value: str) -> str:
    return " " + " ".join(fold(w) for w in _WORD_CHARS.findall(value)) + " "


def _hit(term: Term, item: Item, tokens: Tokens) -> bool:
    if term.kind == "from":
        return item.author.lower() == term.value
    if term.kind == "phrase":
        return _phrase(term.value) in tokens.joined
    value = _folded(term.value)
    if term.kind == "word":
        return value in tokens.words
    prefixed = {"mention": "@", "hashtag": "#", "cashtag": "$"}[term.kind] + value
    if item.source == "x":  # on X the sign matters; in an article the name is enough
        return prefixed in tokens.words or (term.kind == "mention" and item.author.lower() == term.value)
    return prefixed in tokens.words or value in tokens.words


def matches(query: Query, item: Item, tokens: Tokens | None = None) -> bool:
    """Does the item satisfy the query? Pass `tokens` when matching one item against many queries."""
    if query.language and item.language and item.language != query.language:
        return False
    tokens = tokens or tokens_of(item)
    if any(_hit(t, item, tokens) for t in query.excluded):
        return False
    return all(any(_hit(t, item, tokens) for t in group) for group in query.groups)


def _index_key(term: Term) -> str:
    """The one key an item must carry (see `_item_keys`) for `term` to hit it."""
    if term.kind == "phrase":
        return _phrase(term.value).split()[0]
    return term.value if term.kind == "from" else _folded(term.value)


def _item_keys(item: Item, tokens: Tokens) -> frozenset[str]:
    """What an item can be found under: its words, and its author (`from:`, and on X a mention
    of the account that wrote the post)."""
    return tokens.words | {item.author.lower()} if item.author else tokens.words


@dataclass(frozen=True)
class QueryIndex:
    """Every watch's query, indexed by the keys of its first group's terms, so an item is matched
    only against the queries it could satisfy (thousands of items times dozens of watches). It
    finds exactly what `matches` would: a term hits an item only if the item carries its key."""

    queries: dict[str, Query]
    by_key: dict[str, frozenset[str]]

    @classmethod
    def build(cls, queries: dict[str, Query]) -> QueryIndex:
        by_key: dict[str, set[str]] = {}
        for watch_id_, query in queries.items():
            for term in query.groups[0]:
                by_key.setdefault(_index_key(term), set()).add(watch_id_)
        return cls(queries, {k: frozenset(v) for k, v in by_key.items()})

    def matching(self, item: Item, tokens: Tokens) -> set[str]:
        candidates: set[str] = set()
        for key in _item_keys(item, tokens):
            candidates |= self.by_key.get(key, frozenset())
        return {w for w in candidates if matches(self.queries[w], item, tokens)}
