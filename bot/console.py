"""`python -m bot console`: chat with Vigie in the terminal, offline.

The real Application runs with a request backend that answers the Bot API locally: what the
bot sends is printed as plain text, each inline button as `[N] label`. One line of input is
one message; typing `N` presses button N of the last message that had buttons.
"""

from __future__ import annotations

import asyncio
import getpass
import html
import itertools
import json
import re
import sys
import time
from typing import Any, TextIO

from pydantic import SecretStr
from telegram import Update
from telegram.request import BaseRequest, RequestData

from bot import watchlist
from bot.app import build_application
from bot.config import Settings
from bot.feeds import add_feed
from bot.ingest import Ingest
from bot.model import NEWS
from bot.render.i18n import plain
from bot.samples import data
from bot.samples.crisis import demo_crisis
from bot.samples.server import SampleServer
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


def html_to_text(text: str) -> str:
    """Telegram HTML as a terminal shows it: tags dropped, entities decoded."""
    return html.unescape(_TAG.sub("", text))


def _person_name() -> str:
    try:
        return getpass.getuser().capitalize()
    except (KeyError, OSError):
        return "Console"


class ConsoleRequest(BaseRequest):
    """Answers the Bot API methods the bot calls by printing what a chat would show."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._message_ids = itertools.count(1)
        self.messages: dict[int, dict[str, Any]] = {}
        self.buttons: tuple[int, list[dict[str, Any]]] | None = None  # (message id, buttons)

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
        handler = getattr(self, f"_{name}", None)
        if handler is None:
            result: Any = True
        else:
            result = handler(params)
        if isinstance(result, tuple):  # an error: (status, description)
            status, description = result
            body = {"ok": False, "error_code": status, "description": description}
            return status, json.dumps(body).encode()
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return BOT_USER

    def _sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": int(params["chat_id"]), "type": "private"},
            "from": BOT_USER,
            "text": html_to_text(str(params.get("text", ""))),
        }
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self.messages[message["message_id"]] = message
        self._print(message)
        return message

    def _editMessageText(self, params: dict[str, Any]) -> dict[str, Any] | tuple[int, str]:
        message = self.messages.get(int(params.get("message_id", 0)))
        if message is None:
            return 400, "Bad Request: message to edit not found"
        message["text"] = html_to_text(str(params.get("text", "")))
        message.pop("reply_markup", None)
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self._print(message)
        return message

    def _answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        if params.get("text"):
            self._out.write(f"» {params['text']}\n\n")
            self._out.flush()
        return True

    def _print(self, message: dict[str, Any]) -> None:
        if message["chat"]["id"] != CONSOLE_USER_ID:  # e.g. a notice to a new team member
            self._out.write(f"(→ {message['chat']['id']}) {message['text']}\n\n")
            self._out.flush()
            return
        lines = [message["text"]]
        buttons = [b for row in message.get("reply_markup", {}).get("inline_keyboard", []) for b in row]
        if buttons:
            self.buttons = (message["message_id"], buttons)
            lines += [f"[{n}] {b['text']}" for n, b in enumerate(buttons, 1)]
        self._out.write("\n".join(lines) + "\n\n")
        self._out.flush()


class Console:
    """Turns lines typed by one person into Telegram updates for the Application."""

    def __init__(self, services: Services, out: TextIO) -> None:
        self._out = out
        self._services = services
        self._request = ConsoleRequest(out)
        self._application = build_application(services, token="0:console", request=self._request)
        self._ids = itertools.count(1)
        self._language = services.settings.language
        self._user = {
            "id": CONSOLE_USER_ID,
            "is_bot": False,
            "first_name": _person_name(),
            "language_code": self._language,
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
        message: dict[str, Any] = {
            "message_id": next(self._ids),
            "date": int(time.time()),
            "chat": {"id": CONSOLE_USER_ID, "type": "private", "first_name": self._user["first_name"]},
            "from": self._user,
            "text": text,
        }
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return {"update_id": next(self._ids), "message": message}

    def _button_press(self, number: int) -> dict[str, Any] | None:
        if self._request.buttons is None or not 1 <= number <= len(self._request.buttons[1]):
            self._out.write(plain(self._language, "console_no_button", number=number) + "\n\n")
            return None
        message_id, buttons = self._request.buttons
        button = buttons[number - 1]
        if "callback_data" not in button:
            self._out.write(f"{button.get('url', '')}\n\n")
            return None
        return {
            "update_id": next(self._ids),
            "callback_query": {
                "id": str(next(self._ids)),
                "from": self._user,
                "chat_instance": "console",
                "message": self._request.messages[message_id],
                "data": button["callback_data"],
            },
        }

    async def run(self, stdin: TextIO) -> None:
        interactive = stdin.isatty()
        if interactive:
            self._out.write(plain(self._language, "console_intro") + "\n\n")
        async with self._application:
            while True:
                if interactive:
                    self._out.write("› ")
                    self._out.flush()
                line = await asyncio.to_thread(stdin.readline)
                if not line:
                    break
                if not interactive and line.strip():
                    self._out.write(f"› {line.strip()}\n")
                await self.handle(line)


async def _seed(services: Services, samples: SampleServer) -> None:
    """The sample watches and feeds, pointed at this run's sample server, then one ingest cycle."""
    store = services.store
    for feed in await store.feeds.all():
        if feed.url.startswith("http://127.0.0.1:") and "/feeds/" in feed.url and not feed.url.startswith(samples.url):
            await store.feeds.delete(feed.id)  # a sample feed of an earlier run (another port)
    for name, query, feed_keys in data.WATCHES:
        watch = await watchlist.find(store, name)
        if watch is None:
            watch = await watchlist.create(store, name, query, CONSOLE_USER_ID)
        for key in feed_keys:
            await add_feed(services, samples.feed_url(key), watch.id, CONSOLE_USER_ID)
    for key in data.NEWS_FEEDS:
        await add_feed(services, samples.feed_url(key), NEWS, CONSOLE_USER_ID)
    await Ingest(services).cycle()


def console_settings(settings: Settings, samples_url: str) -> Settings:
    """The console's own world: an embedded Redis in `<VIGIE_DATA_DIR>/console`, the sample X
    and feeds, no credential of the real deployment (a configured Redis or X is never touched)."""
    return settings.model_copy(
        update={
            "redis_url": None,
            "data_dir": settings.data_dir / "console",
            "telegram_bot_token": None,
            "x_bearer_token": SecretStr("console-sample-token"),
            "x_user_access_token": None,
            "x_api_key": None,
            "x_api_secret": None,
            "x_access_token": None,
            "x_access_token_secret": None,
            "x_api_url": samples_url,
            "webhook_url": None,
            "owner_ids": settings.owner_ids | {CONSOLE_USER_ID},
            "allowed_feed_hosts": settings.allowed_feed_hosts | {"127.0.0.1"},
        }
    )


async def run_console(settings: Settings, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> None:
    """The console on its own embedded Redis, with the bundled sample sources."""
    samples = SampleServer()
    await samples.start()
    try:
        settings = console_settings(settings, samples.url)
        async with open_services(settings) as services:
            await _seed(services, samples)
            await Console(services, out).run(stdin)
    finally:
        await samples.stop()
