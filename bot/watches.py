"""Watch queries: parsing the X-like syntax users type, the X query sent, and matching items.

Syntax: terms are words, "quoted phrases", @handles, #hashtags, $cashtags and from:handle;
`OR` joins neighbouring terms into alternatives; what is separated by spaces must all match;
`-term` excludes; parentheses group (`(Fnac OR Darty) -promo`, `-(promo OR soldes)`); `lang:xx`,
once and outside parentheses, filters by language. Unlike X (where the space binds tighter than
OR), `Fnac OR @Fnac -emploi` means (Fnac OR @Fnac) AND NOT emploi, which is what people mean;
the query sent to X is fully parenthesized so X evaluates the same thing. Typographic quotes
(« », “ ”) are quotes.

What X would refuse is refused here, with the reason (QueryError): an unclosed quote or
parenthesis, a lone OR or -, empty parentheses, nothing but exclusions, over 512 characters sent.
A watch keeps its query as typed; it is parsed again wherever it is used.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from bot.model import X_USERNAME, Item

MAX_X_QUERY = 512
_QUOTES = str.maketrans(dict.fromkeys("«»“”„", '"'))
_TERM = re.compile(r'[^\s()"]+')
_HANDLE = re.compile(f"^{X_USERNAME}$")
_TAG = re.compile(r"^\w{1,100}$")
_WORD_CHARS = re.compile(r"[#@$]?\w+")
_PREFIXES = {"@": "mention", "#": "hashtag", "$": "cashtag"}
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_SHOWN = 30  # characters of the query shown around what is refused


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
class Not:
    node: Node


@dataclass(frozen=True)
class AllOf:
    nodes: tuple[Node, ...]  # every one must match


@dataclass(frozen=True)
class AnyOf:
    nodes: tuple[Node, ...]  # one is enough


Node = Term | Not | AllOf | AnyOf


@dataclass(frozen=True)
class Query:
    root: AllOf
    language: str | None = None

    def x_query(self) -> str:
        """The X search query: normalized (order, case, repeated alternatives), so equal watches share one
        query (and its cost), and fully parenthesized."""
        parts = [_x(node) for node in self.root.nodes]
        if self.language:
            parts.append(f"lang:{self.language}")
        return " ".join(parts) + " -is:retweet"


def _x(node: Node) -> str:
    """A node as X reads it: every OR and every group inside one in parentheses."""
    if isinstance(node, Term):
        return node.x()
    if isinstance(node, Not):
        return "-" + _x(node.node)
    return "(" + (" OR " if isinstance(node, AnyOf) else " ").join(_x(n) for n in node.nodes) + ")"


def _order(node: Node) -> tuple[int, tuple[tuple[str, str], ...], str]:
    """Where a node goes among its siblings: terms and alternatives of terms first (the order
    queries had before groups, so their X query, and its cursor, stay the same), then other
    groups, then exclusions."""
    if isinstance(node, Term):
        return 0, ((node.kind, node.value),), ""
    if isinstance(node, AnyOf) and all(isinstance(n, Term) for n in node.nodes):
        return 0, tuple((n.kind, n.value) for n in node.nodes if isinstance(n, Term)), ""
    if isinstance(node, Not) and isinstance(node.node, Term):
        return 2, ((node.node.kind, node.node.value),), ""
    return (3 if isinstance(node, Not) else 1), (), _x(node)


def _all(nodes: list[Node]) -> AllOf:
    flat = [m for n in nodes for m in (n.nodes if isinstance(n, AllOf) else (n,))]
    return AllOf(tuple(sorted(flat, key=_order)))  # a clause typed twice stays twice, as it did


def _any(nodes: list[Node]) -> Node:
    flat = set(m for n in nodes for m in (n.nodes if isinstance(n, AnyOf) else (n,)))
    return flat.pop() if len(flat) == 1 else AnyOf(tuple(sorted(flat, key=_order)))


def _not(node: Node) -> Node:
    return node.node if isinstance(node, Not) else Not(node)


def _positive(node: Node) -> bool:
    """Whether it holds a term that is not excluded (X refuses a query without one)."""
    if isinstance(node, Not):
        return False
    return isinstance(node, Term) or any(_positive(n) for n in node.nodes)


def _term(token: str) -> Term:
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
    if ":" in token:
        raise QueryError("query_unsupported", token)
    words = _WORD_CHARS.findall(lowered)
    if not words:
        raise QueryError("query_bad_term", token)
    # "île-de-france", "l'oréal": several words in a row, i.e. a phrase
    return Term("word", words[0]) if len(words) == 1 else Term("phrase", " ".join(words))


def _phrase_term(text: str) -> Term:
    phrase = " ".join(text.split()).lower()
    if not phrase:
        raise QueryError("query_empty_phrase")
    return Term("phrase", phrase)


@dataclass(frozen=True)
class _Token:
    kind: str  # ( ) - OR phrase term
    text: str
    at: int  # where it starts in the query


def _lex(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char.isspace():
            i += 1
        elif char in "()":
            tokens.append(_Token(char, char, i))
            i += 1
        elif char == "-":
            if i + 1 == len(text) or text[i + 1].isspace():
                raise QueryError("query_lone_minus")
            tokens.append(_Token("-", char, i))
            i += 1
        elif char == '"':
            end = text.find('"', i + 1)
            if end < 0:
                raise QueryError("query_unclosed_quote", _clip(text[i:]))
            tokens.append(_Token("phrase", text[i + 1 : end], i))
            i = end + 1
        else:
            match = _TERM.match(text, i)
            assert match is not None  # not a space, quote, parenthesis: at least one character
            tokens.append(_Token("OR" if match.group() == "OR" else "term", match.group(), i))
            i = match.end()
    return tokens


def _clip(fragment: str) -> str:
    return fragment if len(fragment) <= _SHOWN else fragment[:_SHOWN] + "…"


def _is_language(token: _Token | None) -> bool:
    return token is not None and token.kind == "term" and token.text.lower().startswith("lang:")


class _Parser:
    """Recursive descent: a sequence of clauses (all must match), a clause is alternatives
    joined by OR, each one excluded (-), a group in parentheses, a phrase or a term."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _lex(text)
        self.i = 0
        self.depth = 0
        self.language: str | None = None

    def parse(self) -> Query:
        if not self.tokens:
            raise QueryError("query_empty")
        clauses = self._sequence()
        if (closing := self._peek()) is not None:  # a ')' nothing opened
            raise QueryError("query_unopened_paren", _clip(self.text[max(0, closing.at - _SHOWN) : closing.at + 1]))
        root = _all(clauses)
        if not _positive(root):
            raise QueryError("query_only_exclusions")
        return Query(root, self.language)

    def _peek(self, ahead: int = 0) -> _Token | None:
        return self.tokens[self.i + ahead] if self.i + ahead < len(self.tokens) else None

    def _sequence(self) -> list[Node]:
        nodes: list[Node] = []
        while (token := self._peek()) is not None and token.kind != ")":
            if token.kind == "OR":
                raise QueryError("query_dangling_or")
            if _is_language(token) and (after := self._peek(1)) is not None and after.kind == "OR":
                raise QueryError("query_lang_where", token.text)
            if _is_language(token) and not self.depth:
                self._set_language(token.text)
                self.i += 1
            else:
                nodes.append(self._clause())
        return nodes

    def _set_language(self, typed: str) -> None:
        language = typed[5:].lower()
        if not re.fullmatch(r"[a-z]{2}", language):
            raise QueryError("query_bad_language", typed)
        if self.language not in (None, language):
            raise QueryError("query_two_languages", f"lang:{self.language} lang:{language}")
        self.language = language

    def _clause(self) -> Node:
        alternatives = [self._unary()]
        while (token := self._peek()) is not None and token.kind == "OR":
            self.i += 1
            following = self._peek()
            if following is None or following.kind in (")", "OR"):
                raise QueryError("query_dangling_or")
            alternatives.append(self._unary())
        return _any(alternatives)

    def _unary(self) -> Node:
        token = self.tokens[self.i]
        self.i += 1
        following = self._peek()
        if token.kind == "-":
            if following is None or following.kind in (")", "OR"):
                raise QueryError("query_lone_minus")
            return _not(self._unary())
        if token.kind == "(":
            self.depth += 1
            nodes = self._sequence()
            self.depth -= 1
            if self._peek() is None:
                raise QueryError("query_unclosed_paren", _clip(self.text[token.at :]))
            self.i += 1
            if not nodes:
                raise QueryError("query_empty_group")
            return nodes[0] if len(nodes) == 1 else _all(nodes)
        if token.kind == "phrase":
            return _phrase_term(token.text)
        if _is_language(token):
            raise QueryError("query_lang_where", token.text)
        return _term(token.text)


