"""A daily bar chart drawn on the server as SVG: no JavaScript, no chart library.

This module computes the geometry (bars, axis ticks, labels); the template
templates/usage/includes/chart.html draws it. Each bar carries a <title> (the browser's
tooltip, and what screen readers read), and the page puts a table of the same figures
beside the chart, so nothing depends on colour or on seeing the picture.
"""

from dataclasses import dataclass
from datetime import date

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
