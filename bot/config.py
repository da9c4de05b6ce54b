"""Settings read once from the environment (and a `.env` file), then passed down."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.text import is_number

LANGUAGES = ("fr", "en")


class Settings(BaseSettings):
    """The interface contract's environment variables (see README, "Configuration")."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    telegram_bot_token: SecretStr | None = Field(None, validation_alias="TELEGRAM_BOT_TOKEN")
    telegram_api_url: str = Field("https://api.telegram.org", validation_alias="TELEGRAM_API_URL")
    telegram_rate: float = Field(30, gt=0, le=1000, validation_alias="VIGIE_TELEGRAM_RATE")

    x_bearer_token: SecretStr | None = Field(None, validation_alias="X_BEARER_TOKEN")
    x_user_access_token: SecretStr | None = Field(None, validation_alias="X_USER_ACCESS_TOKEN")
    x_api_key: SecretStr | None = Field(None, validation_alias="X_API_KEY")
    x_api_secret: SecretStr | None = Field(None, validation_alias="X_API_SECRET")
    x_access_token: SecretStr | None = Field(None, validation_alias="X_ACCESS_TOKEN")
    x_access_token_secret: SecretStr | None = Field(None, validation_alias="X_ACCESS_TOKEN_SECRET")
    x_api_url: str = Field("https://api.x.com", validation_alias="X_API_URL")

    redis_url: SecretStr | None = Field(None, validation_alias="REDIS_URL")
    data_dir: Path = Field(Path("data"), validation_alias="VIGIE_DATA_DIR")

    owner_ids: Annotated[frozenset[int], NoDecode] = Field(frozenset(), validation_alias="VIGIE_OWNER_IDS")

    webhook_url: str | None = Field(None, validation_alias="WEBHOOK_URL")
    webhook_secret: SecretStr | None = Field(None, validation_alias="WEBHOOK_SECRET")
    port: int = Field(8080, validation_alias="PORT")
    metrics_port: int | None = Field(None, validation_alias="METRICS_PORT")

    timezone: str = Field("Europe/Paris", validation_alias="VIGIE_TIMEZONE")
    language: str = Field("fr", validation_alias="VIGIE_LANGUAGE")

    allowed_feed_hosts: Annotated[frozenset[str], NoDecode] = Field(
        frozenset(), validation_alias="VIGIE_ALLOWED_FEED_HOSTS"
    )
    x_search_interval: int = Field(300, ge=30, validation_alias="VIGIE_X_SEARCH_INTERVAL")
    trends_interval: int = Field(900, ge=60, validation_alias="VIGIE_TRENDS_INTERVAL")
    feed_interval: int = Field(600, ge=60, validation_alias="VIGIE_FEED_INTERVAL")
    cooling_off: int = Field(60, ge=0, le=3600, validation_alias="VIGIE_COOLING_OFF")
    x_timeout: int = Field(30, ge=2, le=60, validation_alias="VIGIE_X_TIMEOUT")
    feed_timeout: int = Field(30, ge=2, le=120, validation_alias="VIGIE_FEED_TIMEOUT")
    x_monthly_budget_usd: float | None = Field(None, ge=0, validation_alias="VIGIE_X_MONTHLY_BUDGET_USD")
    log_format: Literal["text", "json"] = Field("text", validation_alias="VIGIE_LOG_FORMAT")
    summarizer: Literal["lexrank", "sumy-lexrank", "textrank", "lsa", "luhn"] = Field(
        "lexrank", validation_alias="VIGIE_SUMMARIZER"
    )

    @field_validator("owner_ids", mode="before")
    @classmethod
    def _parse_owner_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(",") if p.strip()]
            bad = [p for p in parts if not is_number(p.lstrip("-"))]
            if bad:
                raise ValueError(f"not a Telegram user id: {', '.join(bad)}")
            return frozenset(int(p) for p in parts)
        return value

    @field_validator("allowed_feed_hosts", mode="before")
    @classmethod
    def _parse_hosts(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(h.strip().lower() for h in value.split(",") if h.strip())
        return value

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("language")
    @classmethod
    def _check_language(cls, value: str) -> str:
        value = value.lower()
        if value not in LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")
        return value

    @field_validator("telegram_api_url", "x_api_url")
    @classmethod
    def _check_api_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL with a host: {value!r}")
        return value.rstrip("/")

    @field_validator("webhook_url")
    @classmethod
    def _check_webhook_url(cls, value: str | None) -> str | None:
        if value and not value.startswith("https://"):
            raise ValueError("Telegram only calls https:// webhook URLs")
        return value or None

    @property
    def webhook_token(self) -> str:
        """`WEBHOOK_SECRET`, or one derived from the bot token (the same on every replica)."""
        if self.webhook_secret:
            return self.webhook_secret.get_secret_value()
        return hmac.new((self.bot_token or "").encode(), b"vigie-webhook", hashlib.sha256).hexdigest()

    @property
    def bot_token(self) -> str | None:
        """The Telegram token in clear, for the one place that needs it (the Bot API client)."""
        return self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else None


def load_settings(**overrides: Any) -> Settings:
    """Read the settings once; `overrides` (by field name) win over the environment."""
    return Settings(**overrides)
