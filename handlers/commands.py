"""The commands, listed once: each one's least role and handler. The handlers registered,
/help and the menu set with setMyCommands all come from this list."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import Update

from bot.context import VigieContext
from bot.render import menus
from bot.render.i18n import t
from bot.roles import Role
from handlers import alerts, briefing, following, guardrails, journal, posting, settings, start, status, team, watching
from handlers.common import allowed, argument, member_of, reply


@dataclass(frozen=True)
class Command:
    name: str
    role: Role  # the least role that may use it
    handler: Callable[[Update, VigieContext], Awaitable[None]]

    async def run(self, update: Update, context: VigieContext) -> None:
        """The handler, for a sender who holds the role (anyone else is told why not)."""
        if await allowed(update, context, self.role):
            await self.handler(update, context)


async def help_command(update: Update, context: VigieContext) -> None:
    """The commands this sender may use; `/help NAME`, one of them in detail."""
    member = member_of(context)
    names = [c.name for c in commands_for(member.role)]
    asked = argument(update).split(" ")[0].removeprefix("/").lower()
    command = next((c for c in COMMANDS if c.name == asked), None)
    if command is not None:
        if await allowed(update, context, command.role):
            await reply(update, menus.help_command_screen(member.language, asked, member.role >= Role.OWNER))
        return
    text, _ = menus.help_screen(member.language, member.role, names)
    if asked:
        text = t(member.language, "help_unknown", value=asked) + "\n\n" + text
    await reply(update, text)


COMMANDS: tuple[Command, ...] = (
    Command("start", Role.STRANGER, start.start),  # a stranger's /start carries an invitation
    Command("help", Role.READER, help_command),
    Command("briefing", Role.READER, briefing.briefing_command),
    Command("settings", Role.READER, settings.settings_command),
    Command("watch", Role.READER, watching.watch_command),
    Command("feed", Role.READER, watching.feed_command),
    Command("trends", Role.READER, watching.trends_command),
    Command("alert", Role.READER, alerts.alert_command),
    Command("alerts", Role.READER, alerts.alerts_command),
    Command("post", Role.DELEGATE, posting.post_command),
    Command("guardrails", Role.DELEGATE, guardrails.guardrails_command),  # delegates see, owners change
    Command("follow", Role.OWNER, following.follow_command),
    Command("unfollow", Role.OWNER, following.unfollow_command),
    Command("journal", Role.OWNER, journal.journal_command),
    Command("team", Role.OWNER, team.team_command),
    Command("status", Role.OWNER, status.status_command),
)


def commands_for(role: Role) -> list[Command]:
    return [c for c in COMMANDS if role >= c.role]
