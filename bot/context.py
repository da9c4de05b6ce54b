"""The CallbackContext handlers receive: typed access to the services and the sender."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram.ext import Application, CallbackContext, ExtBot

if TYPE_CHECKING:
    from bot.members import Member
    from bot.services import Services

SERVICES_KEY = "services"


class VigieContext(CallbackContext[ExtBot[None], dict, dict, dict]):
    """`context.services` for every handler; `context.member` once the gatekeeper has run."""

    def __init__(self, application: Application, chat_id: int | None = None, user_id: int | None = None):
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        self.member: Member | None = None

    @property
    def services(self) -> Services:
        return self.application.bot_data[SERVICES_KEY]
