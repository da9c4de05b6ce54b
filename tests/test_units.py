"""Pure pieces: catalogs, parsing of typed settings, log redaction, embedded Redis persistence."""

from __future__ import annotations

import json
import logging
import string

import pytest
import redis
from pydantic import ValidationError

from bot.config import load_settings
from bot.logs import RedactSecrets, secrets_of, setup_logging
from bot.members import parse_time, parse_timezone
from bot.outage import is_outage
from bot.render.i18n import CATALOGS, Html, t
from bot.store.embedded import EmbeddedRedis
from bot.trends import place_woeid


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_french_and_english_catalogs_say_the_same_things():
    fr, en = CATALOGS["fr"], CATALOGS["en"]
    assert fr.keys() == en.keys()
    for key in fr:
        assert _fields(fr[key]) == _fields(en[key]), key


def test_inserted_values_are_escaped_unless_marked_html():
    assert t("fr", "team_granted", name="<b>Eve & co</b>", role="lecteur") == (
        "&lt;b&gt;Eve &amp; co&lt;/b&gt; est maintenant <b>lecteur</b>."
    )
    assert "<i>x</i>" in t("en", "welcome_settings", summary=Html("<i>x</i>"))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("07:30", "07:30"),
        ("7h30", "07:30"),
        ("7H05", "07:05"),
        ("730", "07:30"),
        ("8", "08:00"),
        ("23.59", "23:59"),
        ("24:00", None),
        ("7:60", None),
        ("soon", None),
        ("", None),
        ("٨", None),
        ("１", None),
        ("٨:30", None),
        ("7 h 30", "07:30"),
        ("6pm", "18:00"),
        ("12am", "00:00"),
        ("12:30pm", "12:30"),
        ("13pm", None),
    ],
)
def test_typed_times(typed, expected):
    assert parse_time(typed) == expected


def test_typed_time_zones():
    assert parse_timezone("europe/paris") == "Europe/Paris"
    assert parse_timezone("America/New_York") == "America/New_York"
    assert parse_timezone("Paris") == "Europe/Paris"  # a city
    for bad in ("Mars/Olympus", "../../etc/passwd", "", "Atlantide"):
        assert parse_timezone(bad) is None


def test_tokens_and_secrets_never_reach_the_log(caplog):
    token = "1234567890:" + "A" * 35
    logger = logging.getLogger("test.redaction")
    logger.addFilter(RedactSecrets(["s3cr3t-bearer"]))
    with caplog.at_level(logging.INFO, logger="test.redaction"):
        logger.info("POST https://api.telegram.org/bot%s/getMe", token)
        logger.info("bearer %s", "s3cr3t-bearer")
        try:
            raise RuntimeError(f"failed at /bot{token}/sendMessage")
        except RuntimeError:
            logger.exception("boom")
    text = caplog.text
    assert token not in text and "A" * 35 not in text and "s3cr3t-bearer" not in text
    assert text.count("<redacted>") >= 3


def test_json_logs_are_one_object_per_line_without_secrets(capsys):
    token = "1234567890:" + "B" * 35
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    setup_logging(load_settings(telegram_bot_token=token, log_format="json"))
    logger = logging.getLogger("test.json")
    try:
        logger.info("POST https://api.telegram.org/bot%s/getMe: « réponse »", token)
        try:
            raise RuntimeError(f"failed at /bot{token}/sendMessage")
        except RuntimeError:
            logger.exception("boom")
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        logging.captureWarnings(False)
    lines = capsys.readouterr().err.splitlines()
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    assert [(r["level"], r["logger"]) for r in records] == [("INFO", "test.json"), ("ERROR", "test.json")]
    assert records[0]["message"] == "POST https://api.telegram.org/bot<redacted>/getMe: « réponse »"
    assert "<redacted>" in records[1]["exc_info"] and "B" * 35 not in "\n".join(lines)


def test_embedded_redis_keeps_writes_across_restarts(tmp_path):
    server = EmbeddedRedis(tmp_path)
    server.start()
    client = redis.Redis.from_url(server.url)
    client.set("vigie:probe", "kept")
    client.close()
    server.stop()

    again = EmbeddedRedis(tmp_path)
    again.start()
    client = redis.Redis.from_url(again.url)
    assert client.get("vigie:probe") == b"kept"
    assert client.config_get("appendonly")["appendonly"] == "yes"
    assert client.config_get("port")["port"] == "0"
    client.close()
    again.stop()


def test_only_ascii_digits_make_numbers():
    assert place_woeid("23424819") == 23424819
    assert place_woeid("٢٣٤٢٤٨١٩") is None  # int() would read it; place names fold fullwidth forms to ASCII
    with pytest.raises(ValidationError, match="not a Telegram user id"):
        load_settings(owner_ids="١٢٣,456")


@pytest.mark.parametrize(
    ("message", "outage"),
    [
        ("MISCONF Redis is configured to save RDB snapshots", True),
        ("Command # 1 (SET a 3) of pipeline caused error: ('MISCONF Redis is configured',)", True),
        ("Error running script (call to f_bb): @user_script:1: -MISCONF Redis is configured", True),
        ("Command # 2 (HSET x) of pipeline caused error: OOM command not allowed", True),
        ("MASTERDOWN Link with MASTER is down", True),
        ("WRONGTYPE Operation against a key holding the wrong kind of value", False),
        ("ERR unknown command 'FOO'", False),
    ],
)
def test_redis_refusals_are_outages_and_bugs_are_not(message, outage):
    assert is_outage(redis.ResponseError(message)) is outage


def test_unreachable_redis_is_an_outage_and_wrong_credentials_are_not():
    assert is_outage(redis.ConnectionError("Connection refused")) and is_outage(redis.TimeoutError())
    assert not is_outage(redis.AuthenticationError("invalid password")) and not is_outage(ValueError())


def test_the_webhook_secret_derived_from_the_token_is_redacted_too():
    settings = load_settings(telegram_bot_token="1234567890:" + "B" * 35, webhook_url="https://vigie.example.com/hook")
    derived = settings.webhook_token
    assert len(derived) == 64 and derived in secrets_of(settings)
    assert derived not in RedactSecrets(secrets_of(settings)).redact(f"setWebhook secret_token={derived}")
