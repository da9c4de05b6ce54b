"""Callback data: one frozen dataclass per kind of button, one codec for them all.

A button's data is its kind's prefix then its fields, joined by ':' ("team:grant:delegate:444"),
at most 64 bytes (Telegram's limit). Every button carries the state it sets (not a toggle), so
pressing it twice, or pressing one from an old message after a restart, does no harm.

`parse` gives the typed value back, or None for anything unknown, malformed or forged: each kind
checks its values when built, and only the very string `encode` would give is accepted.
Field types: str (an ASCII token: an id, a time zone name), int (ASCII digits), bool (1 or 0), an Enum (by
its lower-case name) and `Weekdays`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from enum import Enum, auto
from typing import Any, ClassVar, get_type_hints

from bot.model import ALL_DAYS, MOST_COOLING_OFF
from bot.render.i18n import CATALOGS
from bot.roles import Role
from bot.text import is_number

MAX_BYTES = 64
SEPARATOR = ":"
USER_IDS = range(1, 2**53)  # Telegram user ids fit in 53 bits

Weekdays = frozenset[int]  # ISO weekdays, 1 = Monday; "135", or "0" for none
_TOKEN = re.compile(r"[A-Za-z0-9_./+-]+")

KINDS: dict[str, type[Callback]] = {}


def _check(condition: bool) -> None:
    if not condition:
        raise ValueError("not a valid button")


@dataclass(frozen=True)
class Callback:
    """A kind of button. Subclasses are frozen dataclasses declared with `prefix="ns:action"`
    and check their values in `__post_init__` (ValueError)."""

    prefix: ClassVar[str]

    def __init_subclass__(cls, prefix: str, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        assert prefix.count(SEPARATOR) == 1 and prefix not in KINDS, prefix
        cls.prefix = prefix
        KINDS[prefix] = cls


class Page(Enum):
    """The screens of /settings."""

    MAIN = auto()
    LANGUAGE = auto()
    TIMEZONE = auto()
    HOUR = auto()
    DAYS = auto()
    COOLING = auto()  # owners: the cooling-off of the posts they confirm


# ---------------------------------------------------------------- settings


@dataclass(frozen=True)
class SettingsMenu(Callback, prefix="set:menu"):
    page: Page


@dataclass(frozen=True)
class SettingsDone(Callback, prefix="set:done"):
    pass


@dataclass(frozen=True)
class SetLanguage(Callback, prefix="set:lang"):
    language: str

    def __post_init__(self) -> None:
        _check(self.language in CATALOGS)


@dataclass(frozen=True)
class SetTimezone(Callback, prefix="set:tz"):
    name: str  # an IANA name, checked by the handler


@dataclass(frozen=True)
class SetHour(Callback, prefix="set:hour"):
    """The hour of the briefing: the minutes are asked next."""

    hour: int

    def __post_init__(self) -> None:
        _check(0 <= self.hour <= 23)


@dataclass(frozen=True)
class SetTime(Callback, prefix="set:time"):
    hour: int
    minute: int

    def __post_init__(self) -> None:
        _check(0 <= self.hour <= 23 and 0 <= self.minute <= 59)


@dataclass(frozen=True)
class SetDays(Callback, prefix="set:days"):
    days: Weekdays


@dataclass(frozen=True)
class SetCooling(Callback, prefix="set:cool"):
    """An owner's own cooling-off, in seconds."""

    seconds: int

    def __post_init__(self) -> None:
        _check(0 <= self.seconds <= MOST_COOLING_OFF)


@dataclass(frozen=True)
class SetCoolingDefault(Callback, prefix="set:cooldef"):
    """An owner's cooling-off back to VIGIE_COOLING_OFF."""


# ---------------------------------------------------------------- team (owners)


@dataclass(frozen=True)
class TeamInvite(Callback, prefix="team:invite"):
    role: Role

    def __post_init__(self) -> None:
        _check(Role.grantable(self.role.key) is self.role)


@dataclass(frozen=True)
class TeamGrant(Callback, prefix="team:grant"):
    role: Role
    user_id: int

    def __post_init__(self) -> None:
        _check(Role.grantable(self.role.key) is self.role and self.user_id in USER_IDS)


