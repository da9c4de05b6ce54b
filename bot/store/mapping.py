"""One mapping between the model's dataclasses and Redis hashes, driven by the field types:
str as is, int and float as numbers, bool as "1"/"0", an enum by its value, frozensets joined by
commas (sorted), tuples joined by commas (in order)."""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterable
from dataclasses import fields
from enum import Enum
from typing import Any, TypeVar

T = TypeVar("T")

Decode = Callable[[str], Any]
Encode = Callable[[Any], str | int | float]


def _join(values: Iterable[Any]) -> str:
    return ",".join(str(v) for v in sorted(values))


def _codec(kind: Any) -> tuple[Encode, Decode]:
    if kind is bool:
        return (lambda v: "1" if v else "0"), (lambda s: s == "1")
    if kind in (int, float):
        return (lambda v: v), kind
    if typing.get_origin(kind) is frozenset:
        (element,) = typing.get_args(kind)
        return _join, (lambda s: frozenset(element(p) for p in s.split(",") if p))
    if typing.get_origin(kind) is tuple:
        element = typing.get_args(kind)[0]
        return (lambda v: ",".join(str(p) for p in v)), (lambda s: tuple(element(p) for p in s.split(",") if p))
    if isinstance(kind, type) and issubclass(kind, Enum):
        return (lambda v: v.value), kind
    if kind is str:
        return (lambda v: v), (lambda s: s)
    raise TypeError(f"no Redis mapping for {kind!r}")


_CODECS: dict[type, dict[str, tuple[Encode, Decode]]] = {}  # per dataclass, built on first use


def _codecs(cls: type) -> dict[str, tuple[Encode, Decode]]:
    if cls not in _CODECS:
        hints = typing.get_type_hints(cls)
        _CODECS[cls] = {f.name: _codec(hints[f.name]) for f in fields(cls)}
    return _CODECS[cls]


def to_hash(obj: Any, exclude: Iterable[str] = ()) -> dict[str, str | int | float]:
    """`obj`'s fields as a Redis hash (without `exclude`: the id in the key, a score kept elsewhere)."""
    skip = set(exclude)
    return {name: encode(getattr(obj, name)) for name, (encode, _) in _codecs(type(obj)).items() if name not in skip}


def encode(cls: type, name: str, value: Any) -> str | int | float:
    """One field of `cls` as its hash value."""
    return _codecs(cls)[name][0](value)


def from_hash(cls: type[T], data: dict[str, str], **given: Any) -> T:
    """An instance of `cls` from a hash; `given` fields come from elsewhere (the key, a score).
    A field missing from the hash keeps its default; unknown hash fields are ignored."""
    codecs = _codecs(cls)
    values = {name: codecs[name][1](raw) for name, raw in data.items() if name in codecs and name not in given}
    return cls(**values, **given)
