"""A local fake of the Telegram Bot API, good enough to run a real PTB Application against.

Point PTB at it with ``base_url=f"{tg.url}/bot"`` and ``base_file_url=f"{tg.url}/file/bot"``;
then drive users with :meth:`FakeTelegram.send_text` / :meth:`FakeTelegram.press` and inspect
what the bot did with :meth:`FakeTelegram.messages`, the ``wait_for_*`` helpers and ``calls``.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import math
import re
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

__all__ = ["FakeTelegram", "parse_html"]

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_ANSWER = 200

_JSON_FIELDS = {
    "allowed_updates",
    "caption_entities",
    "commands",
    "entities",
    "link_preview_options",
    "media",
    "reply_markup",
    "reply_parameters",
    "scope",
}
_INT_FIELDS = {
    "cache_time",
    "limit",
    "max_connections",
    "message_id",
    "message_thread_id",
    "offset",
    "reply_to_message_id",
    "timeout",
}
_BOOL_FIELDS = {
    "allow_sending_without_reply",
    "disable_notification",
    "disable_web_page_preview",
    "drop_pending_updates",
    "has_spoiler",
    "protect_content",
    "show_alert",
    "show_caption_above_media",
}
_BUTTON_ACTIONS = {
    "callback_data",
    "callback_game",
    "copy_text",
    "login_url",
    "pay",
    "switch_inline_query",
    "switch_inline_query_chosen_chat",
    "switch_inline_query_current_chat",
    "url",
    "web_app",
}
_CHAT_ACTIONS = {
    "choose_sticker",
    "find_location",
    "record_video",
    "record_video_note",
    "record_voice",
    "typing",
    "upload_document",
    "upload_photo",
    "upload_video",
    "upload_video_note",
    "upload_voice",
}
_SCOPES = {
    "default",
    "all_private_chats",
    "all_group_chats",
    "all_chat_administrators",
    "chat",
    "chat_administrators",
    "chat_member",
}
# Update types Telegram does not deliver unless explicitly listed in allowed_updates.
_OPT_IN_UPDATES = {"chat_member", "message_reaction", "message_reaction_count"}
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_BOT_COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,64}(@[A-Za-z0-9_]{3,32})?")
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)


class ApiError(Exception):
    """A Bot API error answer: ``{"ok": false, "error_code": ..., "description": ...}``."""

    def __init__(self, code: int, description: str, parameters: dict | None = None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def body(self) -> dict:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def _bad(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, as Telegram counts."""
    return len(text.encode("utf-16-le")) // 2


# --------------------------------------------------------------------------- HTML parse mode

_HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_HTML_ENTITY_RE = re.compile(r"&(lt|gt|amp|quot|#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8});")
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


@dataclass
class _OpenTag:
    name: str
    attrs: dict[str, str]
    start: int  # UTF-16 offset in the output text
    language: str | None = None


def _decode_entity(match: re.Match) -> str | None:
    name = match.group(1)
    if not name.startswith("#"):
        return _NAMED_ENTITIES[name]
    code = int(name[2:], 16) if name[1] in "xX" else int(name[1:])
    if not 0 < code <= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code)


def _unescape_attr(value: str) -> str:
    return _HTML_ENTITY_RE.sub(lambda m: _decode_entity(m) or m.group(0), value)


