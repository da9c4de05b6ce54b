"""The command menu: one list drives /help and the menu registered with setMyCommands."""

from __future__ import annotations

from dataclasses import dataclass

from bot.roles import Role


@dataclass(frozen=True)
class Command:
    name: str
    role: Role  # the least role that may use it

    @property
    def description_key(self) -> str:
        return f"cmd_{self.name}"


COMMANDS: tuple[Command, ...] = (
    Command("start", Role.READER),
    Command("help", Role.READER),
    Command("briefing", Role.READER),
    Command("settings", Role.READER),
    Command("watch", Role.READER),
    Command("feed", Role.READER),
    Command("trends", Role.READER),
    Command("team", Role.OWNER),
)


def commands_for(role: Role) -> list[Command]:
    return [c for c in COMMANDS if role >= c.role]
