"""/start: onboarding, invitations."""

from __future__ import annotations

from telegram import Update

from bot import members, team
from bot.context import VigieContext
from bot.render import menus
from bot.render.i18n import t
from handlers.common import member_of, reply, sender
from handlers.settings import cooling_default


async def start(update: Update, context: VigieContext) -> None:
    """Onboard the sender; `/start inv_<code>` joins the team with a one-time invitation."""
    services, member, user = context.services, member_of(context), sender(update)
    payload = context.args[0] if context.args else ""
    joined = None
    if payload.startswith(team.INVITE_PREFIX):
        if member.is_member:
            role = menus.role_name(member.language, member.role)
            await reply(update, t(member.language, "invite_already_member", role=role))
        else:
            joined = await team.join_with_invite(services.store, user.id, payload)
            if joined is None:  # told once, like any stranger; guesses are rate-limited
                if await team.first_contact(services.store, user.id):
                    await reply(update, t(member.language, "invite_invalid"))
                return
            member = await members.resolve(services.store, services.settings, user.id, user.language_code)
    profile = await members.onboard(services.store, services.settings, member, user.first_name, user.username)
    screen = menus.welcome_screen(
        profile,
        member.role,
        x_search=services.x is not None,
        x_account=services.x_account is not None,
        role_joined=joined,
        cooling_default=cooling_default(context),
    )
    await reply(update, screen)
