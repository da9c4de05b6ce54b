"""The briefing as Telegram messages: what bot.briefing chose within its reading budget, in HTML
that Telegram accepts, split (bot.render.html) between blocks when it cannot fit one message."""

from __future__ import annotations

import html
from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup as Keyboard

from bot.briefing import Briefing, Section, Story, named
from bot.callbacks import BriefingMore, BriefingMute, BriefingUnmute
from bot.model import CrisisNote, Watch, place_name
from bot.render.buttons import button
from bot.render.html import split_html
from bot.render.i18n import Html, decimal, integer, plain, t, times
from bot.render.menus import Screen
from bot.render.watching import when

TRENDS_SHOWN = 6
MORE_LINKS = 12  # sources linked under a story's detail; more are counted


def _date(language: str, moment: float, zone: str) -> tuple[str, str]:
    local = datetime.fromtimestamp(moment, ZoneInfo(zone))
    day = plain(language, "day_long").split(",")[local.weekday()]
    month = plain(language, "month_long").split(",")[local.month - 1]
    return f"{day} {local.day} {month}", local.strftime("%H:%M")


def _ratio(language: str, count: int, usual: float | None) -> str:
    if not usual:
        return ""
    ratio = f"{count / usual:.1f}"
    return plain(language, "brief_ratio", ratio=decimal(language, ratio))


def told(sentences: list[str]) -> str:
    """Sentences one after the other; a headline (no final stop) is set off by a dash."""
    text = ""
    for sentence in sentences:
        if text:
            text += " " if text[-1] in '.!?…»"”)' else " — "
        text += sentence
    return text


def _told(language: str, n: int, story: Story) -> str:
    """A news story: headline (linked), sentence, sources; a story on X only: the post quoted,
    its author (linked). Content is escaped, never shortened."""
    text = Html(html.escape(story.sentence, quote=False))
    link = Html(html.escape(story.link, quote=True))  # an attribute: quotes escaped too
    sources = named(story.sources)
    if not story.headline:
        return t(language, "brief_post", n=n, text=text, author=story.author or sources, link=link)
    headline = Html(html.escape(story.headline, quote=False))
    if story.link:
        headline = Html(f'<a href="{link}">{headline}</a>')
    key = "brief_story" if story.sentence else "brief_headline"
    return t(language, key, n=n, headline=headline, text=text, sources=sources)


def _story_line(language: str, n: int, story: Story) -> str:
    """The story as told, then the other watches it concerns."""
    line = _told(language, n, story)
    if story.also:
        line += t(language, "brief_also", names=named(story.also))
    return line


def render(
    briefing: Briefing,
    briefing_id: str,
    zone: str,
    *,
    late_minutes: int = 0,
    watched: int = 0,
    next_at: float | None = None,
) -> tuple[list[str], Keyboard | None, dict]:
    """(messages, keyboard for the last one, what the "More" buttons need). An empty briefing
    says how many watches it covered (`watched`) and when the next one comes (`next_at`)."""
    lang = briefing.language
    date, _ = _date(lang, briefing.until, zone)
    since_date, since_time = _date(lang, briefing.since, zone)
    header = [t(lang, "brief_title", date=date), t(lang, "brief_since", date=since_date, time=since_time)]
    if late_minutes:
        header.append(t(lang, "brief_late", minutes=late_minutes))
    numbered = [story for section in briefing.sections for story in section.stories] + briefing.followed + briefing.news
    number = {id(story): n for n, story in enumerate(numbered, 1)}

    def story_lines(stories: list[Story]) -> list[str]:
        return [_story_line(lang, number[id(story)], story) for story in stories]

    blocks = ["\n".join(header)]
    if briefing.crises:
        blocks.append("\n".join(_crisis_line(lang, note, zone) for note in briefing.crises))
    for section in briefing.sections:
        lines = story_lines(section.stories)
        if section.more:
            key = "brief_watch_more_one" if section.more == 1 else "brief_watch_more"
            lines.append(t(lang, key, n=section.more, name=section.name))
        told = [number[id(story)] for story in section.elsewhere if id(story) in number]
        blocks.append("\n".join([_section_title(lang, section, told), *lines]))
    if briefing.followed:
        lines = story_lines(briefing.followed)
        if briefing.followed_more:
            lines.append(t(lang, "follow_brief_more", n=briefing.followed_more))
        blocks.append("\n".join([t(lang, "follow_brief_title"), *lines]))
    if briefing.news:
        lines = story_lines(briefing.news)
        if briefing.news_more:
            key = "brief_news_more_one" if briefing.news_more == 1 else "brief_news_more"
            lines.append(t(lang, key, n=briefing.news_more))
        blocks.append("\n".join([t(lang, "brief_news"), *lines]))
    if briefing.trends:
        names = [trend.name + (" ⭐" if trend.watch_ids else "") for trend in briefing.trends[:TRENDS_SHOWN]]
        age = f" ({when(lang, briefing.trends_at, briefing.until)})" if briefing.trends_at else ""
        blocks.append(t(lang, "brief_trends", place=place_name(briefing.place, lang), age=age, names=", ".join(names)))
    if not numbered and not briefing.crises:
        blocks.append(_nothing(lang, watched, next_at, zone))
    keyboard = _keyboard(lang, briefing, briefing_id, numbered)
    more = {str(n): _detail(s) for n, s in enumerate(numbered, 1)}
    return split_html("\n\n".join(blocks)), keyboard, more


