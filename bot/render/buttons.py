"""Inline buttons from typed callbacks (bot.callbacks): no screen writes callback data by hand."""

from __future__ import annotations

from telegram import InlineKeyboardButton

from bot.callbacks import Callback, encode


def button(label: str, pressed: Callback) -> InlineKeyboardButton:
    """A button that sends `pressed` back when pressed."""
    return InlineKeyboardButton(label, callback_data=encode(pressed))
