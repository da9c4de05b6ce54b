"""`python -m bot check`: validate the configuration and reach each configured service."""

from __future__ import annotations

import time
from typing import TextIO

import httpx
from telegram import Bot
from telegram.error import TelegramError

from bot.config import Settings
from bot.logs import RedactSecrets, secrets_of
from bot.services import open_services

TIMEOUT = 10.0


async def _telegram(settings: Settings) -> str:
    bot = Bot(settings.bot_token or "", base_url=f"{settings.telegram_api_url}/bot")
    try:
        async with bot:
            return f"ok, @{bot.username}"
    except TelegramError as exc:
        raise RuntimeError(str(exc)) from None


async def _x(settings: Settings) -> str:
    assert settings.x_bearer_token is not None, "run_check probes only what is configured"
    headers = {"Authorization": f"Bearer {settings.x_bearer_token.get_secret_value()}"}
    async with httpx.AsyncClient(timeout=TIMEOUT) as client:
        response = await client.get(f"{settings.x_api_url}/2/usage/tweets", headers=headers)
    if response.status_code != 200:
        raise RuntimeError(f"HTTP {response.status_code}")
    return "ok"


async def run_check(settings: Settings, out: TextIO) -> bool:
    """Print one line per service; True when every configured one answered."""
    healthy = True
    redact = RedactSecrets(secrets_of(settings)).redact

    def line(name: str, status: str) -> None:
        out.write(redact(f"{name:<36} {status}") + "\n")

    line("configuration", "ok")
    redis_name = "redis (REDIS_URL)" if settings.redis_url else f"redis (embedded, {settings.data_dir})"
    try:
        async with open_services(settings) as services:
            line(redis_name, "ok")
            beat = await services.store.system.last_beat()
            line("worker heartbeat", f"{int(time.time()) - beat} s ago" if beat else "none yet")
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        healthy = False
        line(redis_name, f"failed: {type(exc).__name__}: {exc}")

    checks = [
        ("telegram", settings.telegram_api_url, settings.telegram_bot_token, _telegram),
        ("x", settings.x_api_url, settings.x_bearer_token, _x),
    ]
    for name, url, secret, probe in checks:
        label = f"{name} ({url})"
        if secret is None:
            line(label, "not configured")
            continue
        try:
            line(label, await probe(settings))
        except Exception as exc:  # noqa: BLE001 - reported, not raised
            healthy = False
            line(label, f"failed: {exc}")
    return healthy
