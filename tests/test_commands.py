"""The command registry end to end: every command answers those who may use it, is listed in
their /help and their command menu, and refuses the others."""

from __future__ import annotations

import re

import pytest

from bot.roles import Role
from handlers.commands import COMMANDS
from tests.conftest import OWNER_ID

MEMBERS = {Role.READER: 5010, Role.DELEGATE: 5020, Role.OWNER: OWNER_ID}
EVERYONE = ["start", "help", "briefing", "settings", "watch", "feed", "trends", "alert", "alerts"]
LISTED = {
    Role.READER: EVERYONE,
    Role.DELEGATE: [*EVERYONE, "post", "guardrails"],  # delegates see the guardrails, owners change them
    Role.OWNER: [*EVERYONE, "post", "guardrails", "follow", "unfollow", "journal", "team", "status"],
}
MENU = {**LISTED, Role.DELEGATE: EVERYONE}  # delegates share the members' menu (owners have their own)
REFUSALS = {
    Role.DELEGATE: "Cette action est réservée aux propriétaires et aux délégués.",
    Role.OWNER: "Cette action est réservée aux propriétaires.",
}


async def _member(services, tg, role: Role, offset: int = 0) -> dict:
    user_id = MEMBERS[role] + offset
    if role is not Role.OWNER:
        await services.store.team.grant(user_id, role)
    return tg.user(user_id)


@pytest.mark.parametrize("role", list(MEMBERS))
async def test_help_and_the_menu_list_the_commands_of_the_senders_role(bot, tg, services, role):
    member = await _member(services, tg, role)
    await tg.send_text(member, "/help")
    [help_text] = await tg.wait_for_messages(member["id"], 1)
    assert re.findall(r"^/(\w+) — ", help_text["text"], re.M) == LISTED[role]
    scope = f"chat:{OWNER_ID}" if role is Role.OWNER else "default"
    assert [c["command"] for c in tg.commands(scope=scope)] == MENU[role]


@pytest.mark.parametrize("role", list(MEMBERS))
async def test_every_command_is_handled_for_those_who_may_use_it(bot, tg, services, role):
    for n, command in enumerate(COMMANDS):
        member = await _member(services, tg, role, offset=n if role is not Role.OWNER else 0)
        await tg.send_text(member, f"/{command.name}")
        answer = (await tg.wait_for_messages(member["id"], 1))[0]["text"]
        assert not answer.startswith("Commande inconnue"), command.name
        if role >= command.role:
            assert answer not in REFUSALS.values(), command.name
        else:
            assert answer == REFUSALS[command.role], command.name
        tg.clear(member["id"])
