"""The command line: `python -m bot [run | serve | worker | console | check]`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from pydantic import ValidationError

from bot.config import Settings, load_settings
from bot.logs import setup_logging

NO_TOKEN = (
    "TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and put it in the environment "
    "or in .env (or try `python -m bot console`)."
)


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
    if command == "console":
        return asyncio.run(_console(settings))
    if command == "check":
        return asyncio.run(_check(settings))
    return asyncio.run(_run(settings, bot=command != "worker", worker=command != "serve"))


if __name__ == "__main__":
    sys.exit(main())
