"""A crisis alert's chart: mentions over the last 48 h against the usual band, as a PNG readable on a phone.
Pure and picklable, drawn in the process pool: matplotlib's Agg canvas, no pyplot, no locale (day names
come from the catalogs), the same bytes for the same chart."""

from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.render.i18n import plain

SIZE = (8, 4.5)  # inches: 1000 x 562 px at DPI
DPI = 125
TEXT = 12  # points: ticks, axis label, legend
TITLE = 14
SPREADS = 2  # the band is the usual ± this many spreads
HEADROOM = 1.3  # above the highest point: room for the legend
TICK_HOURS = (1, 2, 3, 6, 12, 24)  # between time ticks: the first that leaves at most MAX_TICKS
MAX_TICKS = 9
QUARTER = 900  # every time zone's offset is a whole number of quarter-hours
MENTIONS, USUAL, BAND, ALERT = "#1f4e79", "#555555", "#dbe6f1", "#d62728"


@dataclass(frozen=True)
class Chart:
    """What a crisis chart shows: mentions per bucket over the last 48 h against the usual band."""

    title: str  # the watch's name, any Unicode
    language: str  # "fr" or "en": axis labels and legend
    timezone: str  # IANA name, e.g. "Europe/Paris": the time axis is in local time
    start: float  # unix seconds of the first bucket
    step: float  # seconds per bucket (900 live)
    counts: tuple[int, ...]  # mentions per bucket
    usual: tuple[float | None, ...]  # the usual (median) of each bucket; None where unknown
    spread: tuple[float | None, ...]  # how far a count may stray by chance: the band is usual ± 2 spreads, from 0
    alert: float | None = None  # unix seconds of the bucket the alert was raised on


def render(chart: Chart) -> bytes:
    """The chart as a PNG, readable on a phone."""
    if not len(chart.counts) == len(chart.usual) == len(chart.spread):
        raise ValueError("counts, usual and spread differ in length")
    if not chart.counts:
        raise ValueError("a chart needs at least one bucket")
    language, step = chart.language, chart.step
    end = chart.start + len(chart.counts) * step
    middles = [chart.start + (i + 0.5) * step for i in range(len(chart.counts))]  # a bucket is drawn at its middle
    usual = [math.nan if u is None else u for u in chart.usual]
    known = list(zip(chart.usual, chart.spread))
    low = [math.nan if u is None or s is None else max(u - SPREADS * s, 0.0) for u, s in known]
    high = [math.nan if u is None or s is None else u + SPREADS * s for u, s in known]

    # matplotlib loads in the pool's processes only, where charts are drawn (50 MB, half a second)
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415
    from matplotlib.figure import Figure  # noqa: PLC0415
    from matplotlib.ticker import MaxNLocator  # noqa: PLC0415

    figure = Figure(figsize=SIZE, dpi=DPI, facecolor="white", layout="tight")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.plot(middles, chart.counts, color=MENTIONS, linewidth=2.5, zorder=4, label=plain(language, "chart_mentions"))
    if any(not math.isnan(u) for u in usual):
        axes.plot(middles, usual, color=USUAL, linestyle="--", linewidth=1.5, label=plain(language, "chart_usual"))
    if any(not math.isnan(h) for h in high):
        axes.fill_between(middles, low, high, color=BAND, linewidth=0, label=plain(language, "chart_band"))
    if chart.alert is not None:
        axes.axvline(chart.alert + step / 2, color=ALERT, linewidth=2, zorder=3, label=plain(language, "chart_alert"))

    hours = round((end - chart.start) / 3600)
    axes.set_title(
        plain(language, "chart_title", watch=chart.title, hours=hours), fontsize=TITLE, loc="left", parse_math=False
    )
    axes.set_ylabel(_per_bucket(language, step), fontsize=TEXT)
    axes.set_xticks(*_time_ticks(chart.start, end, ZoneInfo(chart.timezone), plain(language, "chart_days").split(",")))
    axes.set_xlim(chart.start, end)
    highest = max([*chart.counts, *(h for h in high if not math.isnan(h))])
    axes.set_ylim(0, max(highest, 1) * HEADROOM)
    axes.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    axes.tick_params(labelsize=TEXT)
    axes.grid(axis="y", color="#e5e5e5")
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(loc="upper left", ncols=4, frameon=False, fontsize=TEXT)

    png = io.BytesIO()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from")  # CJK or emoji in a name: drawn as boxes
        figure.savefig(png, format="png", metadata={"Software": None})
    return png.getvalue()


def _per_bucket(language: str, step: float) -> str:
    if step == 900:
        return plain(language, "chart_per_quarter")
    if step == 3600:
        return plain(language, "chart_per_hour")
    return plain(language, "chart_per_minutes", minutes=round(step / 60))


def _time_ticks(start: float, end: float, zone: ZoneInfo, days: list[str]) -> tuple[list[float], list[str]]:
    """Local round hours from `start` to `end`, a tick every few hours: "HH:MM", with the day's name
    under the first tick of each day."""
    every = next((h for h in TICK_HOURS if (end - start) / (h * 3600) <= MAX_TICKS), TICK_HOURS[-1])
    moments: list[float] = []
    labels: list[str] = []
    day: date | None = None
    for moment in range(math.ceil(start / QUARTER) * QUARTER, math.floor(end) + 1, QUARTER):
        local = datetime.fromtimestamp(moment, zone)
        if local.minute == 0 and local.hour % every == 0:
            moments.append(moment)
            labels.append(local.strftime("%H:%M") + ("" if local.date() == day else "\n" + days[local.weekday()]))
            day = local.date()
    return moments, labels