@dataclass(frozen=True)
class TeamRemove(Callback, prefix="team:rm"):
    """Asks whether to remove the member (TeamRemoveConfirm removes)."""

    user_id: int

    def __post_init__(self) -> None:
        _check(self.user_id in USER_IDS)


@dataclass(frozen=True)
class TeamRemoveConfirm(Callback, prefix="team:rmok"):
    user_id: int

    def __post_init__(self) -> None:
        _check(self.user_id in USER_IDS)


@dataclass(frozen=True)
class TeamCancel(Callback, prefix="team:cancel"):
    pass


# ---------------------------------------------------------------- watches and feeds


@dataclass(frozen=True)
class WatchShow(Callback, prefix="watch:show"):
    watch_id: str


@dataclass(frozen=True)
class WatchFollow(Callback, prefix="watch:follow"):
    watch_id: str


@dataclass(frozen=True)
class WatchUnfollow(Callback, prefix="watch:unfollow"):
    watch_id: str


@dataclass(frozen=True)
class WatchRemove(Callback, prefix="watch:rm"):
    watch_id: str


@dataclass(frozen=True)
class WatchCancel(Callback, prefix="watch:cancel"):
    pass


@dataclass(frozen=True)
class FeedRemove(Callback, prefix="feed:rm"):
    """Asks whether to remove the feed (FeedRemoveConfirm removes)."""

    feed_id: str


@dataclass(frozen=True)
class FeedRemoveConfirm(Callback, prefix="feed:rmok"):
    feed_id: str


# ---------------------------------------------------------------- briefing


@dataclass(frozen=True)
class BriefingMore(Callback, prefix="brief:more"):
    """Story `n` (from 1) of a saved briefing, in detail."""

    briefing_id: str
    n: int

    def __post_init__(self) -> None:
        _check(self.n >= 1)


@dataclass(frozen=True)
class BriefingMute(Callback, prefix="brief:mute"):
    watch_id: str


@dataclass(frozen=True)
class BriefingUnmute(Callback, prefix="brief:unmute"):
    """Undo of a mute: the watch is in the member's briefings again."""

    watch_id: str


# ---------------------------------------------------------------- alerts


@dataclass(frozen=True)
class PostingPause(Callback, prefix="post:pause"):
    """Hold every post until an owner resumes (pressed on a crisis alert about `watch_id`)."""

    watch_id: str


@dataclass(frozen=True)
class PostingResume(Callback, prefix="post:resume"):
    pass


@dataclass(frozen=True)
class AlertStop(Callback, prefix="alert:stop"):
    """Stop this chat's topic alert on `watch_id`."""

    watch_id: str


@dataclass(frozen=True)
class CrisisFollow(Callback, prefix="crisis:follow"):
    """Follow (or stop following) the evolution of the crisis on `watch_id` in this chat."""

    watch_id: str
    on: bool


@dataclass(frozen=True)
class CrisisDraft(Callback, prefix="crisis:draft"):
    """An answer to the crisis on `watch_id`, to draft."""

    watch_id: str


# ---------------------------------------------------------------- posting


@dataclass(frozen=True)
class PostPublish(Callback, prefix="post:publish"):
    """Publish the draft (an owner) or ask for approval (a delegate); `sure` once its warnings
    were shown and confirmed."""

    draft_id: str
    sure: bool


@dataclass(frozen=True)
class PostThread(Callback, prefix="post:thread"):
    """Post the too-long draft as a thread."""

    draft_id: str


@dataclass(frozen=True)
class PostAbout(Callback, prefix="post:about"):
    """Answer (or quote) the draft's `target`-th X post; pressed again, a post of its own."""

    draft_id: str
    target: int
    quote: bool


@dataclass(frozen=True)
class PostEdit(Callback, prefix="post:edit"):
    draft_id: str


@dataclass(frozen=True)
class PostCancel(Callback, prefix="post:cancel"):
    draft_id: str


@dataclass(frozen=True)
class PostUndo(Callback, prefix="post:undo"):
    """Stop the post in its cooling-off (nothing reaches X)."""

    draft_id: str


