"""Benchmark of feed-text cleaning (bot.cleaning) on hostile lines: each pattern's worst case, at
growing sizes. Time must grow linearly with the size (quadratic patterns once took 5 s at 1x).

    .venv/bin/python -m bench.cleaning
"""

from __future__ import annotations

import time

from bot.cleaning import clean


def hostile(scale: int) -> list[str]:
    """Lines built to make a backtracking pattern explode, `scale` times longer than at 1x."""
    n = 1000 * scale
    return [
        "Par Jean Dupont, " + "1 a " * (3 * n) + ".",
        "Published " + "1 " * (5 * n) + ".",
        "The post " * (3 * n),
        "window. " * (3 * n),
        "PARIS, " + "a" * (10 * n),
        "Par " + "Jean " * (3 * n),
        " [...]" * (3 * n),
    ]


def main() -> None:
    print("scale   seconds (all hostile lines cleaned once)")
    for scale in (1, 2, 4, 8):
        lines = hostile(scale)
        started = time.perf_counter()
        for line in lines:
            clean(line, "Jean Jean Jean Jean")
        print(f"{scale:>4}x  {time.perf_counter() - started:8.3f}")


if __name__ == "__main__":
    main()
