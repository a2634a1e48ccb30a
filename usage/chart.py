"""A daily bar chart drawn on the server as SVG: no JavaScript, no chart library.

`bar_chart` computes the geometry (bars, axis ticks, labels) and `svg` writes the
markup, in Python rather than a template: thirteen months are about 400 bars, which a
template loop renders several times slower. Each bar carries a <title> (the browser's
tooltip, and what screen readers read), and the page puts a table of the same figures
beside the chart, so nothing depends on colour or on seeing the picture.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 64, 12, 12, 28
PLOT_WIDTH, PLOT_HEIGHT = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
Y_STEPS = 4


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    title: str


@dataclass(frozen=True)
class Tick:
    position: float  # y for the value axis, x for the day axis
    label: str


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    empty: bool
    description: str
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    plot_right: int = WIDTH - RIGHT
    plot_bottom: int = HEIGHT - BOTTOM
    empty_x: float = LEFT + PLOT_WIDTH / 2  # where "No usage" is written
    empty_y: float = TOP + PLOT_HEIGHT / 2


def nice_step(peak: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 25, 50, 100 … such that Y_STEPS of them reach
    `peak` (whole numbers only, so every axis label is one)."""
    power = 1
    while True:
        # 5 * power // 2 is 25, 250 …; for power 1 it is 2 again (2.5 is not whole).
        for step in (power, 2 * power, 5 * power // 2, 5 * power):
            if step * Y_STEPS >= peak:
                return step
        power *= 10


def _round(value: float) -> float:
    return round(value, 2)


def day_label(day: date) -> str:
    return f"{day:%-d %b %Y}"


def bar_chart(series: list[tuple[date, int]], *, unit: str) -> Chart:
    """The chart of `series` (every day of the period, in order, with its quantity)."""
    peak = max((quantity for _, quantity in series), default=0)
    step = nice_step(peak)
    top_value = step * Y_STEPS
    count = max(len(series), 1)
    slot = PLOT_WIDTH / count
    gap = slot * 0.2 if slot >= 4 else 0
    bars = []
    for i, (day, quantity) in enumerate(series):
        if quantity <= 0:
            continue
        height = PLOT_HEIGHT * quantity / top_value
        bars.append(
            Bar(
                x=_round(LEFT + i * slot + gap / 2),
                y=_round(TOP + PLOT_HEIGHT - height),
                width=_round(max(slot - gap, 0.5)),
                height=_round(height),
                title=f"{day_label(day)}: {quantity:,} {unit}",
            )
        )
    y_ticks = [
        Tick(_round(TOP + PLOT_HEIGHT - PLOT_HEIGHT * i / Y_STEPS), f"{step * i:,}")
        for i in range(Y_STEPS + 1)
    ]
    x_ticks = [
        Tick(_round(LEFT + i * slot + slot / 2), label)
        for i, label in _day_labels([day for day, _ in series])
    ]
    total = sum(quantity for _, quantity in series)
    if series:
        busiest = max(series, key=lambda item: item[1])
        description = (
            f"{total:,} {unit} from {day_label(series[0][0])} to {day_label(series[-1][0])}"
            + (
                f"; the busiest day was {day_label(busiest[0])} with {busiest[1]:,}."
                if total
                else "."
            )
        )
    else:
        description = "No days in this period."
    return Chart(bars, y_ticks, x_ticks, empty=total == 0, description=description)


def _day_labels(days: list[date]) -> list[tuple[int, str]]:
    """Which days get a label under the axis: about weekly for a month or two, the first
    of each month (its name) for longer periods."""
    if len(days) <= 62:
        every = 7 if len(days) > 14 else (2 if len(days) > 7 else 1)
        return [(i, f"{day:%-d %b}") for i, day in enumerate(days) if i % every == 0]
    months = [(i, day) for i, day in enumerate(days) if day.day == 1]
    every = 2 if len(months) > 7 else 1
    return [
        (i, f"{day:%b %Y}" if day.month == 1 or i == months[0][0] else f"{day:%b}")
        for n, (i, day) in enumerate(months)
        if n % every == 0
    ]


def svg(chart: Chart, title: str) -> SafeString:
    """The chart as inline SVG markup; every text in it escaped."""
    parts = [
        f'<svg class="chart" viewBox="0 0 {chart.width} {chart.height}" role="img" '
        'aria-labelledby="chart-svg-title chart-svg-desc" data-usage-chart="">',
        f'<title id="chart-svg-title">{escape(title)}</title>',
        f'<desc id="chart-svg-desc">{escape(chart.description)}</desc>',
    ]
    for tick in chart.y_ticks:
        parts.append(
            f'<line class="chart-grid" x1="{chart.left}" x2="{chart.plot_right}" '
            f'y1="{tick.position}" y2="{tick.position}"/>'
            f'<text class="chart-tick" x="{chart.left - 6}" y="{tick.position}" '
            f'text-anchor="end" dominant-baseline="middle">{escape(tick.label)}</text>'
        )
    for bar in chart.bars:
        parts.append(
            f'<rect class="chart-bar" x="{bar.x}" y="{bar.y}" width="{bar.width}" '
            f'height="{bar.height}"><title>{escape(bar.title)}</title></rect>'
        )
    parts.append(
        f'<line class="chart-axis" x1="{chart.left}" x2="{chart.plot_right}" '
        f'y1="{chart.plot_bottom}" y2="{chart.plot_bottom}"/>'
    )
    for tick in chart.x_ticks:
        parts.append(
            f'<text class="chart-tick" x="{tick.position}" y="{chart.plot_bottom + 18}" '
            f'text-anchor="middle">{escape(tick.label)}</text>'
        )
    if chart.empty:
        parts.append(
            f'<text class="chart-empty" x="{chart.empty_x}" y="{chart.empty_y}" '
            'text-anchor="middle">No usage in this period</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers and escaped text only


def data_rows(series: list[tuple[date, int]]) -> SafeString:
    """The <tr> rows of the table beside the chart: day and quantity."""
    return mark_safe(  # noqa: S308 - dates and numbers only
        "".join(
            f'<tr><td><time datetime="{day.isoformat()}">{day:%-d %b %Y}</time></td>'
            f'<td class="num">{quantity:,}</td></tr>'
            for day, quantity in series
        )
    )