def parse_html(src: str) -> tuple[str, list[dict]]:
    """Parse Telegram's HTML parse mode into (plain text, entities), or raise ApiError.

    Stricter than Telegram on one point: a bare ``&`` that is not an entity is rejected.
    """

    def fail(reason: str, pos: int | None = None) -> ApiError:
        where = "" if pos is None else f" at byte offset {len(src[:pos].encode())}"
        return _bad(f"can't parse entities: {reason}{where}")

    out: list[str] = []
    offset = 0
    stack: list[_OpenTag] = []
    entities: list[dict] = []
    n = len(src)
    i = 0
    while i < n:
        char = src[i]
        if char == "&":
            match = _HTML_ENTITY_RE.match(src, i)
            decoded = _decode_entity(match) if match else None
            if decoded is None:
                raise fail('Character "&" must be escaped as "&amp;"', i)
            out.append(decoded)
            offset += utf16_len(decoded)
            i = match.end()
        elif char != "<":
            out.append(char)
            offset += utf16_len(char)
            i += 1
        elif src.startswith("</", i):
            j = i + 2
            while j < n and not src[j].isspace() and src[j] != ">":
                j += 1
            name = src[i + 2 : j].lower()
            while j < n and src[j].isspace():
                j += 1
            if j >= n or src[j] != ">":
                raise fail("Unclosed end tag", i)
            if not stack:
                raise fail("Unexpected end tag", i)
            tag = stack.pop()
            if name and name != tag.name:
                raise fail(
                    f"Unmatched end tag at byte offset {len(src[:i].encode())}, "
                    f'expected "</{tag.name}>", found "</{name}>"'
                )
            _close_tag(tag, offset, stack, entities)
            i = j + 1
        else:
            j = i + 1
            while j < n and not src[j].isspace() and src[j] != ">":
                j += 1
            if j >= n:
                raise fail("Unclosed start tag", i)
            name = src[i + 1 : j].lower()
            if name not in _HTML_TAGS:
                raise fail(f'Unsupported start tag "{name}"', i)
            attrs, j = _parse_attributes(src, j, lambda at=i: fail("Unclosed start tag", at))
            if name == "span" and attrs.get("class") != "tg-spoiler":
                raise fail('Tag "span" must have class "tg-spoiler"', i)
            if name == "tg-emoji" and not attrs.get("emoji-id", "").isdigit():
                raise fail('Tag "tg-emoji" must have a numeric "emoji-id" attribute', i)
            stack.append(_OpenTag(name, attrs, offset))
            i = j + 1
    if stack:
        raise fail(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _parse_attributes(src: str, j: int, unclosed: Callable[[], ApiError]) -> tuple[dict[str, str], int]:
    """Parse tag attributes starting at ``src[j]``; return them and the index of ``>``."""
    attrs: dict[str, str] = {}
    n = len(src)
    while True:
        while j < n and src[j].isspace():
            j += 1
        if j >= n:
            raise unclosed()
        if src[j] == ">":
            return attrs, j
        start = j
        while j < n and not src[j].isspace() and src[j] not in "=>":
            j += 1
        name = src[start:j].lower()
        while j < n and src[j].isspace():
            j += 1
        if j >= n:
            raise unclosed()
        if src[j] != "=":
            attrs[name] = ""
            continue
        j += 1
        while j < n and src[j].isspace():
            j += 1
        if j < n and src[j] in "'\"":
            end = src.find(src[j], j + 1)
            if end < 0:
                raise unclosed()
            attrs[name] = _unescape_attr(src[j + 1 : end])
            j = end + 1
        else:
            start = j
            while j < n and (src[j].isalnum() or src[j] in ".-_"):
                j += 1
            attrs[name] = src[start:j]


def _close_tag(tag: _OpenTag, offset: int, stack: list[_OpenTag], entities: list[dict]) -> None:
    """Turn a closed tag into an entity (empty ones are dropped, as Telegram does)."""
    length = offset - tag.start
    kind = _HTML_TAGS[tag.name]
    language = tag.attrs.get("class", "").removeprefix("language-") if kind == "code" else ""
    if kind == "code" and language and stack and stack[-1].name == "pre" and stack[-1].start == tag.start:
        stack[-1].language = language
        return
    if length <= 0 or (kind == "text_link" and "href" not in tag.attrs):
        return
    entity: dict[str, Any] = {"type": kind, "offset": tag.start, "length": length}
    if kind == "text_link":
        entity["url"] = tag.attrs["href"]
    elif kind == "custom_emoji":
        entity["custom_emoji_id"] = tag.attrs["emoji-id"]
    elif kind == "blockquote" and "expandable" in tag.attrs:
        entity["type"] = "expandable_blockquote"
    elif kind == "pre" and tag.language:
        entity["language"] = tag.language
    entities.append(entity)


# --------------------------------------------------------------------------- server state


@dataclass
class _Stored:
    message: dict  # the Telegram Message dict, as returned by the API
    from_bot: bool
    parse_mode: str | None = None
    edits: int = 0
    deleted: bool = False


# Methods whose calls Telegram's flood limits count.
_COUNTED = frozenset({"sendMessage", "sendPhoto", "editMessageText", "editMessageReplyMarkup"})


@dataclass(frozen=True)
class Limits:
    """Telegram's flood limits as this server enforces them (when asked): about 30 messages a
    second overall, one a second in a private chat and 20 a minute in a group, short bursts
    allowed (Telegram does not publish their size: 4, about 100 ms at 30/s overall, more than
    Vigie's own 1 overall and 3 per chat, to tolerate the network's jitter)."""

    per_second: float = 30
    burst: int = 4
    chat_burst: int = 4
    group_per_minute: int = 20


class FakeTelegram:
    """A local Telegram Bot API server (aiohttp) with helpers to play users and inspect the bot."""

    def __init__(
        self,
        token: str = "123456789:" + "AAF-fake-token-for-tests-only-" + "0" * 6,
        bot_username: str = "vigie_test_bot",
    ):
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_username = bot_username
        self.url = ""
        self.calls: list[tuple[str, dict]] = []
        self._runner: web.AppRunner | None = None
        self._changed = asyncio.Condition()
        self._closing = False
        self._ids = itertools.count(1)
        self._users: dict[int, dict] = {}
        self._chats: dict[int, dict] = {}
        self._blocked: set[int] = set()
        self._messages: dict[int, dict[int, _Stored]] = {}
        self._next_message_id: dict[int, int] = {}
        self._sent: dict[int, list[int]] = {}
        self._sent_seen: dict[int, int] = {}
        self._edits_seen: dict[tuple[int, int], int] = {}
        self._updates: list[dict] = []
        self._allowed_updates: list[str] = []
        self._poll_generation = 0
        self._webhook = ""
        self._queries: dict[str, bool] = {}  # callback query id -> answered
        self._answers: dict[str, dict] = {}
        self._commands: dict[tuple[str, str], list[dict]] = {}
        self._failures: dict[str, list[ApiError]] = {}
        self._delays: dict[str, float] = {}
        self._files: dict[str, dict] = {}
        self._limits: Limits | None = None
        self._cells: dict[int | str, float] = {}  # chat id, or "" for all chats -> theoretical arrival time
        self.too_many = 0  # 429s answered because a limit was exceeded
        self.accepted: list[tuple[int, float]] = []  # (chat id, unix time) of each message the bot sent
        handlers = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "sendPhoto": self._send_photo,
            "sendChatAction": self._send_chat_action,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "editMessageMedia": self._edit_message_media,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "close": self._true,
            "logOut": self._true,
        }
        self._methods = {name.lower(): (name, handler) for name, handler in handlers.items()}

    # ----------------------------------------------------------------------- lifecycle

    async def start(self) -> None:
        """Serve on 127.0.0.1 on a random free port."""
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("*", "/{tail:.*}", self._not_found)
        self._runner = web.AppRunner(app, access_log=None, handler_cancellation=True, shutdown_timeout=1)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        await web.SockSite(self._runner, sock).start()
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"

    async def stop(self) -> None:
        """Release pending long polls and shut the server down."""
        self._closing = True
        await self._notify()
        if self._runner:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # ----------------------------------------------------------------------- user side

    def user(
        self,
        user_id: int,
        first_name: str = "Test",
        *,
        language_code: str | None = "fr",
        username: str | None = None,
    ) -> dict:
        """Create (and remember) a Telegram User dict."""
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        self._users[user_id] = user
        return copy.deepcopy(user)

    async def send_text(
        self,
        user: dict,
        text: str,
        *,
        forward_from: dict | None = None,
        forward_hidden_name: str | None = None,
        chat_id: int | None = None,
        reply_to: int | None = None,
    ) -> dict:
        """The user writes ``text`` to the bot in private, or in the group ``chat_id`` (as a
        reply to the message ``reply_to`` of that chat); enqueues the message Update."""
        if chat_id is None:
            chat = self._private_chat(user)
            self._blocked.discard(chat["id"])  # writing to a bot unblocks it
        else:
            chat = copy.deepcopy(self._chats[chat_id])
        message: dict[str, Any] = {
            "message_id": self._new_message_id(chat["id"]),
            "from": copy.deepcopy(user),
            "chat": chat,
            "date": int(time.time()),
            "text": text,
        }
        if reply_to is not None:
            message.update(self._reply_to({"reply_to_message_id": reply_to}, chat["id"]))
        command = _BOT_COMMAND_RE.match(text)
        if command:
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_len(command.group())}]
        if forward_from is not None:
            message["forward_origin"] = {
                "type": "user",
                "date": message["date"] - 60,
                "sender_user": copy.deepcopy(forward_from),
            }
            message["forward_from"] = copy.deepcopy(forward_from)
            message["forward_date"] = message["date"] - 60
        elif forward_hidden_name is not None:
            message["forward_origin"] = {
                "type": "hidden_user",
                "date": message["date"] - 60,
                "sender_user_name": forward_hidden_name,
            }
            message["forward_sender_name"] = forward_hidden_name
            message["forward_date"] = message["date"] - 60
        self._messages[chat["id"]][message["message_id"]] = _Stored(message, from_bot=False)
        await self._enqueue("message", message)
        return copy.deepcopy(message)

    async def ask(self, user: dict, text: str) -> dict:
        """The user writes ``text`` in private; the bot's one message in answer."""
        await self.send_text(user, text)
        [answer] = await self.wait_for_messages(user["id"], 1)
        return answer

    async def press(self, user: dict, message: dict | int, button: str | int, chat_id: int | None = None) -> str:
        """Press an inline button (by exact text or 0-based index) of a bot message, in the
        user's private chat or in the group ``chat_id``."""
        message_id = message["message_id"] if isinstance(message, dict) else message
        stored = self._bot_message(chat_id or user["id"], message_id)
        markup = stored.message.get("reply_markup") or {"inline_keyboard": []}
        buttons = [b for row in markup["inline_keyboard"] for b in row]
        if isinstance(button, int):
            found = buttons[button] if 0 <= button < len(buttons) else None
        else:
            found = next((b for b in buttons if b.get("text") == button), None)
        if found is None:
            texts = [b.get("text") for b in buttons]
            raise AssertionError(f"no button {button!r} in message {message_id}; buttons: {texts}")
        if "callback_data" not in found:
            raise AssertionError(f"button {found['text']!r} is not a callback button: {found}")
        return await self.press_data(user, message_id, found["callback_data"], chat_id)

    async def press_data(self, user: dict, message_id: int, data: str, chat_id: int | None = None) -> str:
        """Enqueue a callback_query with raw ``data`` on a bot message (old/forged buttons)."""
        stored = self._bot_message(chat_id or user["id"], message_id)
        return await self._callback_query(user, data, message=copy.deepcopy(stored.message))

    async def press_inline(self, user: dict, data: str) -> str:
        """Enqueue a callback_query from a button of an inline-mode message: no ``message``,
        an ``inline_message_id`` instead (what Telegram sends when the message is not in a chat)."""
        return await self._callback_query(user, data, inline_message_id=f"AAAA{next(self._ids)}")

    async def _callback_query(self, user: dict, data: str, **where: object) -> str:
        """Enqueue a callback_query with ``data`` from ``user``; ``where``: message or inline id."""
        query_id = str(4_000_000_000_000 + next(self._ids))
        self._queries[query_id] = False
        query = {
            "id": query_id,
            "from": copy.deepcopy(user),
            "chat_instance": str(user["id"] * 7919 + self.bot_id),
            **where,
            "data": data,
        }
        await self._enqueue("callback_query", query)
        return query_id

    def unconfirmed(self) -> int:
        """How many updates the bot has not confirmed yet (fetched or not)."""
        return len(self._pending())

    def group(self, chat_id: int, title: str = "Cellule de crise") -> dict:
        """A group the bot was added to (a negative id)."""
        if chat_id >= 0:
            raise ValueError("group ids are negative")
        self._chats[chat_id] = {"id": chat_id, "type": "group", "title": title}
        self._messages.setdefault(chat_id, {})
        return copy.deepcopy(self._chats[chat_id])

    def kick(self, chat_id: int) -> None:
        """The bot is removed from the group: sending there fails with 403."""
        self._blocked.add(chat_id)

    def block(self, user: dict) -> None:
        """The user blocks the bot: sending to their chat fails with 403 until they write again."""
        self._blocked.add(user["id"])

    # ----------------------------------------------------------------------- inspection

    def messages(self, chat_id: int) -> list[dict]:
        """Bot messages of that chat, in order, in their current state (deleted ones removed)."""
        return [self._public(s) for s in self._messages.get(chat_id, {}).values() if s.from_bot and not s.deleted]

    async def wait_for_messages(self, chat_id: int, count: int, timeout: float = 5.0) -> list[dict]:
        """Wait for ``count`` bot messages sent to the chat since the last wait; return them all.

        Messages deleted meanwhile are included, with ``"deleted": True``.
        """
        sent = self._sent.setdefault(chat_id, [])
        seen = self._sent_seen.get(chat_id, 0)

        def describe() -> str:
            texts = [self._text(chat_id, mid) for mid in sent[seen:]]
            return f"expected {count} new bot message(s) in chat {chat_id}, got {texts}"

        await self._wait(lambda: len(sent) - seen >= count, timeout, describe)
        self._sent_seen[chat_id] = len(sent)
        return [self._public(self._messages[chat_id][mid]) for mid in sent[seen:]]

    def clear(self, chat_id: int) -> None:
        """Mark every message sent so far to that chat as seen by ``wait_for_messages``."""
        self._sent_seen[chat_id] = len(self._sent.get(chat_id, []))

    async def wait_for_edit(self, chat_id: int, message_id: int, timeout: float = 5.0) -> dict:
        """Wait for an edit of that message not yet returned by ``wait_for_edit``; return it."""
        key = (chat_id, message_id)
        seen = self._edits_seen.get(key, 0)

        def edits() -> int:
            stored = self._messages.get(chat_id, {}).get(message_id)
            return stored.edits if stored else 0

        def describe() -> str:
            return f"no edit of message {message_id} in chat {chat_id}: {self._text(*key)!r}"

        await self._wait(lambda: edits() > seen, timeout, describe)
        self._edits_seen[key] = edits()
        return self._public(self._messages[chat_id][message_id])

    def answers(self) -> dict[str, dict]:
        """answerCallbackQuery calls by query id."""
        return copy.deepcopy(self._answers)

    async def wait_for_answer(self, query_id: str, timeout: float = 5.0) -> dict:
        """Wait until that callback query is answered; return the answer."""
        await self._wait(
            lambda: query_id in self._answers,
            timeout,
            lambda: f"callback query {query_id} was not answered",
        )
        return copy.deepcopy(self._answers[query_id])

    def commands(self, language_code: str = "", scope: str = "default") -> list[dict]:
        """The last setMyCommands for that language and scope (``"chat:<id>"`` for chat scopes)."""
        return copy.deepcopy(self._commands.get((scope, language_code), []))

    def fail_next(
        self,
        method: str,
        status: int,
        *,
        retry_after: int | None = None,
        times: int = 1,
        description: str | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail with that HTTP status."""
        if method.lower() not in self._methods:
            raise ValueError(f"FakeTelegram does not serve {method!r}")
        name = self._methods[method.lower()][0]
        parameters = None
        if status == 429:
            retry_after = retry_after or 1
            description = description or f"Too Many Requests: retry after {retry_after}"
            parameters = {"retry_after": retry_after}
        description = description or HTTPStatus(status).phrase
        error = ApiError(status, description, parameters)
        self._failures.setdefault(name, []).extend([error] * times)

    def enforce_limits(self, limits: Limits | None = None) -> None:
        """Answer 429 with `retry_after`, as Telegram does, to messages over its limits."""
        self._limits = limits or Limits()

    def _check_limits(self, name: str, params: dict) -> None:
        if self._limits is None or name not in _COUNTED:
            return
        now = time.monotonic()
        chat_id = params.get("chat_id")
        private = isinstance(chat_id, int) and chat_id > 0
        cells = [("", 1 / self._limits.per_second, self._limits.burst)]
        if chat_id is not None:
            interval = 1.0 if private else 60 / self._limits.group_per_minute
            cells.append((chat_id, interval, self._limits.chat_burst))
        waits = [max(self._cells.get(key, now), now) - now - (burst - 1) * interval for key, interval, burst in cells]
        if max(waits) > 0:
            self.too_many += 1
            retry = max(1, math.ceil(max(waits)))
            raise ApiError(429, f"Too Many Requests: retry after {retry}", {"retry_after": retry})
        for key, interval, _ in cells:
            self._cells[key] = max(self._cells.get(key, now), now) + interval

    def heal(self, method: str) -> None:
        """Stop failing ``method`` (drop the failures ``fail_next`` queued)."""
        self._failures.pop(self._methods[method.lower()][0], None)

    def slow(self, method: str, seconds: float) -> None:
        """Answer ``method`` only after ``seconds`` (a loaded server); 0 to stop."""
        self._delays[self._methods[method.lower()][0]] = seconds

    # ----------------------------------------------------------------------- internals

    def _private_chat(self, user: dict) -> dict:
        chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        if user.get("username"):
            chat["username"] = user["username"]
        self._chats[user["id"]] = chat
        self._messages.setdefault(user["id"], {})
        return copy.deepcopy(chat)

    def _new_message_id(self, chat_id: int) -> int:
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        return message_id

    def _bot_message(self, chat_id: int, message_id: int) -> _Stored:
        stored = self._messages.get(chat_id, {}).get(message_id)
        if stored is None or not stored.from_bot or stored.deleted:
            raise AssertionError(f"no bot message {message_id} in chat {chat_id}")
        return stored

    def _public(self, stored: _Stored) -> dict:
        message = copy.deepcopy(stored.message)
        message["parse_mode"] = stored.parse_mode
        message["edited"] = stored.edits > 0
        if stored.deleted:
            message["deleted"] = True
        return message

    def _text(self, chat_id: int, message_id: int) -> str | None:
        stored = self._messages.get(chat_id, {}).get(message_id)
        if stored is None:
            return None
        return stored.message.get("text") or stored.message.get("caption")

    def _bot_user(self) -> dict:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Vigie",
            "username": self.bot_username,
        }

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def _wait(self, predicate: Callable[[], bool], timeout: float, describe: Callable[[], str]) -> None:
        try:
            async with asyncio.timeout(timeout), self._changed:
                await self._changed.wait_for(predicate)
        except TimeoutError:
            raise AssertionError(f"timed out after {timeout}s: {describe()}") from None

    async def _enqueue(self, kind: str, payload: dict) -> None:
        self._updates.append({"update_id": next(self._ids), kind: payload})
        await self._notify()

    # ----------------------------------------------------------------------- HTTP layer

    async def _not_found(self, request: web.Request) -> web.Response:
        return web.json_response(ApiError(404, "Not Found").body(), status=404)

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        try:
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            params = await _read_params(request)
            name, handler = self._methods.get(method.lower(), (method, None))
            self.calls.append((name, params))
            if handler is None:
                raise ApiError(404, "Not Found")
            failures = self._failures.get(name)
            if failures:
                raise failures.pop(0)
            self._check_limits(name, params)
            if self._delays.get(name):
                await asyncio.sleep(self._delays[name])
            result = await handler(params)
        except ApiError as error:
            return web.json_response(error.body(), status=error.code)
        return web.json_response({"ok": True, "result": result})

    # ----------------------------------------------------------------------- validation helpers

    def _chat_id(self, params: dict, *, sending: bool = False) -> int:
        chat_id = params.get("chat_id")
        if chat_id in (None, ""):
            raise _bad("chat_id is empty")
        if chat_id not in self._chats:
            raise _bad("chat not found")
        if sending and chat_id in self._blocked:
            if chat_id < 0:
                raise ApiError(403, "Forbidden: bot was kicked from the group chat")
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat_id

    def _formatted(self, params: dict, field: str, limit: int, too_long: str) -> dict:
        """Parse text/caption with parse_mode or entities; return the Message fields."""
        raw = params.get(field)
        raw = "" if raw is None else str(raw)
        parse_mode = params.get("parse_mode") or None
        entities = params.get("entities" if field == "text" else "caption_entities") or []
        mode = parse_mode.lower() if parse_mode else None
        if mode == "html":
            raw, entities = parse_html(raw)
        elif mode not in (None, "markdown", "markdownv2"):
            raise _bad("unsupported parse_mode")
        if not isinstance(entities, list):
            raise _bad(f"can't parse {field} entities JSON object")
        if field == "text" and not raw.strip():
            raise _bad("message text is empty")
        if utf16_len(raw) > limit:
            raise _bad(too_long)
        fields: dict[str, Any] = {}
        if raw:
            fields[field] = raw
        if entities:
            fields["entities" if field == "text" else "caption_entities"] = entities
        return fields

    def _markup(self, params: dict, *, inline_only: bool = False) -> dict | None:
        """Validate reply_markup; return the inline keyboard to store on the message, if any."""
        markup = params.get("reply_markup")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise _bad("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" not in markup:
            if inline_only or not {"keyboard", "remove_keyboard", "force_reply"} & markup.keys():
                raise _bad("inline keyboard expected")
            return None
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise _bad('field "inline_keyboard" must be an Array of Arrays')
        for button in (b for row in rows for b in row):
            _check_button(button)
        rows = [copy.deepcopy(row) for row in rows if row]
        return {"inline_keyboard": rows} if rows else None

    def _reply_to(self, params: dict, chat_id: int) -> dict:
        reply = params.get("reply_parameters") or {}
        message_id = reply.get("message_id") or params.get("reply_to_message_id")
        if not message_id:
            return {}
        stored = self._messages[chat_id].get(int(message_id))
        if stored and not stored.deleted:
            return {"reply_to_message": copy.deepcopy(stored.message)}
        if reply.get("allow_sending_without_reply") or params.get("allow_sending_without_reply"):
            return {}
        raise _bad("message to be replied not found")

    def _editable(self, params: dict) -> _Stored:
        if params.get("inline_message_id"):
            raise _bad("MESSAGE_ID_INVALID")
        chat_id = self._chat_id(params)
        if not params.get("message_id"):
            raise _bad("message identifier is not specified")
        stored = self._messages[chat_id].get(params["message_id"])
        if stored is None or stored.deleted:
            raise _bad("message to edit not found")
        if not stored.from_bot:
            raise _bad("message can't be edited")
        return stored

    async def _store_bot_message(self, chat_id: int, fields: dict, parse_mode: str | None) -> dict:
        message_id = self._new_message_id(chat_id)
        message = {
            "message_id": message_id,
            "from": self._bot_user(),
            "chat": copy.deepcopy(self._chats[chat_id]),
            "date": int(time.time()),
            **fields,
        }
        self._messages[chat_id][message_id] = _Stored(message, True, parse_mode)
        self._sent.setdefault(chat_id, []).append(message_id)
        self.accepted.append((chat_id, time.time()))
        await self._notify()
        return copy.deepcopy(message)

    async def _apply_edit(self, stored: _Stored, fields: dict, parse_mode: str | None) -> dict:
        keys = ("text", "entities", "caption", "caption_entities", "photo", "reply_markup")
        if all(stored.message.get(k) == fields.get(k) for k in keys):
            raise _bad(_NOT_MODIFIED)
        for key in keys:
            stored.message.pop(key, None)
        stored.message.update({k: v for k, v in fields.items() if v is not None})
        stored.message["edit_date"] = int(time.time())
        stored.parse_mode = parse_mode
        stored.edits += 1
        await self._notify()
        return copy.deepcopy(stored.message)

    # ----------------------------------------------------------------------- methods

    async def _true(self, params: dict) -> bool:
        return True

    async def _get_me(self, params: dict) -> dict:
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _get_updates(self, params: dict) -> list[dict]:
        if self._webhook:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = params.get("offset") or 0
        limit = min(max(params.get("limit") or 100, 1), 100)
        timeout = max(params.get("timeout") or 0, 0)
        if params.get("allowed_updates") is not None:
            self._allowed_updates = list(params["allowed_updates"])
        if offset < 0:
            self._updates = self._updates[offset:]
        elif offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        # Like Telegram, a new getUpdates terminates the one in progress.
        self._poll_generation += 1
        generation = self._poll_generation
        await self._notify()

        def ready() -> bool:
            return bool(self._closing or generation != self._poll_generation or self._pending())

        try:
            async with asyncio.timeout(timeout), self._changed:
                await self._changed.wait_for(ready)
        except TimeoutError:
            pass
        if generation != self._poll_generation:
            raise ApiError(
                409,
                "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
            )
        return copy.deepcopy(self._pending()[:limit])

    def _pending(self) -> list[dict]:
        """Pending updates, after dropping those of types not allowed."""
        allowed = set(self._allowed_updates)

        def wanted(update: dict) -> bool:
            kind = next(key for key in update if key != "update_id")
            return kind in allowed if allowed else kind not in _OPT_IN_UPDATES

        self._updates = [u for u in self._updates if wanted(u)]
        return self._updates

    async def _set_webhook(self, params: dict) -> bool:
        url = params.get("url") or ""
        if url and urlsplit(url).scheme != "https":
            raise _bad("bad webhook: An HTTPS URL must be provided for webhook")
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self._webhook = url
        await self._notify()
        return True

    async def _delete_webhook(self, params: dict) -> bool:
        return await self._set_webhook({**params, "url": ""})

    async def _get_webhook_info(self, params: dict) -> dict:
        return {
            "url": self._webhook,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    async def _send_message(self, params: dict) -> dict:
        chat_id = self._chat_id(params, sending=True)
        fields = self._formatted(params, "text", MAX_TEXT, "message is too long")
        markup = self._markup(params)
        fields.update(self._reply_to(params, chat_id))
        if markup:
            fields["reply_markup"] = markup
        return await self._store_bot_message(chat_id, fields, params.get("parse_mode"))

    async def _send_photo(self, params: dict) -> dict:
        chat_id = self._chat_id(params, sending=True)
        fields = {"photo": self._photo(params.get("photo"), params)}
        fields.update(self._formatted(params, "caption", MAX_CAPTION, "message caption is too long"))
        markup = self._markup(params)
        fields.update(self._reply_to(params, chat_id))
        if markup:
            fields["reply_markup"] = markup
        return await self._store_bot_message(chat_id, fields, params.get("parse_mode"))

    def _photo(self, photo: Any, params: dict) -> list[dict]:
        """The PhotoSize list of a photo given as an upload, an attach:// name, a file id or a URL."""
        if isinstance(photo, str) and photo.startswith("attach://"):
            photo = params.get(photo.removeprefix("attach://"))
        if isinstance(photo, dict):
            if not photo["data"]:
                raise _bad("file must be non-empty")
            file_id = f"AgACAgFake{next(self._ids)}"
            self._files[file_id] = {**photo, "file_id": file_id}
        elif isinstance(photo, str) and (photo in self._files or photo.startswith("http")):
            file_id = photo if photo in self._files else f"AgACAgFake{next(self._ids)}"
            self._files.setdefault(file_id, {"file_id": file_id, "data": b"", "url": photo})
        elif photo:
            raise _bad("wrong remote file identifier specified: Wrong string length")
        else:
            raise _bad("there is no photo in the request")
        size = len(self._files[file_id]["data"])
        return [
            {
                "file_id": file_id,
                "file_unique_id": f"AQAD{file_id[-8:]}",
                "width": 320,
                "height": 240,
                "file_size": size,
            }
        ]

    async def _send_chat_action(self, params: dict) -> bool:
        self._chat_id(params, sending=True)
        if params.get("action") not in _CHAT_ACTIONS:
            raise _bad("wrong parameter action in request")
        return True

    async def _edit_message_text(self, params: dict) -> dict:
        stored = self._editable(params)
        if "text" not in stored.message:
            raise _bad("there is no text in the message to edit")
        fields = self._formatted(params, "text", MAX_TEXT, "message is too long")
        fields["reply_markup"] = self._markup(params, inline_only=True)
        return await self._apply_edit(stored, fields, params.get("parse_mode"))

    async def _edit_message_media(self, params: dict) -> dict:
        stored = self._editable(params)
        media = params.get("media")
        if not isinstance(media, dict) or media.get("type") != "photo":
            raise _bad("can't parse InputMedia: media type not supported here")
        if "photo" not in stored.message:
            raise _bad("there is no media in the message to edit")
        fields: dict[str, Any] = {"photo": self._photo(media.get("media"), params)}
        fields.update(self._formatted(media, "caption", MAX_CAPTION, "message caption is too long"))
        fields["reply_markup"] = self._markup(params, inline_only=True)
        return await self._apply_edit(stored, fields, media.get("parse_mode"))

    async def _edit_message_reply_markup(self, params: dict) -> dict:
        stored = self._editable(params)
        fields = {k: stored.message.get(k) for k in ("text", "entities", "caption", "caption_entities", "photo")}
        fields["reply_markup"] = self._markup(params, inline_only=True)
        return await self._apply_edit(stored, fields, stored.parse_mode)

    async def _delete_message(self, params: dict) -> bool:
        chat_id = self._chat_id(params)
        stored = self._messages[chat_id].get(params.get("message_id"))
        if stored is None or stored.deleted:
            raise _bad("message to delete not found")
        stored.deleted = True
        await self._notify()
        return True

    async def _answer_callback_query(self, params: dict) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        if self._queries.get(query_id, True):
            raise _bad("query is too old and response timeout expired or query ID is invalid")
        text = params.get("text")
        if text and len(text) > MAX_CALLBACK_ANSWER:
            raise _bad("MESSAGE_TOO_LONG")
        self._queries[query_id] = True
        self._answers[query_id] = {
            "text": text,
            "show_alert": bool(params.get("show_alert")),
            "url": params.get("url"),
        }
        await self._notify()
        return True

    def _commands_key(self, params: dict) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        if not isinstance(scope, dict) or scope.get("type") not in _SCOPES:
            raise _bad("can't parse BotCommandScope JSON object")
        key = scope["type"]
        if key.startswith("chat"):
            if "chat_id" not in scope:
                raise _bad("chat_id is empty")
            key = f"{key}:{scope['chat_id']}"
            if "user_id" in scope:
                key = f"{key}:{scope['user_id']}"
        language = params.get("language_code") or ""
        if language and not re.fullmatch(r"[a-z]{2}", language):
            raise _bad("invalid language code specified")
        return key, language

    async def _set_my_commands(self, params: dict) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or not 1 <= len(commands) <= 100:
            raise _bad("commands must be a non-empty Array of at most 100 BotCommand")
        for command in commands:
            if not isinstance(command, dict):
                raise _bad("can't parse BotCommand JSON object")
            if not _COMMAND_RE.fullmatch(str(command.get("command", ""))):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
        self._commands[self._commands_key(params)] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    async def _get_my_commands(self, params: dict) -> list[dict]:
        return copy.deepcopy(self._commands.get(self._commands_key(params), []))

    async def _delete_my_commands(self, params: dict) -> bool:
        self._commands.pop(self._commands_key(params), None)
        return True


def _check_button(button: object) -> None:
    if not isinstance(button, dict):
        raise _bad("can't parse inline keyboard button: InlineKeyboardButton must be an Object")
    if not isinstance(button.get("text"), str) or not button["text"]:
        raise _bad("can't parse inline keyboard button: Text must be non-empty")
    actions = _BUTTON_ACTIONS & button.keys()
    if not actions:
        raise _bad("text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        raise _bad("can't parse inline keyboard button: exactly one optional field must be used")
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode()) <= 64:
            raise _bad("BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        parts = urlsplit(url) if isinstance(url, str) else None
        if not parts or parts.scheme not in ("http", "https", "tg") or not parts.netloc:
            raise _bad("BUTTON_URL_INVALID")


async def _read_params(request: web.Request) -> dict:
    """Collect query-string, JSON, urlencoded and multipart parameters, decoded."""
    params: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        body = await request.read()
        try:
            data = json.loads(body) if body.strip() else {}
        except ValueError:
            raise _bad("can't parse JSON object") from None
        if not isinstance(data, dict):
            raise _bad("can't parse JSON object")
        params.update(data)
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for key, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                value = {
                    "filename": value.filename,
                    "content_type": value.content_type,
                    "data": value.file.read(),
                }
            params[key] = value
    return {key: _decode(key, value) for key, value in params.items()}


def _decode(key: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if key in _JSON_FIELDS:
        try:
            return json.loads(value)
        except ValueError:
            raise _bad(f"can't parse {key} JSON object") from None
    if key in _BOOL_FIELDS:
        return value.lower() in ("true", "1")
    if key in _INT_FIELDS or (key == "chat_id" and re.fullmatch(r"-?\d+", value)):
        try:
            return int(value)
        except ValueError:
            raise _bad(f"wrong parameter {key} specified") from None
    return value
