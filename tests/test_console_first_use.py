"""The console as a first impression: its samples are seeded once and serve every console on the
same data, it speaks the language chosen, and a button Vigie removed cannot be pressed."""

from __future__ import annotations

import asyncio
import os
import pty
import signal
import time
from pathlib import Path

from bot.samples.server import SampleServer
from bot.store import Store
from tests.conftest import ROOT, product_env, vigie_cli, wait_until
from tests.consolekit import start_console


def _env(tmp_path: Path) -> dict[str, str]:
    return product_env(PYTHONPATH=str(ROOT), VIGIE_DATA_DIR=str(tmp_path / "data"))


async def _console(tmp_path: Path, script: str) -> str:
    """`printf SCRIPT | python -m bot console`: what it printed (it must end cleanly)."""
    code, out, err = await vigie_cli("console", env=_env(tmp_path), cwd=tmp_path, stdin=script.encode(), timeout=120)
    assert code == 0 and err == "", err
    return out


async def test_the_samples_are_seeded_once_and_a_restart_keeps_what_the_person_changed(tmp_path):
    eco = SampleServer.feed_url("eco")
    first = await _console(tmp_path, f"/watch rm Distribution\n1\n/feed add {eco} Fnac\n/watch add Zorglub zorglub\n")
    assert "Veille Distribution supprimée." in first
    assert "il alimente maintenant aussi Fnac" in first

    again = await _console(tmp_path, "/watch\n/feed\n")
    watches = again[again.index("Veilles (volume sur 24 h)") : again.index("› /feed")]
    assert "• Fnac —" in watches and "• Zorglub —" in watches
    assert "Distribution" not in watches  # the sample watch removed did not come back
    feeds = again[again.index("Flux\n") :]
    assert "1. La Lettre de l’Économie (exemple) (exemple.invalid) → actualités générales, Fnac" in feeds
    assert "Distribution Hebdo" not in feeds and "2. " not in feeds  # its feed went with it, for good
    assert "Retirer : /feed rm 1 (son numéro)" in feeds  # the example is a number the list has


async def test_a_second_console_on_the_same_data_leaves_the_first_ones_samples_working(tmp_path):
    first = await start_console(_env(tmp_path), tmp_path)
    await first.say("/feed")
    await first.shows("2. La Lettre de l’Économie (exemple) (exemple.invalid)", timeout=60)

    second = await _console(tmp_path, "/feed\n")  # on the same data, its samples on a port of its own
    assert "2. La Lettre de l’Économie (exemple) (exemple.invalid)" in second
    after = time.time()

    # The first console, alone again, still reads every sample feed from its own server.
    async with Store.open(None, tmp_path / "data" / "console") as store:

        async def read_by_the_first() -> bool:
            feeds = await store.feeds.all()
            return len(feeds) == 2 and all(f.last_ok > after and not f.last_error for f in feeds)

        await wait_until(read_by_the_first, timeout=240)  # feeds are polled every minute
        assert {feed.url for feed in await store.feeds.all()} == {
            SampleServer.feed_url("distrib"),
            SampleServer.feed_url("eco"),
        }
    code, err = await first.close()
    assert code == 0 and err == ""


async def test_two_consoles_starting_at_once_on_new_data_seed_the_samples_once(tmp_path):
    both = await asyncio.gather(_console(tmp_path, "/watch\n"), _console(tmp_path, "/feed\n"))
    assert both[0].count("• Fnac —") == 1 and both[0].count("• Distribution —") == 1
    assert "2. La Lettre de l’Économie (exemple) (exemple.invalid)" in both[1] and "3. " not in both[1]


async def test_a_button_vigie_removed_cannot_be_pressed(tmp_path):
    out = await _console(tmp_path, "/watch rm Fnac\n2\n1\n9\n/watch\n")
    cancelled = out.index("Rien n’a été changé.")
    assert "(le dernier message à boutons n’en a plus : Vigie les a retirés" in out[cancelled:]
    assert "Veille Fnac supprimée" not in out
    assert "• Fnac —" in out[out.index("› /watch\n") :]  # still there


async def test_the_console_speaks_the_language_chosen_and_opens_in_it_next_time(tmp_path):
    out = await _console(tmp_path, "/settings\n1\n2\n9\n/watch rm Fnac\n2\n1\n")
    switched = out.index("» Saved ✅")
    assert "✎ (message edited)\nSettings" in out[switched:]
    assert "(no button 9 in the last message with buttons)" in out[switched:]
    assert "(the last message with buttons has none any more" in out[switched:]
    assert "modifié" not in out[switched:] and "bouton" not in out[switched:]

    # On a terminal, the next console greets in English.
    terminal, typed = pty.openpty()
    console = await start_console(_env(tmp_path), tmp_path, stdin=typed)
    os.close(typed)
    try:
        await console.shows("Vigie, in a console. Try /start and /help", timeout=60)
        os.write(terminal, b"\x04")  # Ctrl-D: end of input
        code, err = await console.close()
    finally:
        os.close(terminal)
    assert code == 0 and err == ""
    assert "en console" not in console.out


async def test_ctrl_c_quits_at_once_without_a_traceback(tmp_path):
    terminal, typed = pty.openpty()
    console = await start_console(_env(tmp_path), tmp_path, stdin=typed)
    os.close(typed)
    try:
        os.write(terminal, b"/watch\n")
        await console.shows("• Fnac —", timeout=60)
        await console.shows("› ", after=console.out.index("• Fnac —"))  # waiting for the next line
        console.process.send_signal(signal.SIGINT)  # Ctrl-C, with nothing more typed
        code, err = await console.close()
    finally:
        os.close(terminal)
    assert code == 0 and err == ""


async def test_the_first_briefing_of_a_fresh_console_has_the_trends(tmp_path):
    out = await _console(tmp_path, "/briefing\n")
    assert "Tendances X — France (à l’instant) : #Fnac ⭐" in out
