"""/settings and its buttons: language, time zone, briefing time and days."""

from __future__ import annotations

from telegram import Update

from bot import members
from bot.context import VigieContext
from bot.model import Profile
from bot.render import menus
from bot.render.i18n import CATALOGS, t
from bot.text import is_number
from handlers.common import answer, data_of, member_of, query_of, reply, sender, show

_TIMEZONE_WORDS = {"fuseau", "timezone", "tz"}
_TIME_WORDS = {"heure", "time"}
_LANGUAGE_WORDS = {"langue", "language", "lang"}

_MENUS = {
    "main": menus.settings_screen,
    "lang": menus.language_screen,
    "tz": menus.timezone_screen,
    "hour": menus.hour_screen,
    "days": menus.days_screen,
}


async def _profile(update: Update, context: VigieContext) -> Profile:
    user = sender(update)
    services = context.services
    return await members.onboard(services.store, services.settings, member_of(context), user.first_name, user.username)


async def settings_command(update: Update, context: VigieContext) -> None:
    """Show the settings screen, or apply `/settings <what> <value>` typed by hand."""
    profile = await _profile(update, context)
    if not context.args:
        await reply(update, menus.settings_screen(profile))
        return
    what, value = context.args[0].lower(), " ".join(context.args[1:])
    lang = profile.language
    changes: dict[str, object] = {}
    if what in _TIMEZONE_WORDS:
        if not (timezone := members.parse_timezone(value)):
            await reply(update, t(lang, "settings_bad_timezone", value=value or "?"))
            return
        changes["timezone"] = timezone
    elif what in _TIME_WORDS:
        if not (time := members.parse_time(value)):
            await reply(update, t(lang, "settings_bad_time", value=value or "?"))
            return
        changes["briefing_time"] = time
    elif what in _LANGUAGE_WORDS and value.lower() in CATALOGS:
        changes["language"] = value.lower()
    else:
        await reply(update, t(lang, "settings_usage"))
        return
    profile = await members.update_profile(context.services.store, profile, **changes)
    await reply(update, menus.settings_screen(profile))


def _change(action: str, arg: str) -> dict[str, object] | None:
    """The profile change a button asks for, or None when its data is not valid."""
    if action == "lang" and arg in CATALOGS:
        return {"language": arg}
    if action == "tz" and (timezone := members.parse_timezone(arg)):
        return {"timezone": timezone}
    if action == "time" and (time := members.parse_time(arg)):
        return {"briefing_time": time}
    if action == "days" and is_number(arg) and set(arg) <= set("01234567"):
        return {"briefing_days": frozenset(int(d) for d in arg if d != "0")}
    return None


async def settings_button(update: Update, context: VigieContext) -> None:
    """A press on a settings button (`set:<action>[:<arg>]`)."""
    query = query_of(update)
    profile = await _profile(update, context)
    _, action, arg = (data_of(query).split(":", 2) + [""])[:3]
    if action == "menu" and arg in _MENUS:
        await answer(query)
        await show(query, _MENUS[arg](profile))
    elif action == "done":
        await answer(query)
        await show(query, menus.settings_done_screen(profile))
    elif action == "hour" and is_number(arg) and 0 <= int(arg) <= 23:
        await answer(query)
        await show(query, menus.minute_screen(profile, int(arg)))
    elif (changes := _change(action, arg)) is not None:
        profile = await members.update_profile(context.services.store, profile, **changes)
        await answer(query, t(profile.language, "settings_saved"))
        next_screen = menus.days_screen if action == "days" else menus.settings_screen
        await show(query, next_screen(profile))
    else:
        await answer(query, t(profile.language, "button_expired"), alert=True)
