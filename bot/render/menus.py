"""Screens made of text and inline keyboards: help, settings, team (buttons from bot.callbacks)."""

from __future__ import annotations

from telegram import InlineKeyboardButton as Button
from telegram import InlineKeyboardMarkup as Keyboard

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
    TeamCancel,
    TeamGrant,
    TeamInvite,
    TeamRemove,
    TeamRemoveConfirm,
)
from bot.model import ALL_DAYS, TIMEZONES, WEEKDAYS, Person, Profile, Roster
from bot.render.buttons import button
from bot.render.i18n import Html, plain, t
from bot.roles import Role

Screen = tuple[str, Keyboard | None]

BRIEFING_HOURS = tuple(range(5, 13))
BRIEFING_MINUTES = (0, 15, 30, 45)
COOLING_CHOICES = (0, 30, 60, 120, 300, 600)  # seconds, the cooling-off buttons (any 0 to 600 may be typed)


def _rows(buttons: list[Button], width: int) -> list[list[Button]]:
    return [buttons[i : i + width] for i in range(0, len(buttons), width)]


def role_name(language: str, role: Role) -> str:
    return plain(language, f"role_{role.key}")


def days_text(language: str, days: frozenset[int]) -> str:
    if days == ALL_DAYS:
        return plain(language, "days_every")
    if days == WEEKDAYS:
        return plain(language, "days_weekdays")
    if not days:
        return plain(language, "days_none")
    names = plain(language, "day_names").split(",")
    return ", ".join(names[d - 1] for d in sorted(days))


