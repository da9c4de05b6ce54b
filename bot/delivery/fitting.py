"""The Bot every message to Telegram leaves through (the Application's replies and edits, the
delivery sender, the console): nothing it sends is longer than Telegram takes.

Telegram refuses a text over 4,096 characters after entity parsing (a caption over 1,024, a
button's answer over 200) and the message is lost. Whatever a screen holds (a long list, an echo
that escaped shortening), a text too long is split into several messages at the places a reader
would cut (bot.render.html.split_html: tags kept valid; the buttons go with the last part), and
one that cannot become several (an edit, a caption, an answer) is cut with "…". A text that fits
goes out untouched.
"""

from __future__ import annotations

import html
from typing import Any

from telegram import InputMediaPhoto, Message
from telegram.constants import ParseMode
from telegram.ext import ExtBot
from telegram.request import HTTPXRequest

from bot.render.html import CAPTION, MESSAGE, fit, split_html

ANSWER = 200  # a button's answer (answerCallbackQuery), plain text
_UNSAID = object()  # no parse mode given: the bot's default one applies
POOL = 256  # connections for the bot's requests, as python-telegram-bot's ApplicationBuilder gives


class FittingBot(ExtBot[Any]):
    """An ExtBot that splits or cuts what Telegram would refuse as too long."""

    @classmethod
    def pooled(cls, token: str, **kwargs: Any) -> FittingBot:
        """A bot with the connection pool an Application needs (many requests at once), unless
        `request` is given."""
        kwargs.setdefault("request", HTTPXRequest(connection_pool_size=POOL))
        return cls(token, **kwargs)

    async def send_message(self, chat_id: int | str, text: str, *args: Any, **kwargs: Any) -> Message:
        """Several messages when `text` is too long for one; the last (with the buttons) is returned."""
        *heads, last = self._split(text, kwargs.get("parse_mode", args[0] if args else _UNSAID))
        markup = kwargs.pop("reply_markup", None)
        for part in heads:
            await super().send_message(chat_id, part, *args, **kwargs)
        kwargs["reply_markup"] = markup
        return await super().send_message(chat_id, last, *args, **kwargs)

    async def edit_message_text(self, text: str, *args: Any, **kwargs: Any) -> Message | bool:
        mode = kwargs.get("parse_mode", args[3] if len(args) > 3 else _UNSAID)
        return await super().edit_message_text(self._cut(text, mode, MESSAGE), *args, **kwargs)

    async def send_photo(self, chat_id: int | str, photo: Any, *args: Any, **kwargs: Any) -> Message:
        if kwargs.get("caption"):
            kwargs["caption"] = self._cut(kwargs["caption"], kwargs.get("parse_mode", _UNSAID), CAPTION)
        return await super().send_photo(chat_id, photo, *args, **kwargs)

    async def edit_message_caption(self, *args: Any, **kwargs: Any) -> Message | bool:
        if kwargs.get("caption"):
            kwargs["caption"] = self._cut(kwargs["caption"], kwargs.get("parse_mode", _UNSAID), CAPTION)
        return await super().edit_message_caption(*args, **kwargs)

    async def edit_message_media(self, media: Any, *args: Any, **kwargs: Any) -> Message | bool:
        if isinstance(media, InputMediaPhoto) and media.caption:
            caption = self._cut(media.caption, media.parse_mode, CAPTION)
            if caption != media.caption:
                media = InputMediaPhoto(media.media, caption=caption, parse_mode=media.parse_mode)
        return await super().edit_message_media(media, *args, **kwargs)

    async def answer_callback_query(
        self, callback_query_id: str, text: str | None = None, *args: Any, **kwargs: Any
    ) -> bool:
        if text and len(text) > ANSWER:
            text = text[: ANSWER - 1] + "…"
        return await super().answer_callback_query(callback_query_id, text, *args, **kwargs)

    def _html(self, mode: object) -> bool:
        """Whether a text is Telegram HTML: the parse mode given (None: plain text), else (not
        given, or python-telegram-bot's "default") the bot's default one."""
        if mode is not None and not isinstance(mode, str):
            mode = self.defaults.parse_mode if self.defaults else None
        return isinstance(mode, str) and mode.upper() == ParseMode.HTML

    def _split(self, text: str, mode: object) -> list[str]:
        if self._html(mode):
            return split_html(text, MESSAGE)
        return [html.unescape(part) for part in split_html(html.escape(text, quote=False), MESSAGE)]

    def _cut(self, text: str, mode: object, limit: int) -> str:
        if self._html(mode):
            return fit(text, limit)
        return html.unescape(fit(html.escape(text, quote=False), limit))