def _nothing(language: str, watched: int, next_at: float | None, zone: str) -> str:
    """Nothing new: over how many watches, and when the next briefing comes."""
    if watched:
        key = "brief_nothing_one" if watched == 1 else "brief_nothing"
        lines = [t(language, key, n=integer(language, watched))]
    else:
        lines = [t(language, "brief_nothing_watched")]
    if next_at is None:
        lines.append(t(language, "brief_next_none"))
    else:
        date, time_ = _date(language, next_at, zone)
        lines.append(t(language, "brief_next", date=date, time=time_))
    return "\n".join(lines)


def _detail(story: Story) -> dict:
    """What ➕ shows of a story, kept with the briefing: its longer version, every source (the
    first MORE_LINKS linked, the others counted) and, for a story told by posts, who posted it when."""
    detail = {
        "sentences": _longer(story),
        "links": story.more_links[:MORE_LINKS],
        "others": max(0, len(story.more_links) - MORE_LINKS),
    }
    if story.author:
        detail["by"] = [story.author, story.author_name, story.published]
    return detail


def more_text(language: str, n: int, detail: dict, zone: str) -> str:
    """Story `n` of a briefing in detail (➕): its longer version, who posted it and when (the
    member's time), and links to every source."""
    text = t(language, "brief_more", n=n, text=Html(html.escape(told(detail["sentences"]), quote=False)))
    if detail.get("by"):
        author, name, published = detail["by"]
        who = plain(language, "brief_more_who", name=name, author=author) if name else f"@{author}"
        date, time_ = _date(language, published, zone)
        text += "\n" + t(language, "brief_more_by", who=who, date=date, time=time_)
    links = [f'<a href="{html.escape(url)}">{html.escape(name, quote=False)}</a>' for name, url in detail["links"]]
    if links:
        if detail.get("others"):
            links.append(t(language, "brief_more_others", n=detail["others"]))
        text += "\n" + t(language, "brief_more_links", links=Html(", ".join(links)))
    return text


def _crisis_line(language: str, note: CrisisNote, zone: str) -> str:
    """'🚨 Fnac : pic de mentions depuis lundi 23 novembre à 14:30, 7,5× l’habituel (en cours).'"""
    date, time_ = _date(language, note.at, zone)
    key = "brief_crisis_ongoing" if note.ongoing else "brief_crisis_over"
    return t(language, key, watch=note.watch, date=date, time=time_, ratio=times(language, note.times_usual))


def _longer(story: Story) -> list[str]:
    """The story's longer version (➕): headline, sentence, the next best sentences."""
    return [told for told in (story.headline, story.sentence, *story.more) if told]


def _section_title(lang: str, section: Section, told: list[int]) -> str:
    """Its name and volume, and the numbers of its stories told under another watch; "nothing
    new" only when it has nothing at all (its story may be one the budget left out elsewhere)."""
    if not section.count and not section.stories and not section.more and not told:
        return t(lang, "brief_quiet", name=section.name)
    key = "brief_watch_one" if section.count == 1 else "brief_watch"
    title = t(lang, key, name=section.name, count=section.count, ratio=_ratio(lang, section.count, section.usual))
    return title + (t(lang, "brief_see", numbers=", ".join(map(str, told))) if told else "")


def _keyboard(lang: str, briefing: Briefing, briefing_id: str, numbered: list[Story]) -> Keyboard | None:
    more = [
        button(plain(lang, "brief_more_button", n=n), BriefingMore(briefing_id, n)) for n in range(1, len(numbered) + 1)
    ]
    mute = [
        button(plain(lang, "brief_mute_button", name=s.name[:20]), BriefingMute(s.watch_id)) for s in briefing.sections
    ]
    rows = [more[i : i + 5] for i in range(0, len(more), 5)] + [mute[i : i + 3] for i in range(0, len(mute), 3)]
    rows = [row for row in rows if row]
    return Keyboard(rows) if rows else None


def muted_screen(language: str, watch: Watch) -> Screen:
    """A watch left out of the member's briefings, with Undo."""
    undo = button(plain(language, "brief_unmute_button"), BriefingUnmute(watch.id))
    return t(language, "brief_muted", name=watch.name), Keyboard([[undo]])