def duration(seconds: int) -> str:
    """'0 s', '30 s', '1 min', '1 min 30 s' (the same in French and English)."""
    minutes, rest = divmod(seconds, 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def cooling_text(language: str, own: int, default: int) -> str:
    """An owner's cooling-off as the settings show it: '2 min', or '1 min (par défaut)'."""
    return duration(own) if own >= 0 else plain(language, "settings_cooling_default", duration=duration(default))


def settings_summary(profile: Profile, cooling_default: int | None = None) -> str:
    """The member's settings in one line; `cooling_default` (VIGIE_COOLING_OFF) for an owner, who
    publishes and so has a cooling-off among them, None for the others."""
    lang = profile.language
    summary = t(
        lang,
        "settings_summary",
        language=plain(lang, "language_name"),
        timezone=profile.timezone,
        time=profile.briefing_time,
        days=days_text(lang, profile.briefing_days),
        every=profile.alert_every,
        quiet=plain(lang, "settings_quiet", hours=profile.quiet_hours)
        if profile.quiet_hours
        else plain(lang, "settings_no_quiet"),
    )
    if cooling_default is None:
        return summary
    cooling = cooling_text(lang, profile.cooling_off, cooling_default)
    return summary + t(lang, "settings_cooling_summary", cooling=cooling)


def command_description(language: str, name: str) -> str:
    return t(language, f"cmd_{name}")


# What `/help NAME` shows after the command's description: these messages, one after the other.
# Where a command has a usage message of its own, /help shows that one.
HELP_DETAILS: dict[str, tuple[str, ...]] = {
    "start": ("help_start",),
    "help": ("help_help",),
    "briefing": ("help_briefing",),
    "settings": ("settings_usage",),
    "watch": ("watch_usage", "watch_query_syntax"),
    "feed": ("feed_usage",),
    "trends": ("help_trends",),
    "alert": ("alert_usage", "cell_usage"),
    "alerts": ("help_alerts",),
    "post": ("help_post",),
    "guardrails": ("guardrails_intro", "guardrails_usage"),
    "follow": ("follow_usage",),
    "unfollow": ("unfollow_usage",),
    "journal": ("help_journal",),
    "team": ("team_help",),
    "status": ("help_status",),
}


def help_screen(language: str, role: Role, commands: list[str]) -> Screen:
    """The commands (names) this role may use, each with its description and an example, then
    how to see one in detail."""
    lines = [t(language, "help_title"), t(language, "help_role", role=role_name(language, role)), ""]
    lines += [
        t(
            language,
            "help_line",
            name=name,
            description=Html(command_description(language, name)),
            example=Html(t(language, f"help_example_{name}")),
        )
        for name in commands
    ]
    return "\n".join([*lines, "", t(language, "help_more")]), None


def help_command_screen(language: str, name: str, cooling: bool = False) -> Screen:
    """One command in detail: its description, then its sub-commands, arguments and examples;
    `cooling` adds an owner's cooling-off to /settings."""
    title = t(language, "help_command_title", name=name, description=Html(command_description(language, name)))
    details = [t(language, key) for key in HELP_DETAILS[name]]
    if name == "settings" and cooling:
        details[-1] += t(language, "settings_usage_cooling")
    return "\n\n".join([title, *details]), None


def welcome_screen(
    profile: Profile,
    role: Role,
    *,
    x_search: bool,
    x_account: bool,
    role_joined: Role | None = None,
    cooling_default: int | None = None,
) -> Screen:
    """The greeting with what Vigie does for this member (their role, what is configured:
    searching X, Vigie's own X account); their settings."""
    lang = profile.language
    lines = [
        t(lang, "welcome", name=profile.first_name or ""),
        t(lang, "welcome_watch" if x_search else "welcome_watch_feeds"),
        t(lang, "welcome_brief"),
        t(lang, "welcome_alert"),
    ]
    if x_account and role >= Role.DELEGATE:
        lines.append(t(lang, "welcome_post_owner" if role is Role.OWNER else "welcome_post_delegate"))
    parts = ["\n".join(lines)]
    if role_joined:
        parts.append(t(lang, "welcome_role", role=role_name(lang, role_joined)))
    parts.append(t(lang, "welcome_settings", summary=Html(settings_summary(profile, cooling_default))))
    keyboard = Keyboard([[button(plain(lang, "settings_open"), SettingsMenu(Page.MAIN))]])
    return "\n\n".join(parts), keyboard


def settings_screen(profile: Profile, cooling_default: int | None = None) -> Screen:
    """The settings and their buttons; an owner's (`cooling_default` given) with the cooling-off."""
    lang = profile.language
    rows = [
        [
            button(plain(lang, "settings_language"), SettingsMenu(Page.LANGUAGE)),
            button(plain(lang, "settings_timezone"), SettingsMenu(Page.TIMEZONE)),
        ],
        [
            button(plain(lang, "settings_time"), SettingsMenu(Page.HOUR)),
            button(plain(lang, "settings_days"), SettingsMenu(Page.DAYS)),
        ],
    ]
    if cooling_default is not None:
        rows.append([button(plain(lang, "settings_cooling"), SettingsMenu(Page.COOLING))])
    rows.append([button(plain(lang, "settings_done"), SettingsDone())])
    title = t(lang, "settings_title", summary=Html(settings_summary(profile, cooling_default)))
    return title + "\n\n" + t(lang, "settings_typed"), Keyboard(rows)


def settings_done_screen(profile: Profile, cooling_default: int | None = None) -> Screen:
    """The settings summary, buttons removed."""
    summary = settings_summary(profile, cooling_default)
    return t(profile.language, "settings_title", summary=Html(summary)), None


def _back(lang: str) -> list[Button]:
    return [button(plain(lang, "settings_back"), SettingsMenu(Page.MAIN))]


def _mark(label: str, chosen: bool) -> str:
    return f"✅ {label}" if chosen else label


def language_screen(profile: Profile) -> Screen:
    lang = profile.language
    buttons = [
        button(_mark("Français", lang == "fr"), SetLanguage("fr")),
        button(_mark("English", lang == "en"), SetLanguage("en")),
    ]
    return t(lang, "settings_pick_language"), Keyboard([buttons, _back(lang)])


def timezone_screen(profile: Profile) -> Screen:
    lang = profile.language
    buttons = [button(_mark(label, name == profile.timezone), SetTimezone(name)) for name, label in TIMEZONES]
    return (
        t(lang, "settings_pick_timezone", timezone=profile.timezone),
        Keyboard(_rows(buttons, 2) + [_back(lang)]),
    )


def hour_screen(profile: Profile) -> Screen:
    lang = profile.language
    current = int(profile.briefing_time[:2])
    buttons = [button(_mark(f"{h:02d} h", h == current), SetHour(h)) for h in BRIEFING_HOURS]
    return (
        t(lang, "settings_pick_hour", time=profile.briefing_time),
        Keyboard(_rows(buttons, 4) + [_back(lang)]),
    )


def minute_screen(profile: Profile, hour: int) -> Screen:
    lang = profile.language
    buttons = [
        button(_mark(f"{hour:02d}:{m:02d}", profile.briefing_time == f"{hour:02d}:{m:02d}"), SetTime(hour, m))
        for m in BRIEFING_MINUTES
    ]
    return t(lang, "settings_pick_minute", hour=f"{hour:02d}"), Keyboard([buttons, _back(lang)])


def days_screen(profile: Profile) -> Screen:
    lang = profile.language
    names = plain(lang, "day_names").split(",")
    current = profile.briefing_days
    toggles = [button(_mark(names[d - 1], d in current), SetDays(current ^ {d})) for d in range(1, 8)]
    presets = [
        button(plain(lang, "settings_weekdays"), SetDays(WEEKDAYS)),
        button(plain(lang, "settings_everyday"), SetDays(ALL_DAYS)),
    ]
    return (
        t(lang, "settings_pick_days") + "\n" + days_text(lang, current),
        Keyboard(_rows(toggles, 4) + [presets, _back(lang)]),
    )


def cooling_screen(profile: Profile, default: int) -> Screen:
    """An owner's cooling-off: the usual choices, VIGIE_COOLING_OFF (`default`), and how to type another."""
    lang, own = profile.language, profile.cooling_off
    choices = [button(_mark(duration(s), s == own), SetCooling(s)) for s in COOLING_CHOICES]
    usual = plain(lang, "settings_cooling_default", duration=duration(default))
    return (
        t(lang, "settings_pick_cooling", current=cooling_text(lang, own, default)),
        Keyboard(_rows(choices, 3) + [[button(_mark(usual, own < 0), SetCoolingDefault())], _back(lang)]),
    )


def _names(language: str, people: list[Person]) -> str:
    return ", ".join(p.name for p in people) or plain(language, "team_nobody")


def team_screen(language: str, roster: Roster) -> Screen:
    text = "\n".join(
        [
            t(language, "team_title"),
            t(language, "team_owners", names=_names(language, roster.owners)),
            t(language, "team_delegates", names=_names(language, roster.delegates)),
            t(language, "team_readers", names=_names(language, roster.readers)),
            "",
            t(language, "team_help"),
        ]
    )
    rows = [
        [
            button(plain(language, "team_invite_delegate"), TeamInvite(Role.DELEGATE)),
            button(plain(language, "team_invite_reader"), TeamInvite(Role.READER)),
        ]
    ]
    rows += [
        [button(plain(language, "team_remove", name=p.name), TeamRemove(p.user_id))]
        for p in roster.delegates + roster.readers
    ]
    return text, Keyboard(rows)


def team_remove_screen(language: str, user_id: int, name: str, role: Role) -> Screen:
    """What removing a member takes away, asked once."""
    keyboard = Keyboard(
        [
            [
                button(plain(language, "team_remove_confirm"), TeamRemoveConfirm(user_id)),
                button(plain(language, "team_cancel"), TeamCancel()),
            ]
        ]
    )
    return t(language, "team_remove_ask", name=name, role=role_name(language, role)), keyboard


def forward_screen(language: str, user_id: int, name: str) -> Screen:
    keyboard = Keyboard(
        [
            [
                button(plain(language, "team_make_delegate"), TeamGrant(Role.DELEGATE, user_id)),
                button(plain(language, "team_make_reader"), TeamGrant(Role.READER, user_id)),
            ],
            [button(plain(language, "team_cancel"), TeamCancel())],
        ]
    )
    return t(language, "team_forward_who", name=name, user_id=user_id), keyboard
