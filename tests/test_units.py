"""Pure pieces: catalogs, parsing of typed settings, log redaction, embedded Redis persistence."""

from __future__ import annotations

import logging
import string

import pytest
import redis

from bot.logs import RedactSecrets
from bot.members import parse_time, parse_timezone
from bot.render.i18n import CATALOGS, Html, t
from bot.store.embedded import EmbeddedRedis


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
    [("07:30", "07:30"), ("7h30", "07:30"), ("7H05", "07:05"), ("730", "07:30"), ("8", "08:00"),
     ("23.59", "23:59"), ("24:00", None), ("7:60", None), ("soon", None), ("", None)],
)
def test_typed_times(typed, expected):
    assert parse_time(typed) == expected


def test_typed_time_zones():
    assert parse_timezone("europe/paris") == "Europe/Paris"
    assert parse_timezone("America/New_York") == "America/New_York"
    for bad in ("Mars/Olympus", "../../etc/passwd", "", "Paris"):
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
