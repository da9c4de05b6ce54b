"""The callback data codec: every kind of button survives the trip within Telegram's 64 bytes,
and anything else (unknown, malformed, forged) parses to None."""

from __future__ import annotations

import secrets
import subprocess
import sys
from zoneinfo import available_timezones

import pytest

from bot import callbacks as cb
from bot.model import ALL_DAYS, Watch
from bot.render.i18n import CATALOGS
from bot.roles import Role
from handlers.buttons import ROUTES
from tests.conftest import ROOT

LONGEST_WATCH_ID = Watch.id_for("Une veille au nom bien plus long que ce que l’on garde")
LONGEST_TIMEZONE = max(available_timezones(), key=len)
BRIEFING_ID = secrets.token_urlsafe(6)  # as bot.morning names a briefing
LAST_USER_ID = 2**53 - 1
FEED_ID = "3ba3bf5779b2"  # 12 hex digits, as every feed id

EXAMPLES: list[cb.Callback] = [
    cb.PostPublish("a1b2c3d4e5", sure=False),
    cb.PostPublish("a1b2c3d4e5", sure=True),
    cb.PostThread("a1b2c3d4e5"),
    cb.PostAbout("a1b2c3d4e5", 3, True),
    cb.PostEdit("a1b2c3d4e5"),
    cb.PostCancel("a1b2c3d4e5"),
    cb.PostUndo("a1b2c3d4e5"),
    cb.PostDelete("a1b2c3d4e5"),
    cb.DraftApprove("a1b2c3d4e5"),
    cb.DraftReject("a1b2c3d4e5"),
    *(cb.SettingsMenu(page) for page in cb.Page),
    cb.SettingsDone(),
    *(cb.SetLanguage(language) for language in CATALOGS),
    cb.SetTimezone("Europe/Paris"),
    cb.SetTimezone(LONGEST_TIMEZONE),
    cb.SetTimezone("Etc/GMT+5"),
    cb.SetHour(0),
    cb.SetHour(23),
    cb.SetTime(7, 5),
    cb.SetTime(23, 59),
    cb.SetDays(frozenset()),
    cb.SetDays(frozenset({6})),
    cb.SetDays(ALL_DAYS),
    cb.SetCooling(0),
    cb.SetCooling(600),
    cb.SetCoolingDefault(),
    cb.TeamInvite(Role.DELEGATE),
    cb.TeamInvite(Role.READER),
    cb.TeamGrant(Role.DELEGATE, LAST_USER_ID),
    cb.TeamGrant(Role.READER, 1),
    cb.TeamRemove(LAST_USER_ID),
    cb.TeamCancel(),
    cb.WatchShow(LONGEST_WATCH_ID),
    cb.WatchFollow(LONGEST_WATCH_ID),
    cb.WatchUnfollow(LONGEST_WATCH_ID),
    cb.WatchRemove(LONGEST_WATCH_ID),
    cb.WatchCancel(),
    cb.FeedRemove(FEED_ID),
    cb.FeedRemoveConfirm(FEED_ID),
    cb.TeamRemoveConfirm(LAST_USER_ID),
    cb.BriefingMore(BRIEFING_ID, 1),
    cb.BriefingMore("-_" * 4, 999),
    cb.BriefingMute(LONGEST_WATCH_ID),
    cb.BriefingUnmute(LONGEST_WATCH_ID),
    cb.PostingPause(LONGEST_WATCH_ID),
    cb.PostingResume(),
    cb.CrisisDraft(LONGEST_WATCH_ID),
    cb.CrisisFollow(LONGEST_WATCH_ID, True),
    cb.CrisisFollow("fnac", False),
    cb.AlertStop(LONGEST_WATCH_ID),
    cb.GuardrailsReset("0123456789"),
    cb.GuardrailsCancel(),
    cb.FollowConfirm("9" * 19),
    cb.FollowCancel("1500000001"),
    cb.UnfollowAsk("9" * 19),
    cb.UnfollowConfirm("9" * 19),
]


@pytest.mark.parametrize("button", EXAMPLES, ids=repr)
def test_every_button_comes_back_as_it_was_sent_within_64_bytes(button):
    data = cb.encode(button)
    assert len(data.encode()) <= cb.MAX_BYTES
    assert cb.parse(data) == button


