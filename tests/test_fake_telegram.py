"""Self-tests of the fake Telegram Bot API server, driven by a real PTB Bot."""

import asyncio

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputMediaPhoto
from telegram.constants import ParseMode
from telegram.error import BadRequest, Conflict, Forbidden, RetryAfter
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler

from tests.fakes.telegram import FakeTelegram, parse_html


@pytest.fixture
async def tg():
    async with FakeTelegram() as server:
        yield server


@pytest.fixture
async def bot(tg):
    async with Bot(tg.token, base_url=f"{tg.url}/bot") as bot:
        yield bot


async def test_get_me(bot, tg):
    assert bot.id == tg.bot_id
    assert bot.username == "vigie_test_bot"


async def test_unknown_chat_is_rejected(bot):
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(42, "hello")


async def test_invalid_html_is_rejected(bot, tg):
    alice = tg.user(1, "Alice")
    await tg.send_text(alice, "/start")
    for text in ("<b>bold</i>", "<b>open", "a < b", "<foo>x</foo>", "Tom & Jerry", "<b></b>"):
        with pytest.raises(BadRequest):
            await bot.send_message(1, text, parse_mode=ParseMode.HTML)
    await bot.send_message(1, "<b>Hé</b> &lt;3 <a href='https://x.org'>lien</a>", parse_mode="HTML")
    [message] = tg.messages(1)
    assert message["text"] == "Hé <3 lien"
    assert message["parse_mode"] == "HTML"
    assert message["entities"] == [
        {"type": "bold", "offset": 0, "length": 2},
        {"type": "text_link", "offset": 6, "length": 4, "url": "https://x.org"},
    ]


def test_html_entities_use_utf16_offsets():
    text, entities = parse_html("😀 <i>x</i><pre><code class='language-py'>y</code></pre>")
    assert text == "😀 xy"
    assert entities == [
        {"type": "italic", "offset": 3, "length": 1},
        {"type": "pre", "offset": 4, "length": 1, "language": "py"},
    ]


async def test_text_length_limit(bot, tg):
    await tg.send_text(tg.user(1), "hi")
    await bot.send_message(1, "x" * 4096)
    with pytest.raises(BadRequest, match="too long"):
        await bot.send_message(1, "x" * 4097)
    assert len(await tg.wait_for_messages(1, 1)) == 1


async def test_callback_data_limit_and_press(bot, tg):
    alice = tg.user(1)
    await tg.send_text(alice, "hi")
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="x" * 65)]])
    with pytest.raises(BadRequest, match="(?i)button_data_invalid"):
        await bot.send_message(1, "pick", reply_markup=too_long)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Oui", callback_data="yes")]])
    sent = await bot.send_message(1, "pick", reply_markup=keyboard)
    query_id = await tg.press(alice, sent.message_id, "Oui")
    updates = await bot.get_updates(offset=2)
    query = updates[-1].callback_query
    assert (query.id, query.data, query.message.text) == (query_id, "yes", "pick")
    await query.answer("ok")
    assert await tg.wait_for_answer(query_id) == {"text": "ok", "show_alert": False, "url": None}
    with pytest.raises(BadRequest, match="(?i)query is too old"):
        await query.answer("again")
    with pytest.raises(AssertionError, match="no button"):
        await tg.press(alice, sent.message_id, "Non")


async def test_fail_next_retry_after(bot, tg):
    await tg.send_text(tg.user(1), "hi")
    tg.fail_next("sendMessage", 429, retry_after=3)
    with pytest.raises(RetryAfter, match="Retry in 3 seconds"):
        await bot.send_message(1, "hello")
    await bot.send_message(1, "hello")


async def test_messages_over_telegrams_limits_get_a_429_with_retry_after(bot, tg):
    await tg.send_text(tg.user(1), "hi")
    tg.enforce_limits()
    for n in range(4):  # a short burst is allowed
        await bot.send_message(1, f"hello {n}")
    with pytest.raises(RetryAfter, match="Retry in 1 seconds"):
        await bot.send_message(1, "one too many")  # 1 a second in a private chat after that
    assert tg.too_many == 1 and len(tg.messages(1)) == 4


async def test_blocked_user(bot, tg):
    alice = tg.user(1)
    await tg.send_text(alice, "hi")
    tg.block(alice)
    with pytest.raises(Forbidden, match="blocked"):
        await bot.send_message(1, "hello")