@dataclass(frozen=True)
class PostDelete(Callback, prefix="post:delete"):
    """Delete a sent post from X."""

    draft_id: str


@dataclass(frozen=True)
class DraftApprove(Callback, prefix="draft:approve"):
    draft_id: str


@dataclass(frozen=True)
class DraftReject(Callback, prefix="draft:reject"):
    """Reject a delegate's draft; the reason is asked next."""

    draft_id: str


# ---------------------------------------------------------------- guardrails (owners)


@dataclass(frozen=True)
class GuardrailsReset(Callback, prefix="guard:reset"):
    """Back to the default subjects, if the list is still the one asked about (its version)."""

    version: str


@dataclass(frozen=True)
class GuardrailsCancel(Callback, prefix="guard:cancel"):
    pass


# ---------------------------------------------------------------- following (owners)


def _x_id(value: str) -> None:
    _check(is_number(value) and len(value) <= 19)  # X ids: up to 19 digits


@dataclass(frozen=True)
class FollowConfirm(Callback, prefix="follow:yes"):
    """Follow on X the account looked up with /follow (its X id; the account itself is in Redis)."""

    user_id: str

    def __post_init__(self) -> None:
        _x_id(self.user_id)


@dataclass(frozen=True)
class FollowCancel(Callback, prefix="follow:no"):
    """Dismiss a follow or unfollow confirmation: nothing is asked of X."""

    user_id: str

    def __post_init__(self) -> None:
        _x_id(self.user_id)


@dataclass(frozen=True)
class UnfollowAsk(Callback, prefix="unfollow:ask"):
    """The confirmation of unfollowing an account followed (from the list of /follow)."""

    user_id: str

    def __post_init__(self) -> None:
        _x_id(self.user_id)


@dataclass(frozen=True)
class UnfollowConfirm(Callback, prefix="unfollow:yes"):
    user_id: str

    def __post_init__(self) -> None:
        _x_id(self.user_id)


# ---------------------------------------------------------------- the codec


def encode(button: Callback) -> str:
    data = SEPARATOR.join([button.prefix, *(_encode(getattr(button, f.name)) for f in fields(button))])
    assert len(data.encode()) <= MAX_BYTES, f"callback data over {MAX_BYTES} bytes: {data}"
    return data


def parse(data: str) -> Callback | None:
    """The button `data` stands for, or None when it stands for none."""
    if not data.isascii() or len(data) > MAX_BYTES:
        return None
    parts = data.split(SEPARATOR)
    kind = KINDS.get(SEPARATOR.join(parts[:2]))
    if kind is None:
        return None
    types, texts = _field_types(kind), parts[2:]
    if len(texts) != len(types):
        return None
    build: Callable[..., Callback] = kind
    try:
        button = build(**{name: _decode(type_, text) for (name, type_), text in zip(types, texts)})
    except ValueError:
        return None
    return button if encode(button) == data else None


def _field_types(kind: type[Callback]) -> tuple[tuple[str, object], ...]:
    hints = get_type_hints(kind)
    return tuple((f.name, hints[f.name]) for f in fields(kind))


def _encode(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Enum):
        return value.name.lower()
    if isinstance(value, frozenset):
        assert value <= ALL_DAYS, value
        return "".join(str(day) for day in sorted(value)) or "0"
    text = str(value)
    assert isinstance(value, str | int) and _TOKEN.fullmatch(text), f"not a callback field: {value!r}"
    return text


def _decode(type_: object, text: str) -> object:
    """A field's value from its text; ValueError when the text is not one."""
    if type_ is str:
        _check(_TOKEN.fullmatch(text) is not None)
        return text
    if type_ is bool:
        _check(text in ("0", "1"))
        return text == "1"
    if type_ is int:
        _check(is_number(text))
        return int(text)
    if type_ == Weekdays:
        _check(is_number(text))
        days = frozenset() if text == "0" else frozenset(int(d) for d in text)
        _check(days <= ALL_DAYS)
        return days
    if isinstance(type_, type) and issubclass(type_, Enum):
        members = {member.name.lower(): member for member in type_}
        _check(text in members)
        return members[text]
    raise TypeError(f"no codec for {type_}")