def parse_query(text: str) -> Query:
    """Parse what the user typed; raises QueryError with a message key."""
    query = _Parser(text.translate(_QUOTES).strip()).parse()
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
    return _holds(query.root, item, tokens or tokens_of(item))


def _holds(node: Node, item: Item, tokens: Tokens) -> bool:
    if isinstance(node, Term):
        return _hit(node, item, tokens)
    if isinstance(node, Not):
        return not _holds(node.node, item, tokens)
    if isinstance(node, AnyOf):
        return any(_holds(n, item, tokens) for n in node.nodes)
    return all(_holds(n, item, tokens) for n in node.nodes)


def _index_key(term: Term) -> str:
    """The one key an item must carry (see `_item_keys`) for `term` to hit it."""
    if term.kind == "phrase":
        return _phrase(term.value).split()[0]
    return term.value if term.kind == "from" else _folded(term.value)


def _item_keys(item: Item, tokens: Tokens) -> frozenset[str]:
    """What an item can be found under: its words, and its author (`from:`, and on X a mention
    of the account that wrote the post)."""
    return tokens.words | {item.author.lower()} if item.author else tokens.words


def _keys(node: Node) -> frozenset[str] | None:
    """Keys one of which an item must carry (see `_item_keys`) to satisfy `node`; None when no
    key is needed (an exclusion: what an item lacks)."""
    if isinstance(node, Term):
        return frozenset({_index_key(node)})
    if isinstance(node, Not):
        return None
    keys = [_keys(n) for n in node.nodes]
    if isinstance(node, AllOf):
        return next((k for k in keys if k is not None), None)
    return None if None in keys else frozenset().union(*(k for k in keys if k is not None))


@dataclass(frozen=True)
class QueryIndex:
    """Every watch's query, indexed by the keys an item must carry to satisfy it, so an item is
    matched only against the queries it could satisfy (thousands of items times dozens of
    watches); a query no key is needed for (`a OR -b`) is tried on every item. It finds exactly
    what `matches` would: a term hits an item only if the item carries its key."""

    queries: dict[str, Query]
    by_key: dict[str, frozenset[str]]
    everywhere: frozenset[str] = frozenset()

    @classmethod
    def build(cls, queries: dict[str, Query]) -> QueryIndex:
        by_key: dict[str, set[str]] = {}
        everywhere = set()
        for watch_id_, query in queries.items():
            keys = _keys(query.root)
            if keys is None:
                everywhere.add(watch_id_)
            for key in keys or ():
                by_key.setdefault(key, set()).add(watch_id_)
        return cls(queries, {k: frozenset(v) for k, v in by_key.items()}, frozenset(everywhere))

    def matching(self, item: Item, tokens: Tokens) -> set[str]:
        candidates: set[str] = set(self.everywhere)
        for key in _item_keys(item, tokens):
            candidates |= self.by_key.get(key, frozenset())
        return {w for w in candidates if matches(self.queries[w], item, tokens)}
