"""Log lines as text or, with `VIGIE_LOG_FORMAT=json`, one JSON object per line (python-json-logger);
no secret in any of them."""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

from pythonjsonlogger.json import JsonFormatter

from bot.config import Settings

# A Bot API token as it appears in request URLs: bot<digits>:<35 characters>.
_TOKEN_IN_URL = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")
REDACTED = "<redacted>"


class RedactSecrets(logging.Filter):
    """Replaces Telegram tokens and the configured secrets in every record."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if len(s) >= 6]

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return _TOKEN_IN_URL.sub(REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = self.redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def secrets_of(settings: Settings) -> list[str]:
    values = [
        settings.telegram_bot_token,
        settings.x_bearer_token,
        settings.x_user_access_token,
        settings.x_api_key,
        settings.x_api_secret,
        settings.x_access_token,
        settings.x_access_token_secret,
        settings.webhook_secret,
    ]
    secrets = [v.get_secret_value() for v in values if v]
    if settings.webhook_url:
        secrets.append(settings.webhook_token)
    if settings.redis_url and (password := urlsplit(settings.redis_url.get_secret_value()).password):
        secrets.append(password)
    return secrets


def setup_logging(settings: Settings, level: int = logging.INFO) -> None:
    handler = logging.StreamHandler()
    if settings.log_format == "json":
        fields = {"asctime": "time", "levelname": "level", "name": "logger"}
        handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s", rename_fields=fields))
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secrets_of(settings)))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.captureWarnings(True)  # warnings go through the same redaction
    # httpx logs every request URL at INFO, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    # arq logs every job run at INFO (the heartbeat alone: two lines a minute).
    logging.getLogger("arq.worker").setLevel(logging.WARNING)
