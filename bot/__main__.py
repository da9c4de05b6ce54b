"""The command line: `python -m bot [run | serve | worker | console | check]`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from pydantic import ValidationError
from redis.exceptions import AuthenticationError, AuthorizationError
from telegram.error import InvalidToken

from bot.config import Settings, load_settings
from bot.logs import RedactSecrets, secrets_of, setup_logging
from bot.store import Store

NO_TOKEN = (
    "TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and put it in the environment "
    "or in .env (or try `python -m bot console`)."
)
TOKEN_REFUSED = "Telegram refused TELEGRAM_BOT_TOKEN (unknown or revoked token): check it with @BotFather."


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vigie", description="Vigie: X and news watch for executives, on Telegram.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = commands.add_parser("run", help="bot and worker in one process (default)")
    run.add_argument(
        "--fallback-console", action="store_true", help="open the console instead of failing when no token is set"
    )
    commands.add_parser("serve", help="the Telegram side only (polling, or webhook when WEBHOOK_URL is set)")
    commands.add_parser("worker", help="the arq worker only (scheduled and queued jobs)")
    commands.add_parser("console", help="chat with the bot in this terminal, offline")
    commands.add_parser("check", help="validate the configuration and reach each configured service")
    return parser


async def _console(settings: Settings) -> int:
    from bot.console import run_console

    await run_console(settings)
    return 0


async def _run(settings: Settings, *, bot: bool, worker: bool) -> int:
    from bot.runtime import run
    from bot.services import open_services

    async with open_services(settings) as services:
        await run(services, settings.bot_token or "", bot=bot, worker=worker)
    return 0


async def _check(settings: Settings) -> int:
    from bot.check import run_check

    return 0 if await run_check(settings, sys.stdout) else 1


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = args.command or "run"
    try:
        settings = load_settings()
    except ValidationError as exc:
        for error in exc.errors():
            name = str(error["loc"][0]).upper() if error["loc"] else "configuration"
            print(f"configuration error: {name}: {error['msg']}", file=sys.stderr)
        return 2
    if command in ("run", "serve") and not settings.bot_token:
        print(NO_TOKEN, file=sys.stderr)
        if not getattr(args, "fallback_console", False):
            return 2
        command = "console"
    # The console is a conversation and check a report: only warnings may interrupt them.
    setup_logging(settings, logging.WARNING if command in ("console", "check") else logging.INFO)
    try:
        if command == "console":
            return asyncio.run(_console(settings))
        if command == "check":
            return asyncio.run(_check(settings))
        return asyncio.run(_run(settings, bot=command != "worker", worker=command != "serve"))
    except Exception as exc:  # noqa: BLE001 - every way out is one redacted line or a logged traceback
        return _stopped_by(settings, exc)


def _stopped_by(settings: Settings, exc: BaseException) -> int:
    """Report why the process stops: one line for what the operator can fix, a traceback (through
    the redacting log) for a bug; the exit status."""
    while isinstance(exc, BaseExceptionGroup) and len(exc.exceptions) == 1:  # from a TaskGroup
        exc = exc.exceptions[0]
    if isinstance(exc, InvalidToken):  # its message holds the token: never shown
        return _fail(settings, TOKEN_REFUSED, 2)
    if isinstance(exc, (AuthenticationError, AuthorizationError)):
        return _fail(settings, f"Redis refused the credentials of REDIS_URL: {exc}", 2)
    if isinstance(exc, Store.StartError):
        return _fail(settings, f"the embedded Redis could not start: {exc}", 1)
    if isinstance(exc, OSError):  # a port already taken, a file that cannot be written
        return _fail(settings, f"cannot run: {exc}", 1)
    logging.getLogger("bot").critical("stopped by an unexpected error", exc_info=exc)
    return 1


def _fail(settings: Settings, message: str, code: int) -> int:
    """One line on stderr, secrets redacted; the exit code."""
    redact = RedactSecrets(secrets_of(settings)).redact
    print(redact(" ".join(message.split())), file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
