"""Telegram HTML cut to Telegram's sizes: the one place a message is split.

Telegram counts a text's length after entity parsing, in UTF-16 code units: 4,096 for a message,
1,024 for a caption. A long text is cut where a reader would cut it (between paragraphs, else
lines, else words, and inside a word only when one word is longer than a message); tags open at
a cut are closed at the end of one part and opened again at the start of the next, so every part
is valid HTML on its own and keeps its links and emphasis.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.model import Kind, Outgoing

MESSAGE = 4096
CAPTION = 1024

_ATOM = re.compile(r"<[^>]*>|&[#\w]+;|\n\n+|\n|[ \t]+|[^<&\s]+|[<&\s]")
_BREAKS = {"\n\n": 3, "\n": 2, " ": 1}


@dataclass(frozen=True)
class _Atom:
    raw: str
    size: int  # visible UTF-16 code units
    tag: str = ""  # the tag's name when this is one
    closing: bool = False
    cut: int = 0  # how good a place to cut right after this atom is (0: not a place)


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def visible_length(markup: str) -> int:
    """Length as Telegram counts it: after entity parsing, in UTF-16 code units."""
    return sum(atom.size for atom in _atoms(markup, MESSAGE))


def split_html(markup: str, limit: int = MESSAGE, first: int | None = None) -> list[str]:
    """`markup` as parts of at most `limit` visible characters each (`first` for the first
    part, a caption); one part when it fits."""
    if utf16_length(markup) <= min(limit, first or limit) and not markup[-1:].isspace():
        return [markup]  # fits even counting its tags and entities whole: nothing to parse or trim
    atoms = _atoms(markup, min(limit, first or limit))
    pieces: list[str] = []
    start, open_tags = 0, list[_Atom]()
    while start < len(atoms):
        end = _cut(atoms, start, first if first and not pieces else limit)
        body = atoms[start:end]
        prefix = [tag.raw for tag in open_tags]
        open_tags = _open_after(open_tags, body)
        suffix = [f"</{tag.tag}>" for tag in reversed(open_tags)] if end < len(atoms) else []
        text = "".join(prefix + [atom.raw for atom in _trimmed(body)] + suffix)
        if text.strip():
            pieces.append(text)
        start = end
    return pieces or [markup]


def fit(markup: str, limit: int = MESSAGE) -> str:
    """`markup` as one message of at most `limit` visible characters: cut with "…" when longer
    (an edit, which cannot become two messages)."""
    fits = split_html(markup, limit - 1)
    return markup if len(fits) == 1 else fits[0] + "…"


def parts(message: Outgoing) -> list[Outgoing]:
    """`message` as messages Telegram accepts: a long text in several (the buttons and the
    purpose go with the last, the one a reader reaches last); a photo whose caption is too long
    with the rest as text after it; an edit, which cannot become two, cut with "…"."""
    if message.kind is Kind.DELETE:
        return [message]
    if message.kind in (Kind.EDIT, Kind.EDIT_PHOTO):
        return [replace(message, text=fit(message.text, MESSAGE if message.kind is Kind.EDIT else CAPTION))]
    first, *rest = split_html(message.text, MESSAGE, CAPTION if message.kind is Kind.PHOTO else None)
    if not rest:
        return [message]
    head = replace(message, text=first, keyboard=None, purpose="")
    tail = [replace(message, kind=Kind.TEXT, photo="", text=text, keyboard=None, purpose="") for text in rest]
    tail[-1] = replace(tail[-1], keyboard=message.keyboard, purpose=message.purpose)
    return [head, *tail]


def _atoms(markup: str, limit: int) -> list[_Atom]:
    atoms = []
    for match in _ATOM.finditer(markup):
        raw = match.group()
        if raw.startswith("<") and len(raw) > 1:
            name = raw[1:-1].lstrip("/").split()[0].lower() if raw.strip("</>") else ""
            atoms.append(_Atom(raw, 0, tag=name, closing=raw.startswith("</")))
        elif raw.startswith("&") and len(raw) > 1:
            atoms.append(_Atom(raw, 1))
        elif raw[0] in "\n \t":
            atoms.append(_Atom(raw, utf16_length(raw), cut=_BREAKS.get(raw[:2] if raw[0] == "\n" else " ", 1)))
        else:
            atoms.extend(_Atom(piece, utf16_length(piece)) for piece in _chunks(raw, limit))
    return atoms


def _chunks(word: str, limit: int) -> list[str]:
    """A word longer than a message, in pieces that fit (never splitting a surrogate pair)."""
    if utf16_length(word) <= limit:
        return [word]
    pieces, current = [], ""
    for char in word:
        if utf16_length(current + char) > limit:
            pieces.append(current)
            current = ""
        current += char
    return [*pieces, current]


def _cut(atoms: list[_Atom], start: int, limit: int) -> int:
    """Where the part starting at `start` ends (exclusive): the best break that fits, a better
    kind of break winning only once the part is half full (no needlessly short parts)."""
    size, best, best_rank = 0, start, (-1, -1)
    for index in range(start, len(atoms)):
        atom = atoms[index]
        if size + (0 if atom.cut else atom.size) > limit:
            return best if best > start else index
        size += atom.size
        if atom.cut:
            rank = (atom.cut if size >= limit // 2 else 0, index)
            if rank > best_rank:
                best, best_rank = index + 1, rank
    return len(atoms)


def _open_after(open_tags: list[_Atom], body: list[_Atom]) -> list[_Atom]:
    stack = list(open_tags)
    for atom in body:
        if atom.tag and atom.closing:
            if stack and stack[-1].tag == atom.tag:
                stack.pop()
        elif atom.tag:
            stack.append(atom)
    return stack


def _trimmed(body: list[_Atom]) -> list[_Atom]:
    """The part without the whitespace it was cut at."""
    end = len(body)
    while end and body[end - 1].cut:
        end -= 1
    return body[:end] + [atom for atom in body[end:] if atom.tag]
