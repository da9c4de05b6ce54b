"""`python -m bot console`: chat with Vigie in the terminal, offline.

The real Application runs with a request backend that answers the Bot API locally: what the
bot sends is printed as plain text, each inline button as `[N] label`, an edited message again
under a mark. One line of input is one message; typing `N` presses button N of the last message
that had buttons. The worker runs too (bot.runtime, on the console's Redis): the sample sources
are polled, confirmed posts go to the sample X server after their cooling-off, and what the
worker sends (countdowns, links, alerts, briefings) is printed as it comes. End of input waits
for the confirmed posts to go out (at most SETTLE_LIMIT), then quits; Ctrl-C quits at once.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import getpass
import html
import itertools
import json
import math
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Coroutine
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, TextIO, TypeVar

from pydantic import SecretStr
from telegram import Update
from telegram.request import BaseRequest, RequestData

from bot import watchlist
from bot.app import build_application
from bot.config import Settings
from bot.feeds import add_feed
from bot.ingest import Ingest
from bot.model import NEWS, Draft, DraftState
from bot.outage import is_outage
from bot.render.html import CAPTION, MESSAGE, utf16_length
from bot.render.i18n import plain
from bot.runtime import run
from bot.samples import data
from bot.samples.crisis import demo_crisis
from bot.samples.server import APP_TOKEN, SAMPLE_HOST, USER_TOKEN, SampleServer
from bot.services import Services, open_services
from bot.text import is_number

CONSOLE_USER_ID = 1000001
BOT_USER = {
    "id": 1000000,
    "is_bot": True,
    "first_name": "Vigie",
    "username": "vigie_console_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
_TAG = re.compile(r"<[^>]+>")
_PORTED_SAMPLE = re.compile(r"http://127\.0\.0\.1:\d+/feeds/")  # a sample feed as earlier versions stored it
T = TypeVar("T")
# The console polls its local samples as often as the settings allow (seconds).
PACE = {"x_search_interval": 30, "feed_interval": 60, "trends_interval": 60}
SETTLE_GRACE = 30.0  # end of input waits this long past the last confirmed post's time
SETTLE_LIMIT = 300.0  # and never longer than this
SETTLE_LOOK = 0.2  # seconds between looks at what is left
SEEDING = "console:seed"  # the lease of the console seeding the samples (two may start at once)
SEEDING_TTL = 60.0  # seconds, renewed while it seeds
SEEDING_WAIT = 120.0  # a console finding another seeding waits this long at most
LANGUAGE_LOOK = 1.0  # seconds the member's language is looked for before a print, at most
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


def html_to_text(text: str) -> str:
    """Telegram HTML as a terminal shows it: tags dropped, entities decoded."""
    return html.unescape(_TAG.sub("", text))


class _Links(HTMLParser):
    """Telegram HTML's text and its links, as Telegram makes them (text_link entities, offsets
    in UTF-16 code units)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.entities: list[dict[str, Any]] = []
        self._open: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._open.append((utf16_length(self.text), dict(attrs).get("href") or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open:
            start, url = self._open.pop()
            if url and (length := utf16_length(self.text) - start):
                self.entities.append({"type": "text_link", "offset": start, "length": length, "url": url})

    def handle_data(self, data: str) -> None:
        self.text += data


def telegram_text(markup: str) -> tuple[str, list[dict[str, Any]]]:
    """Telegram HTML as the message Telegram keeps: its text and its links."""
    parser = _Links()
    parser.feed(markup)
    parser.close()
    return parser.text, parser.entities


def buttons_of(message: dict[str, Any]) -> list[dict[str, Any]]:
    """A message's inline buttons, row after row."""
    return [button for row in message.get("reply_markup", {}).get("inline_keyboard", []) for button in row]


def _person_name() -> str:
    try:
        return getpass.getuser().capitalize()
    except (KeyError, OSError):
        return "Console"


class ConsoleRequest(BaseRequest):
    """Answers the Bot API methods the bot calls by printing what a chat would show. The
    Application's replies and the worker's sender share it (one chat, one list of messages)."""

    def __init__(
        self,
        out: TextIO,
        language: str = "fr",
        pictures: Path | None = None,
        follow: Callable[[], Awaitable[str]] | None = None,
    ) -> None:
        self._out = out
        self.language = language  # hints and marks are in it: `follow` tells it before each print
        self._follow = follow
        self._pictures = pictures  # where the pictures sent are saved (a crisis alert's chart)
        self._message_ids = itertools.count(1)
        self._files: dict[str, Path] = {}  # file id -> the picture saved
        self.messages: dict[int, dict[str, Any]] = {}
        self.last_sent = 0  # the id of Vigie's last new message (what `> TEXT` replies to)
        self.with_buttons = 0  # the id of the last message printed with buttons (what `N` presses)
        self.prompt = ""  # shown while a person is typing: a message printed meanwhile shows it again

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, *args: Any, **kwargs: Any
    ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        files = request_data.multipart_data if request_data else {}
        handler = getattr(self, f"_{name}", None)
        if self._follow is not None and name.startswith(("send", "edit")):
            self.language = await self._follow()
        if handler is None:
            result: Any = True
        else:
            result = handler(params, files)
        if isinstance(result, tuple):  # an error: (status, description)
            status, description = result
            body = {"ok": False, "error_code": status, "description": description}
            return status, json.dumps(body).encode()
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _getMe(self, params: dict[str, Any], files: dict) -> dict[str, Any]:
        return BOT_USER

    def _new(self, params: dict[str, Any], **content: Any) -> dict[str, Any]:
        content = {k: v for k, v in content.items() if v}  # no empty entities
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": int(params["chat_id"]), "type": "private"},
            "from": BOT_USER,
            **content,
        }
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self.messages[message["message_id"]] = message
        self.last_sent = message["message_id"]
        return message

    def _sendMessage(self, params: dict[str, Any], files: dict) -> dict[str, Any]:
        text, entities = telegram_text(str(params.get("text", "")))
        message = self._new(params, text=text, entities=entities)
        self._print(message)
        return message

    def _sendPhoto(self, params: dict[str, Any], files: dict) -> dict[str, Any]:
        caption, entities = telegram_text(str(params.get("caption") or ""))
        message = self._new(params, caption=caption, caption_entities=entities)
        message["photo"] = [self._picture(message["message_id"], str(params.get("photo", "")), files)]
        self._print(message)
        return message

    def _edited(self, params: dict[str, Any], key: str, value: str) -> dict[str, Any] | tuple[int, str]:
        """The message with `key` (text or caption) and buttons replaced; one this run never
        sent (an earlier console's: a countdown, an alert's evolution) is shown all the same."""
        message_id = int(params.get("message_id", 0))
        markup = params.get("reply_markup") or None
        message = self.messages.get(message_id)
        if message is None:
            message = self.messages[message_id] = {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": {"id": int(params.get("chat_id", CONSOLE_USER_ID)), "type": "private"},
                "from": BOT_USER,
            }
        elif message.get(key) == value and message.get("reply_markup") == markup and "media" not in params:
            return 400, NOT_MODIFIED
        message[key] = value
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        message["edit_date"] = int(time.time())
        return message

    def _editMessageText(self, params: dict[str, Any], files: dict) -> dict[str, Any] | tuple[int, str]:
        text, entities = telegram_text(str(params.get("text", "")))
        message = self._edited(params, "text", text)
        if isinstance(message, dict):
            message.pop("entities", None)
            if entities:
                message["entities"] = entities
            self._print(message, edited=True)
        return message

    def _editMessageMedia(self, params: dict[str, Any], files: dict) -> dict[str, Any] | tuple[int, str]:
        media = params.get("media")
        media = json.loads(media) if isinstance(media, str) else media or {}
        message = self._edited(params, "caption", html_to_text(str(media.get("caption") or "")))
        if isinstance(message, dict):
            message["photo"] = [self._picture(message["message_id"], str(media.get("media", "")), files)]
            self._print(message, edited=True)
        return message

    def _deleteMessage(self, params: dict[str, Any], files: dict) -> bool:
        self.messages.pop(int(params.get("message_id", 0)), None)
        return True

    def _answerCallbackQuery(self, params: dict[str, Any], files: dict) -> bool:
        if params.get("text"):
            self._write(f"» {params['text']}\n\n")
        return True

    def _picture(self, message_id: int, photo: str, files: dict) -> dict[str, Any]:
        """A sent picture as Telegram describes it; its bytes saved when they came with it."""
        name = photo.removeprefix("attach://")
        upload = files.get(name) if photo.startswith("attach://") else None
        file_id = f"console-{message_id}-{len(self._files)}" if upload else photo
        if upload and self._pictures is not None:
            self._pictures.mkdir(parents=True, exist_ok=True)
            path = self._pictures / f"{message_id}-{len(self._files)}.png"
            path.write_bytes(upload[1])
            self._files[file_id] = path
        return {"file_id": file_id, "file_unique_id": file_id, "width": 1200, "height": 600}

    def _print(self, message: dict[str, Any], edited: bool = False) -> None:
        lines = [plain(self.language, "console_edited")] if edited else []
        body = message.get("text", message.get("caption", ""))
        lines.append(body)
        limit = MESSAGE if "text" in message else CAPTION
        if utf16_length(body) > limit:  # Telegram would refuse it: bot.delivery.fitting let it through
            lines.append(plain(self.language, "console_too_long", length=utf16_length(body), limit=limit))
        if message.get("photo"):
            path = self._files.get(message["photo"][-1]["file_id"])
            if path is not None:
                lines.append(plain(self.language, "console_demo_chart", path=path))
        if message["chat"]["id"] != CONSOLE_USER_ID:  # e.g. a notice to a new team member
            self._write(f"(→ {message['chat']['id']}) " + "\n".join(lines) + "\n\n")
            return
        buttons = buttons_of(message)
        if buttons:
            self.with_buttons = message["message_id"]
            lines += [f"[{n}] {b['text']}" for n, b in enumerate(buttons, 1)]
        self._write("\n".join(lines) + "\n\n")

    def _write(self, text: str) -> None:
        """Print, around the prompt when a person is typing."""
        if self.prompt:
            text = "\n" + text + self.prompt
        self._out.write(text)
        self._out.flush()


class Console:
    """Turns lines typed by one person into Telegram updates for the Application."""

    def __init__(self, services: Services, out: TextIO) -> None:
        self._out = out
        self._services = services
        self.request = ConsoleRequest(
            out, services.settings.language, services.settings.data_dir / "pictures", self._member_language
        )
        self._application = build_application(services, token="0:console", request=self.request)
        self._ids = itertools.count(1)
        self._user = {
            "id": CONSOLE_USER_ID,
            "is_bot": False,
            "first_name": _person_name(),
            "language_code": services.settings.language,
        }

    async def handle(self, line: str) -> None:
        line = line.strip()
        if not line:
            return
        if line.lower() in ("/demo crisis", "/demo crise"):
            await self._demo_crisis()
            return
        update = self._button_press(int(line)) if is_number(line) else self._message(line)
        if update is not None:
            await self._application.process_update(Update.de_json(update, self._application.bot))

    @property
    def _language(self) -> str:
        return self.request.language

    def _sender(self) -> dict[str, Any]:
        """The person as Telegram describes them, their app in the language they chose."""
        return {**self._user, "language_code": self._language}

    async def _member_language(self) -> str:
        """The member's language, as set with /settings (the configured one until then); while
        Redis cannot tell, the one spoken so far (what is printed then must not wait for it)."""
        try:
            async with asyncio.timeout(LANGUAGE_LOOK):
                profile = await self._services.store.users.get(CONSOLE_USER_ID)
        except Exception as exc:
            if isinstance(exc, TimeoutError) or is_outage(exc):
                return self.request.language
            raise
        return profile.language if profile else self._services.settings.language

    async def _demo_crisis(self) -> None:
        """A crisis replayed on the first sample watch: the alert as it reads, its chart saved."""
        services = self._services
        watch = await watchlist.find(services.store, data.WATCHES[0][0])
        if watch is None:
            self._out.write(plain(self._language, "console_demo_no_watch") + "\n\n")
            return
        text, path = await demo_crisis(services, watch, self._language, services.settings.timezone, time.time())
        self._out.write(html_to_text(text) + "\n" + plain(self._language, "console_demo_chart", path=path) + "\n\n")
        self._out.flush()

    def _message(self, text: str) -> dict[str, Any]:
        """What the member typed; `> TEXT` is TEXT sent as a reply to Vigie's last message."""
        replied = self.request.messages.get(self.request.last_sent) if text.startswith(">") else None
        text = text.removeprefix(">").strip() if replied else text
        message: dict[str, Any] = {
            "message_id": next(self._ids),
            "date": int(time.time()),
            "chat": {"id": CONSOLE_USER_ID, "type": "private", "first_name": self._user["first_name"]},
            "from": self._sender(),
            "text": text,
        }
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        if replied:
            message["reply_to_message"] = replied
        return {"update_id": next(self._ids), "message": message}

    def _button_press(self, number: int) -> dict[str, Any] | None:
        """Button `number` of the last message printed with buttons, as it is now: one an edit
        removed, or a message deleted since, is no longer there."""
        message = self.request.messages.get(self.request.with_buttons)
        buttons = buttons_of(message) if message else []
        if not 1 <= number <= len(buttons):
            gone = self.request.with_buttons and not buttons  # edited away or deleted since
            hint = plain(self._language, "console_buttons_gone" if gone else "console_no_button", number=number)
            self._out.write(hint + "\n\n")
            return None
        button = buttons[number - 1]
        if "callback_data" not in button:
            self._out.write(f"{button.get('url', '')}\n\n")
            return None
        return {
            "update_id": next(self._ids),
            "callback_query": {
                "id": str(next(self._ids)),
                "from": self._sender(),
                "chat_instance": "console",
                "message": message,
                "data": button["callback_data"],
            },
        }

    async def run(self, stdin: TextIO) -> None:
        """One message per line until end of input (then what was confirmed goes out first) or
        Ctrl-C (at once)."""
        interactive = stdin.isatty()
        self.request.language = await self._member_language()
        if interactive:
            self._out.write(plain(self._language, "console_intro") + "\n\n")
        interrupted = asyncio.Event()
        loop = asyncio.get_running_loop()
        with contextlib.suppress(ValueError, RuntimeError, NotImplementedError):  # not the main thread
            loop.add_signal_handler(signal.SIGINT, interrupted.set)
        try:
            async with self._application:
                lines = _Lines(stdin)
                while True:
                    if interactive:
                        self._say("› ", end="")
                        self.request.prompt = "› "
                    line = await _first(lines.next(), interrupted)
                    self.request.prompt = ""
                    if not line:  # end of input, or Ctrl-C (None)
                        if interactive or line is None:
                            self._say("")
                        await self._settle(interrupted)
                        break
                    if not interactive and line.strip():
                        self._say(f"› {line.strip()}")
                    await self.handle(line)
        finally:
            with contextlib.suppress(ValueError, RuntimeError, NotImplementedError):
                loop.remove_signal_handler(signal.SIGINT)

    async def _settle(self, interrupted: asyncio.Event) -> None:
        """Before quitting: wait for the confirmed posts to go out on X and for what the worker
        has queued for this chat to be printed, until SETTLE_GRACE past the last post's time,
        at most SETTLE_LIMIT; Ctrl-C stops waiting. Posts left behind go out at the next start."""
        store = self._services.store
        loop = asyncio.get_running_loop()
        limit = loop.time() + SETTLE_LIMIT
        told = False
        while True:
            posts = await self._confirmed_posts()
            if not posts and await store.delivery.idle():
                return
            last = max((draft.send_at for draft in posts), default=time.time())
            left = min(last - time.time() + SETTLE_GRACE, limit - loop.time())
            if left <= 0 or interrupted.is_set():
                if posts:
                    self._say(plain(self._language, "console_left_pending", n=len(posts)) + "\n")
                return
            if posts and not told:
                self._say(plain(self._language, "console_waiting", n=len(posts), seconds=math.ceil(left)) + "\n")
                told = True
            await _first(asyncio.sleep(SETTLE_LOOK), interrupted)

    async def _confirmed_posts(self) -> list[Draft]:
        """Posts in their cooling-off or being sent, unless posting is paused (they wait for an
        owner to resume it, however long)."""
        store = self._services.store
        if await store.posting.hold() is not None:
            return []
        drafts = [await store.posting.get(draft_id) for draft_id in await store.posting.cooling()]
        return [d for d in drafts if d is not None and d.state in (DraftState.COOLING, DraftState.SENDING)]

    def _say(self, text: str, end: str = "\n") -> None:
        self._out.write(text + end)
        self._out.flush()


class _Lines:
    """Standard input's lines, read in a thread of its own: quitting never waits for a line
    being typed. A terminal or pipe is read with os.read (a thread blocked in sys.stdin's
    buffer would hold its lock at interpreter exit); other streams (tests) with readline."""

    def __init__(self, stdin: TextIO) -> None:
        self._loop = asyncio.get_running_loop()
        self._queue: asyncio.Queue[str] = asyncio.Queue()
        threading.Thread(target=self._read, args=(stdin,), name="console-input", daemon=True).start()

    async def next(self) -> str:
        """The next line, with its end of line; "" at end of input."""
        return await self._queue.get()

    def _read(self, stdin: TextIO) -> None:
        try:
            fd: int | None = stdin.fileno()
        except (AttributeError, OSError, ValueError):
            fd = None
        if fd is None:
            for line in iter(stdin.readline, ""):
                self._put(line)
        else:
            decoder = codecs.getincrementaldecoder(getattr(stdin, "encoding", None) or "utf-8")(errors="replace")
            pending = ""
            while chunk := os.read(fd, 65536):
                pending += decoder.decode(chunk)
                *complete, pending = pending.split("\n")
                for line in complete:
                    self._put(line + "\n")
            pending += decoder.decode(b"", final=True)
            if pending:
                self._put(pending)
        self._put("")

    def _put(self, line: str) -> None:
        with contextlib.suppress(RuntimeError):  # the console has quit: nobody reads any more
            self._loop.call_soon_threadsafe(self._queue.put_nowait, line)


async def _first(waiting: Coroutine[Any, Any, T], interrupted: asyncio.Event) -> T | None:
    """What `waiting` gives, or None when `interrupted` is set first (`waiting` is cancelled)."""
    task = asyncio.ensure_future(waiting)
    stop = asyncio.ensure_future(interrupted.wait())
    try:
        await asyncio.wait({task, stop}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stop.cancel()
    if not task.done():
        task.cancel()
        return None
    return task.result()


async def _seed(services: Services) -> None:
    """The sample watches and feeds, once per data directory (by one console when two start at
    once): what the person changes afterwards (a sample watch removed, a feed attached) stays.
    Then one ingest cycle. The sample feeds are stored by their name (SampleServer.feed_url),
    which every console serves itself; those an earlier version stored at its own port go. The
    sample X starts afresh: what was posted to it in an earlier run is no longer there."""
    store = services.store
    await store.posting.forget_sent()
    async with store.system.lease(SEEDING, SEEDING_TTL) as lease:
        if lease is not None and not await store.system.seeded():
            await _seed_samples(services)
            await store.system.set_seeded()
    if lease is None:  # another console seeds this data right now: its samples are these
        await store.system.released(SEEDING, SEEDING_WAIT)
    await Ingest(services).cycle()


async def _seed_samples(services: Services) -> None:
    """The sample watches, their feeds and the news feeds, in place of earlier versions' ones."""
    store = services.store
    for feed in await store.feeds.all():
        if _PORTED_SAMPLE.match(feed.url):
            await store.feeds.delete(feed.id)
    for name, query, feed_keys in data.WATCHES:
        watch = await watchlist.find(store, name)
        if watch is None:
            watch = await watchlist.create(store, name, query, CONSOLE_USER_ID)
        for key in feed_keys:
            await add_feed(services, SampleServer.feed_url(key), watch.id, CONSOLE_USER_ID)
    for key in data.NEWS_FEEDS:
        await add_feed(services, SampleServer.feed_url(key), NEWS, CONSOLE_USER_ID)


def console_settings(settings: Settings, samples_url: str) -> Settings:
    """The console's own world: an embedded Redis in `<VIGIE_DATA_DIR>/console`, the sample X
    (its account posts and follows) and feeds polled at the shortest intervals (PACE), the
    console user an owner, no credential of the real deployment (a configured Redis, X or
    Telegram is never touched). The cooling-off is VIGIE_COOLING_OFF's, as in the bot."""
    return settings.model_copy(
        update={
            "redis_url": None,
            "data_dir": settings.data_dir / "console",
            "telegram_bot_token": None,
            "x_bearer_token": SecretStr(APP_TOKEN),
            "x_user_access_token": SecretStr(USER_TOKEN),
            "x_api_key": None,
            "x_api_secret": None,
            "x_access_token": None,
            "x_access_token_secret": None,
            "x_api_url": samples_url,
            "webhook_url": None,
            "metrics_port": None,
            "owner_ids": settings.owner_ids | {CONSOLE_USER_ID},
            **PACE,
        }
    )


async def run_console(settings: Settings, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> None:
    """The console and the worker on the console's own embedded Redis, with the bundled sample
    sources; the worker stops when the console does."""
    samples = SampleServer()
    await samples.start()
    try:
        settings = console_settings(settings, samples.url)
        async with open_services(settings, local_hosts={SAMPLE_HOST: samples.port}) as services:
            await _seed(services)
            console = Console(services, out)
            stop = asyncio.Event()
            worker = asyncio.create_task(run(services, "", bot=False, stop=stop, request=console.request))
            try:
                await console.run(stdin)
            finally:
                stop.set()
                await worker
    finally:
        await samples.stop()
