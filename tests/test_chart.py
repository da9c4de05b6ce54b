"""A crisis alert's chart: a PNG of a phone's width, in the reader's language and time zone, whatever the
watch's name, and the same bytes when drawn in a spawned worker of the process pool."""

from __future__ import annotations

import math
import multiprocessing
import struct
import warnings
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.render.chart import Chart, render

START = datetime(2026, 3, 28, 12, tzinfo=UTC).timestamp()  # Paris moves to summer time within the 48 h
BUCKETS = 192
USUAL = tuple(20 + 15 * math.sin(2 * math.pi * i / 96) for i in range(BUCKETS))
CHART = Chart(
    title="Fnac Darty",
    language="fr",
    timezone="Europe/Paris",
    start=START,
    step=900,
    counts=tuple(round(u) if i < 184 else round(u * (i - 180)) for i, u in enumerate(USUAL)),
    usual=USUAL,
    spread=tuple(max(math.sqrt(u), 1.0) for u in USUAL),
    alert=START + 185 * 900,
)


def _size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def test_a_chart_is_a_png_of_a_phones_width():
    width, height = _size(render(CHART))
    assert 900 <= width <= 1100
    assert 504 <= height <= 616


def test_the_chart_speaks_the_readers_language_and_time():
    french = render(CHART)
    assert render(replace(CHART, language="en")) != french
    assert render(replace(CHART, timezone="Asia/Tokyo")) != french


@pytest.mark.parametrize("title", ["東京電力 🚨🔥", "$AAPL \\frac{ $TSLA"])  # no glyph; not read as maths
def test_any_watch_name_renders_without_a_warning(title):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _size(render(replace(CHART, title=title)))


def test_a_watch_without_a_usual_yet_renders():
    unknown = (None,) * BUCKETS
    _size(render(replace(CHART, usual=unknown, spread=unknown, alert=None)))


def test_series_of_different_lengths_are_refused():
    with pytest.raises(ValueError):
        render(replace(CHART, usual=CHART.usual[1:]))


def test_a_spawned_worker_draws_the_same_bytes():
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        assert pool.submit(render, CHART).result() == render(CHART)