def test_every_kind_is_tested_and_has_a_handler():
    kinds = set(cb.KINDS.values())
    assert {type(b) for b in EXAMPLES} == kinds
    assert set(ROUTES) == kinds


def test_the_data_already_on_users_phones_still_parses():
    """Briefings (kept for days), team offers and watch lists sent before this codec."""
    assert cb.parse("brief:more:Ab3_-xYz:4") == cb.BriefingMore("Ab3_-xYz", 4)
    assert cb.parse("brief:mute:groupe-fnac") == cb.BriefingMute("groupe-fnac")
    assert cb.parse("post:pause:groupe-fnac") == cb.PostingPause("groupe-fnac")
    assert cb.parse("post:resume") == cb.PostingResume()
    assert cb.parse("team:grant:delegate:444") == cb.TeamGrant(Role.DELEGATE, 444)
    assert cb.parse("watch:unfollow:fnac") == cb.WatchUnfollow("fnac")
    assert cb.parse("feed:rm:0123456789ab") == cb.FeedRemove("0123456789ab")
    assert cb.parse("set:menu:main") == cb.SettingsMenu(cb.Page.MAIN)


@pytest.mark.parametrize(
    "data",
    [
        "",
        "zzz:1",
        "set",
        "set:",
        "set:menu",  # a field missing
        "set:menu:main:main",  # one too many
        "set:menu:Main",
        "crisis:follow:fnac:2",  # a bool is 1 or 0
        "crisis:follow:fnac:True",
        "set:menu:settings",  # no such page
        "set:done:",
        "set:hour:١٢",  # digits int() reads, but not ASCII
        "set:hour:１２",
        "set:hour:24",
        "set:hour:-1",
        "set:hour:+5",
        "set:hour:05",  # not the way it is written
        "set:hour: 5",
        "set:time:7",
        "set:time:7:60",
        "set:days:9",
        "set:days:١٢٣",
        "set:days:31",
        "set:days:113",
        "set:days:",
        "set:cool:601",  # past 10 minutes
        "set:cool:-1",  # the default is its own button
        "set:cooldef:0",
        "guard:reset:",  # no version
        "guard:reset:a b",
        "guard:cancel:now",
        "set:lang:de",  # no such language
        "set:lang:FR",
        "set:tz:Europe/Paris:x",
        "set:tz:Europe Paris",
        "team:invite:owner",  # not a role one grants
        "team:invite:stranger",
        "team:invite:king",
        "team:grant:delegate",
        "team:grant:delegate:0",
        f"team:grant:delegate:{2**53}",
        "team:grant:owner:5",
        "team:rm:abc",
        "team:rm:٤٤٤",
        "team:cancel:now",
        "watch:show:",
        "watch:show:fnaç",
        "watch:show:a b",
        "watch:follow:fnac:x",
        "watch:toggle:fnac",
        "brief:more:abc",
        "brief:more:abc:0",
        "brief:more::1",
        "feed:rm:" + "a" * 57,  # 65 bytes
        "watch:show:" + "é" * 27,  # 65 bytes, not ASCII
        "follow:yes:fnac",  # an X id is digits
        "follow:yes:" + "9" * 20,  # 19 at most
        "unfollow:yes:",
        "unfollow:yes:-5",
    ],
)
def test_unknown_malformed_or_forged_data_parses_to_none(data):
    assert cb.parse(data) is None


def test_the_limit_is_64_bytes_exactly():
    assert cb.parse("watch:show:" + "a" * 53) == cb.WatchShow("a" * 53)
    assert cb.parse("watch:show:" + "a" * 54) is None
    with pytest.raises(AssertionError):
        cb.encode(cb.WatchShow("a" * 54))


def test_values_that_could_not_be_read_back_are_not_encoded():
    with pytest.raises(AssertionError):
        cb.encode(cb.WatchShow("a:b"))
    with pytest.raises(ValueError):
        cb.TeamGrant(Role.OWNER, 5)
    with pytest.raises(ValueError):
        cb.SetTime(24, 0)


def test_the_codec_is_pure():
    imported = subprocess.run(
        [sys.executable, "-c", "import sys, bot.callbacks; print(' '.join(sys.modules))"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert [m for m in imported if m.startswith(("telegram", "redis", "bot.store", "bot.sources"))] == []
