"""/settings and its buttons: language, time zone, briefing time and days; an owner's cooling-off."""

from __future__ import annotations

from telegram import Update

from bot import members
from bot.callbacks import (
    Page,
    SetCooling,
    SetCoolingDefault,
    SetDays,
    SetHour,
    SetLanguage,
    SetTime,
    SetTimezone,
    SettingsDone,
    SettingsMenu,
)
from bot.context import VigieContext
from bot.model import Profile
from bot.render import menus
from bot.render.i18n import CATALOGS, t
from bot.roles import Role
from bot.text import is_number
from handlers.common import allowed, answer, expired, member_of, query_of, reply, sender, show

_TIMEZONE_WORDS = {"fuseau", "timezone", "tz"}
_TIME_WORDS = {"heure", "time"}
_DAYS_WORDS = {"jours", "jour", "days", "day"}
_LANGUAGE_WORDS = {"langue", "language", "lang"}
_QUIET_WORDS = {"calme", "calmes", "quiet"}
_EVERY_WORDS = {"alertes", "alerts"}
_COOLING_WORDS = {"délai", "delai", "cooling", "cooling-off"}
_NAMES = {  # what each setting is called in the catalogs' `settings_need_*`
    "timezone": _TIMEZONE_WORDS,
    "time": _TIME_WORDS,
    "days": _DAYS_WORDS,
    "language": _LANGUAGE_WORDS,
    "quiet": _QUIET_WORDS,
    "every": _EVERY_WORDS,
    "cooling": _COOLING_WORDS,
}
MOST_MINUTES = 240  # between two topic alerts on a watch

_MENUS = {
    Page.LANGUAGE: menus.language_screen,
    Page.TIMEZONE: menus.timezone_screen,
    Page.HOUR: menus.hour_screen,
    Page.DAYS: menus.days_screen,
}
Navigation = SettingsMenu | SetHour | SettingsDone
SettingChange = SetLanguage | SetTimezone | SetTime | SetDays | SetCooling | SetCoolingDefault


async def _profile(update: Update, context: VigieContext) -> Profile:
    user = sender(update)
    services = context.services
    return await members.onboard(services.store, services.settings, member_of(context), user.first_name, user.username)


def cooling_default(context: VigieContext) -> int | None:
    """VIGIE_COOLING_OFF for an owner, who publishes and so has a cooling-off in their settings;
    None for the others."""
    return context.services.settings.cooling_off if member_of(context).role >= Role.OWNER else None


async def settings_command(update: Update, context: VigieContext) -> None:
    """Show the settings screen, or apply `/settings <what> <value>` typed by hand."""
    profile = await _profile(update, context)
    cooling = cooling_default(context)
    if not context.args:
        await reply(update, menus.settings_screen(profile, cooling))
        return
    what, value = context.args[0].lower(), " ".join(context.args[1:])
    lang = profile.language
    setting = next((name for name, words in _NAMES.items() if what in words), None)
    if setting == "cooling" and not await allowed(update, context, Role.OWNER):
        return
    if (setting and not value) or (setting == "language" and value.lower() not in CATALOGS):
        await reply(update, t(lang, f"settings_need_{setting}"))  # what to type, with an example
        return
    changes: dict[str, object] = {}
    if setting == "timezone":
        if not (timezone := members.parse_timezone(value)):
            await reply(update, t(lang, "settings_bad_timezone", value=value))
            return
        changes["timezone"] = timezone
    elif setting == "time":
        if not (time := members.parse_time(value)):
            await reply(update, t(lang, "settings_bad_time", value=value))
            return
        changes["briefing_time"] = time
    elif setting == "days":
        if (days := members.parse_days(value)) is None:
            await reply(update, t(lang, "settings_bad_days", value=value))
            return
        changes["briefing_days"] = days
    elif setting == "quiet":
        if (quiet := members.parse_quiet_hours(value)) is None:
            await reply(update, t(lang, "settings_bad_quiet", value=value))
            return
        changes["quiet_hours"] = quiet
    elif setting == "every":
        if not (is_number(value) and 1 <= int(value) <= MOST_MINUTES):
            await reply(update, t(lang, "settings_bad_every", value=value))
            return
        changes["alert_every"] = int(value)
    elif setting == "cooling":
        try:
            changes["cooling_off"] = members.parse_cooling(value)
        except members.SettingError as exc:
            await reply(update, t(lang, exc.key, value=value))
            return
    elif setting == "language":
        changes["language"] = value.lower()
    else:
        usage = t(lang, "settings_usage")
        await reply(update, usage + t(lang, "settings_usage_cooling") if cooling is not None else usage)
        return
    profile = await members.update_profile(context.services.store, profile, **changes)
    await reply(update, menus.settings_screen(profile, cooling))


def _change(pressed: SettingChange) -> dict[str, object] | None:
    """The profile change a button asks for, or None for a time zone that does not exist."""
    if isinstance(pressed, SetLanguage):
        return {"language": pressed.language}
    if isinstance(pressed, SetTimezone):
        timezone = members.parse_timezone(pressed.name)
        return {"timezone": timezone} if timezone else None
    if isinstance(pressed, SetTime):
        return {"briefing_time": f"{pressed.hour:02d}:{pressed.minute:02d}"}
    if isinstance(pressed, SetCooling):
        return {"cooling_off": pressed.seconds}
    if isinstance(pressed, SetCoolingDefault):
        return {"cooling_off": -1}
    return {"briefing_days": pressed.days}


def _screen(profile: Profile, pressed: Navigation, cooling: int | None) -> menus.Screen:
    if isinstance(pressed, SettingsMenu):
        if pressed.page is Page.COOLING and cooling is not None:
            return menus.cooling_screen(profile, cooling)
        if pressed.page in _MENUS:
            return _MENUS[pressed.page](profile)
        return menus.settings_screen(profile, cooling)  # the main page
    if isinstance(pressed, SetHour):
        return menus.minute_screen(profile, pressed.hour)  # the minutes next
    return menus.settings_done_screen(profile, cooling)


async def navigate(update: Update, context: VigieContext, pressed: Navigation) -> None:
    """Another settings screen in place of this one; nothing is saved. The cooling-off's is
    an owner's."""
    cooling_page = isinstance(pressed, SettingsMenu) and pressed.page is Page.COOLING
    if cooling_page and not await allowed(update, context, Role.OWNER):
        return
    profile = await _profile(update, context)
    await answer(query_of(update))
    await show(query_of(update), _screen(profile, pressed, cooling_default(context)))


async def change(update: Update, context: VigieContext, pressed: SettingChange) -> None:
    """Save the setting the button carries, then show the settings (the days stay on their screen)."""
    query = query_of(update)
    profile = await _profile(update, context)
    if (changes := _change(pressed)) is None:
        await expired(update, context)
        return
    profile = await members.update_profile(context.services.store, profile, **changes)
    await answer(query, t(profile.language, "settings_saved"))
    days = isinstance(pressed, SetDays)
    await show(query, menus.days_screen(profile) if days else menus.settings_screen(profile, cooling_default(context)))
