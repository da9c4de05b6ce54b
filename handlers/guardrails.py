"""/guardrails: the subjects a post is warned about before it goes to X. Owners and delegates
see them; owners add, remove and reset them (the reset confirmed with a button). The rules are
in bot.guardrails, the list in Redis through bot.publishing."""

from __future__ import annotations

from telegram import Update

from bot import guardrails, publishing
from bot.callbacks import GuardrailsReset
from bot.context import VigieContext
from bot.render import posting as render
from bot.render.i18n import t
from bot.roles import Role
from handlers.common import allowed, answer, argument, member_of, query_of, reply, show

_LIST = {"", "list", "liste"}
_ADD = {"add", "ajouter", "ajout"}
_REMOVE = {"rm", "remove", "retirer", "supprimer"}
_RESET = {"reset", "défaut", "defaut", "réinitialiser", "reinitialiser"}


async def guardrails_command(update: Update, context: VigieContext) -> None:
    """`/guardrails`, `/guardrails add|rm WORD[, PHRASE...]`, `/guardrails reset`."""
    member, services = member_of(context), context.services
    lang = member.language
    action, _, rest = argument(update).partition(" ")
    action = action.lower()
    if action in _LIST:
        text = render.guardrails_text(lang, await publishing.subjects(services), member.role >= Role.OWNER)
        await reply(update, text)  # several messages when long (bot.delivery.fitting)
        return
    if action not in _ADD | _REMOVE | _RESET:
        await reply(update, t(lang, "guardrails_unknown", value=action) + "\n\n" + t(lang, "guardrails_usage"))
        return
    if not await allowed(update, context, Role.OWNER):
        return
    if action in _RESET:
        await reply(update, render.reset_screen(lang, await publishing.subjects(services)))
        return
    adding = action in _ADD
    try:
        subjects = guardrails.parse_subjects(rest)
        edit = await (publishing.add_subjects if adding else publishing.remove_subjects)(services, subjects)
    except guardrails.SubjectError as exc:
        await reply(update, t(lang, exc.key, value=exc.value) + "\n\n" + t(lang, "guardrails_usage"))
        return
    await reply(update, render.subjects_edited(lang, adding, edit))


async def reset(update: Update, context: VigieContext, pressed: GuardrailsReset) -> None:
    """The confirmation of `/guardrails reset`: the defaults again, unless the list changed since."""
    lang, query = member_of(context).language, query_of(update)
    done = await publishing.reset_subjects(context.services, pressed.version)
    await answer(query)
    await show(query, (t(lang, "guardrails_reset_done" if done else "guardrails_reset_stale"), None))