async def test_long_poll_receives_update(bot, tg):
    alice = tg.user(7, username="alice")
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.2)
    assert not poll.done()
    await tg.send_text(alice, "/team@vigie_test_bot now")
    [update] = await asyncio.wait_for(poll, 2)
    assert update.message.text == "/team@vigie_test_bot now"
    assert update.message.entities[0].length == len("/team@vigie_test_bot")
    assert await bot.get_updates(offset=update.update_id + 1, timeout=0) == ()


async def test_concurrent_get_updates_conflict(bot, tg):
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.2)
    async with Bot(tg.token, base_url=f"{tg.url}/bot") as other:
        assert await other.get_updates(timeout=0) == ()
    with pytest.raises(Conflict, match="terminated by other getUpdates"):
        await first


async def test_edit_not_modified(bot, tg):
    await tg.send_text(tg.user(1), "hi")
    sent = await bot.send_message(1, "<b>v1</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_text("<b>v1</b>", chat_id=1, message_id=sent.message_id, parse_mode="HTML")
    await bot.edit_message_text("v2", chat_id=1, message_id=sent.message_id)
    edited = await tg.wait_for_edit(1, sent.message_id)
    assert (edited["text"], edited["edited"], "entities" in edited) == ("v2", True, False)
    with pytest.raises(BadRequest, match="to edit not found"):
        await bot.edit_message_text("x", chat_id=1, message_id=999)


async def test_commands(bot, tg):
    await bot.set_my_commands([("start", "Démarrer")], language_code="fr")
    assert tg.commands("fr") == [{"command": "start", "description": "Démarrer"}]
    with pytest.raises(BadRequest, match="(?i)bot_command_invalid"):
        await bot.set_my_commands([("Start", "x")])
    assert tg.calls[-1][0] == "setMyCommands"


async def test_send_photo_upload(bot, tg):
    await tg.send_text(tg.user(1), "hi")
    sent = await bot.send_photo(1, b"\x89PNG fake", caption="<i>pic</i>", parse_mode="HTML")
    assert sent.caption == "pic" and sent.photo[0].file_size == 9
    again = await bot.send_photo(1, sent.photo[0].file_id)
    assert again.photo[0].file_id == sent.photo[0].file_id
    with pytest.raises(BadRequest, match="caption is too long"):
        await bot.send_photo(1, sent.photo[0].file_id, caption="x" * 1025)


async def test_edit_a_photo_s_picture_and_caption(bot, tg):
    await tg.send_text(tg.user(1), "hi")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Suivre", callback_data="f")]])
    sent = await bot.send_photo(1, b"\x89PNG one", caption="<b>v1</b>", parse_mode="HTML", reply_markup=keyboard)
    media = InputMediaPhoto(b"\x89PNG two", caption="<b>v2</b>", parse_mode="HTML")
    await bot.edit_message_media(media, chat_id=1, message_id=sent.message_id)
    edited = await tg.wait_for_edit(1, sent.message_id)
    assert edited["caption"] == "v2" and edited["caption_entities"][0]["type"] == "bold"
    assert edited["photo"][0]["file_id"] != sent.photo[0].file_id and "reply_markup" not in edited
    await bot.edit_message_reply_markup(1, sent.message_id, reply_markup=keyboard)  # the picture stays
    kept = await tg.wait_for_edit(1, sent.message_id)
    assert kept["photo"] == edited["photo"] and kept["caption"] == "v2"
    text = await bot.send_message(1, "plain")
    with pytest.raises(BadRequest, match="no media in the message"):
        await bot.edit_message_media(media, chat_id=1, message_id=text.message_id)


async def test_application_polling(tg):
    async def start(update, context):
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="go")]])
        await update.message.reply_html(f"<b>Salut</b> {update.effective_user.first_name}", reply_markup=keyboard)

    async def go(update, context):
        await update.callback_query.answer()
        await update.callback_query.edit_message_text("Parti")

    app = ApplicationBuilder().token(tg.token).base_url(f"{tg.url}/bot").base_file_url(f"{tg.url}/file/bot").build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(go))
    alice = tg.user(5, "Alice")
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=1)
        await tg.send_text(alice, "/start")
        [message] = await tg.wait_for_messages(5, 1)
        assert message["text"] == "Salut Alice"
        query_id = await tg.press(alice, message, 0)
        assert (await tg.wait_for_edit(5, message["message_id"]))["text"] == "Parti"
        assert query_id in tg.answers()
        await app.updater.stop()
        await app.stop()
