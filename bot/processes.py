"""The process pool for CPU work (parsing, summarizing, charts): one process per core.

Kept apart from bot.services so that a pool process, which imports what it runs, starts light.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor


def process_pool() -> ProcessPoolExecutor:
    """A pool of spawned processes (a fork would copy the event loop's state)."""
    return ProcessPoolExecutor(
        max_workers=os.cpu_count() or 2,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_started,
    )


def _started() -> None:
    """How a pool process starts: it yields the CPU to the event loop (answers stay quick), and
    leaves Ctrl-C in a terminal to the main process, which shuts the pool down."""
    os.nice(5)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
