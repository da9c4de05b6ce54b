"""/settings and its buttons: language, time zone, briefing time and days."""

from __future__ import annotations

from telegram import Update

from bot import members
from bot.callbacks import Page, SetDays, SetHour, SetLanguage, SetTime, SetTimezone, SettingsDone, SettingsMenu
from bot.context import VigieContext
from bot.model import Profile
from bot.render import menus
from bot.render.i18n import CATALOGS, t
from bot.text import is_number
from handlers.common import answer, expired, member_of, query_of, reply, sender, show

_TIMEZONE_WORDS = {"fuseau", "timezone", "tz"}
_TIME_WORDS = {"heure", "time"}
_LANGUAGE_WORDS = {"langue", "language", "lang"}
_QUIET_WORDS = {"calme", "calmes", "quiet"}
_EVERY_WORDS = {"alertes", "alerts"}
MOST_MINUTES = 240  # between two topic alerts on a watch

_MENUS = {
    Page.MAIN: menus.settings_screen,
    Page.LANGUAGE: menus.language_screen,
    Page.TIMEZONE: menus.timezone_screen,
    Page.HOUR: menus.hour_screen,
    Page.DAYS: menus.days_screen,
}
Navigation = SettingsMenu | SetHour | SettingsDone
SettingChange = SetLanguage | SetTimezone | SetTime | SetDays


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
    elif what in _QUIET_WORDS:
        if (quiet := members.parse_quiet_hours(value)) is None:
            await reply(update, t(lang, "settings_bad_quiet", value=value or "?"))
            return
        changes["quiet_hours"] = quiet
    elif what in _EVERY_WORDS:
        if not (is_number(value) and 1 <= int(value) <= MOST_MINUTES):
            await reply(update, t(lang, "settings_bad_every", value=value or "?"))
            return
        changes["alert_every"] = int(value)
    elif what in _LANGUAGE_WORDS and value.lower() in CATALOGS:
        changes["language"] = value.lower()
    else:
        await reply(update, t(lang, "settings_usage"))
        return
    profile = await members.update_profile(context.services.store, profile, **changes)
    await reply(update, menus.settings_screen(profile))


def _change(pressed: SettingChange) -> dict[str, object] | None:
    """The profile change a button asks for, or None for a time zone that does not exist."""
    if isinstance(pressed, SetLanguage):
        return {"language": pressed.language}
    if isinstance(pressed, SetTimezone):
        timezone = members.parse_timezone(pressed.name)
        return {"timezone": timezone} if timezone else None
    if isinstance(pressed, SetTime):
        return {"briefing_time": f"{pressed.hour:02d}:{pressed.minute:02d}"}
    return {"briefing_days": pressed.days}


def _screen(profile: Profile, pressed: Navigation) -> menus.Screen:
    if isinstance(pressed, SettingsMenu):
        return _MENUS[pressed.page](profile)
    if isinstance(pressed, SetHour):
        return menus.minute_screen(profile, pressed.hour)  # the minutes next
    return menus.settings_done_screen(profile)


async def navigate(update: Update, context: VigieContext, pressed: Navigation) -> None:
    """Another settings screen in place of this one; nothing is saved."""
    profile = await _profile(update, context)
    await answer(query_of(update))
    await show(query_of(update), _screen(profile, pressed))


async def change(update: Update, context: VigieContext, pressed: SettingChange) -> None:
    """Save the setting the button carries, then show the settings (the days stay on their screen)."""
    query = query_of(update)
    profile = await _profile(update, context)
    if (changes := _change(pressed)) is None:
        await expired(update, context)
        return
    profile = await members.update_profile(context.services.store, profile, **changes)
    await answer(query, t(profile.language, "settings_saved"))
    next_screen = menus.days_screen if isinstance(pressed, SetDays) else menus.settings_screen
    await show(query, next_screen(profile))
