"""Nothing Vigie sends is longer than Telegram takes (4,096 characters after entity parsing, a
caption 1,024): echoes of a long argument are shortened, and a message still too long (a long
list) is split, or cut when it is an edit, where every message leaves (bot.delivery.fitting).
The local Bot API server refuses an over-long text as Telegram does (tests/test_fake_telegram.py);
the console says so."""

from __future__ import annotations

import io

import pytest
from telegram.constants import ParseMode
from telegram.ext import ExtBot

from bot import watchlist
from bot.console import CONSOLE_USER_ID, ConsoleRequest
from tests.conftest import OWNER_ID, product_env, running_bot, vigie_cli
from tests.fakes.telegram import utf16_len

LONG = "a" * 5000
APOLOGY = ("Désolé, un incident", "Sorry, something")


@pytest.fixture
async def long_bot(settings, tg, feeds):
    async with running_bot(settings, tg, allowed_feed_hosts=frozenset({feeds.host})) as running:
        yield running


@pytest.mark.parametrize(
    "command",
    [
        f"/watch {LONG}",
        f"/watch rm {LONG}",
        f"/watch add {LONG} fnac",
        f"/watch add Fnac {LONG}",
        f"/feed add {LONG}",
        f"/feed add https://{LONG}.fr/rss",
        f"/feed add https://example.com/rss {LONG}",
        f"/settings fuseau {LONG}",
        f"/settings heure {LONG}",
        f"/alert {LONG}",
        f"/alert Fnac min:{LONG}",
        f"/team add délégué {LONG}",
        f"/team add {LONG} 555",
        f"/guardrails add {LONG}",
        f"/follow {LONG}",
        f"/trends {LONG}",
        f"/journal {LONG}",
        f"/{LONG}",
    ],
    ids=lambda command: command.split()[0] + str(len(command.split())),
)
async def test_a_5000_character_argument_gets_an_answer_that_arrives(long_bot, tg, command):
    owner = tg.user(OWNER_ID)
    await tg.send_text(owner, command)
    answers = await tg.wait_for_messages(OWNER_ID, 1)
    assert not any(a["text"].startswith(APOLOGY) for a in answers), answers[0]["text"]
    assert all(utf16_len(a["text"]) <= 4096 for a in answers)


async def test_a_list_too_long_for_one_message_comes_in_several_with_its_buttons_last(long_bot, tg):
    store = long_bot.services.store
    words = " ".join(f"mot{n:03d}" for n in range(60))  # a query of about 420 characters
    for n in range(12):
        await watchlist.create(store, f"Veille {n}", f"{words} v{n}", OWNER_ID)
    owner = tg.user(OWNER_ID)
    await tg.send_text(owner, "/watch")
    first, second = await tg.wait_for_messages(OWNER_ID, 2, timeout=10)
    assert first["text"].startswith("Veilles (volume sur 24 h)") and "reply_markup" not in first
    assert all(f"Veille {n} —" in first["text"] + second["text"] for n in range(12))
    assert len([row for row in second["reply_markup"]["inline_keyboard"]]) == 12

    # An edit cannot become two messages: the list, cut, keeps its buttons.
    await tg.press(owner, second, "Ne plus suivre Veille 0")
    edited = await tg.wait_for_edit(OWNER_ID, second["message_id"])
    assert edited["text"].startswith("Veilles (volume sur 24 h)") and edited["text"].endswith("…")
    assert utf16_len(edited["text"]) <= 4096 and "Suivre Veille 0" in str(edited["reply_markup"])


async def test_the_console_warns_of_a_message_too_long_for_telegram():
    out = io.StringIO()
    request = ConsoleRequest(out, "fr")
    async with ExtBot("0:console", request=request, get_updates_request=request) as bot:  # a Bot that lets it through
        await bot.send_message(CONSOLE_USER_ID, "<b>" + "x" * 5000 + "</b>", parse_mode=ParseMode.HTML)
    shown = out.getvalue()
    assert "x" * 5000 in shown
    assert (
        "⚠️ Ce message dépasse la limite de Telegram (5000 caractères, 4096 au plus) : Telegram le refuserait." in shown
    )


async def test_the_console_shows_a_long_echo_without_warning(tmp_path):
    env = product_env(VIGIE_DATA_DIR=str(tmp_path / "data"))
    code, out, err = await vigie_cli("console", env=env, cwd=tmp_path, stdin=f"/watch {LONG}\n".encode(), timeout=120)
    assert code == 0 and err == ""
    assert "Aucune veille nommée « aaaa" in out and "…" in out
    assert "dépasse la limite de Telegram" not in out
