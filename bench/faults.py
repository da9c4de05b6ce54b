"""The fault suite's figures: the scenarios of tests/faults.py (real processes, a real
redis-server, the local Bot API server), each with what users saw and how long recovery took.

    .venv/bin/python -m bench.faults [--only NAME ...] [--outage 20]

Prints one block per scenario: commands sent, lost, duplicates (and what was in flight), "back in
a moment" notices per user, apologies, recovery time, exit codes, secrets found in the output.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from dataclasses import asdict
from pathlib import Path

from tests import faults
from tests.fakes.telegram import FakeTelegram

SCENARIOS = {
    "kill-9": faults.kill_mid_burst,
    "redis-outage": faults.redis_outage,
    "disk-full": faults.disk_full,
    "flood-control": faults.flood_control,
    "webhook": faults.webhook_abuse,
    "worker-crash": faults.worker_crash,
    "poller-takeover": faults.poller_takeover,
}


async def _run(name: str, outage: float) -> None:
    with tempfile.TemporaryDirectory(prefix=f"vigie-{name}-") as directory:
        async with FakeTelegram() as tg:
            scenario = SCENARIOS[name]
            extra = {"seconds": outage} if name == "redis-outage" else {}
            report = await scenario(tg, Path(directory), **extra)
    print(f"== {name}")
    for key, value in asdict(report).items():
        if key == "recovery_s":
            value = f"{value:.2f}"
        print(f"  {key:<14} {value}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=sorted(SCENARIOS), default=sorted(SCENARIOS))
    parser.add_argument("--outage", type=float, default=20.0, help="seconds Redis stays down")
    args = parser.parse_args()
    for name in args.only:
        asyncio.run(_run(name, args.outage))


if __name__ == "__main__":
    main()
