"""A daily bar chart drawn on the server as SVG: no JavaScript, no chart library.

`bar_chart` computes the geometry (bars, axis ticks, labels) and `svg` writes the
markup, in Python rather than a template: thirteen months are about 400 bars, which a
template loop renders several times slower. Each bar carries a <title> (the browser's
tooltip, and what screen readers read), and the page puts a table of the same figures
beside the chart, so nothing depends on colour or on seeing the picture.

- Days that have not happened are not in the series (the view stops it today): the
  rest of a month is not drawn as zero bars, as if traffic had stopped.
- The value axis ends at the first "nice" number at or above the peak (`axis`): at most
  25 % above it, so the bars use the chart's height.
- Up to MAX_FOCUSABLE days, each bar is focusable and shows its figure above it when
  focused (or hovered): readable without a mouse. Longer periods have the table.
- The page draws it twice, at a laptop's and at a phone's proportions (PHONE), and the
  stylesheet shows one: on a phone its labels are not shrunk to a few pixels.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core import formatting

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 64, 12, 22, 28
PLOT_WIDTH, PLOT_HEIGHT = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
Y_STEPS = 4
MAX_FOCUSABLE = 62  # two months of days; beyond, the table beside says each figure


@dataclass(frozen=True)
class Frame:
    """The chart's size and margins, in SVG units (1 unit is about 1 px on screen)."""

    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT

    @property
    def plot_width(self) -> int:
        return self.width - self.left - RIGHT

    @property
    def plot_height(self) -> int:
        return self.height - TOP - BOTTOM


LAPTOP = Frame()
PHONE = Frame(width=360, height=240, left=48)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    title: str
    value: str = ""  # its figure, shown above it when focused


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
    frame: Frame = LAPTOP
    focusable: bool = False

    @property
    def width(self) -> int:
        return self.frame.width

    @property
    def height(self) -> int:
        return self.frame.height

    @property
    def left(self) -> int:
        return self.frame.left

    @property
    def top(self) -> int:
        return TOP

    @property
    def plot_right(self) -> int:
        return self.frame.width - RIGHT

    @property
    def plot_bottom(self) -> int:
        return self.frame.height - BOTTOM

    @property
    def empty_x(self) -> float:  # where "No usage" is written
        return self.frame.left + self.frame.plot_width / 2

    @property
    def empty_y(self) -> float:
        return TOP + self.frame.plot_height / 2


# Nice tops, x 10^k: each at most 25 % above the one before, so the first one at or
# above a peak is at most 25 % above it.
_MANTISSAS = (10, 12, 15, 18, 20, 25, 30, 35, 40, 50, 60, 70, 80, 100)
# How many steps the axis is cut into, in order of preference (whole-number labels).
_STEP_COUNTS = (4, 5, 3, 6, 7, 2, 1)


def axis(peak: int) -> tuple[int, int]:
    """(top, step) of the value axis for `peak`: top the smallest nice whole number at
    or above it (1 to 10, then 12, 15, 18, 20, 25 … x 10^k), within 25 % of it; step
    the top cut into 4 (or 5, 3, 6 …) whole parts."""
    top = max(peak, 1)
    if top > 10:
        power = 1
        top = None
        while top is None:
            found = [m * power // 10 for m in _MANTISSAS if m * power % 10 == 0]
            top = next((t for t in found if t >= peak), None)
            power *= 10
    count = next(n for n in _STEP_COUNTS if top % n == 0)
    return top, top // count


def _round(value: float) -> float:
    return round(value, 2)


def day_label(day: date) -> str:
    return f"{day:%-d %b %Y}"


def bar_chart(series: list[tuple[date, int]], *, unit: str, frame: Frame = LAPTOP) -> Chart:
    """The chart of `series` (every day of the period that has begun, in order, with
    its quantity), drawn in `frame`."""
    peak = max((quantity for _, quantity in series), default=0)
    top_value, step = axis(peak)
    left, plot_width, plot_height = frame.left, frame.plot_width, frame.plot_height
    count = max(len(series), 1)
    slot = plot_width / count
    gap = slot * 0.2 if slot >= 4 else 0
    focusable = peak > 0 and len(series) <= MAX_FOCUSABLE  # an empty chart says so
    bars = []
    for i, (day, quantity) in enumerate(series):
        if quantity <= 0 and not focusable:
            continue
        height = plot_height * quantity / top_value
        bars.append(
            Bar(
                x=_round(left + i * slot + gap / 2),
                y=_round(TOP + plot_height - height),
                width=_round(max(slot - gap, 0.5)),
                height=_round(height),
                title=f"{day_label(day)}: {formatting.number(quantity)} {unit}",
                value=formatting.number(quantity),
            )
        )
    y_ticks = [
        Tick(
            _round(TOP + plot_height - plot_height * i * step / top_value),
            formatting.number(step * i),
        )
        for i in range(top_value // step + 1)
    ]
    labels = _day_labels([day for day, _ in series], narrow=frame.width < WIDTH)
    x_ticks = [Tick(_round(left + i * slot + slot / 2), label) for i, label in labels]
    total = sum(quantity for _, quantity in series)
    if series:
        busiest = max(series, key=lambda item: item[1])
        description = (
            f"{formatting.number(total)} {unit} from {day_label(series[0][0])} "
            f"to {day_label(series[-1][0])}"
            + (
                f"; the busiest day was {day_label(busiest[0])} "
                f"with {formatting.number(busiest[1])}."
                if total
                else "."
            )
        )
    else:
        description = "No days in this period."
    return Chart(
        bars,
        y_ticks,
        x_ticks,
        empty=total == 0,
        description=description,
        frame=frame,
        focusable=focusable,
    )


def _day_labels(days: list[date], *, narrow: bool = False) -> list[tuple[int, str]]:
    """Which days get a label under the axis: about weekly for a month or two (every
    ten days on a phone), the first of each month (its name) for longer periods."""
    if len(days) <= 62:
        every = 7 if len(days) > 14 else (2 if len(days) > 7 else 1)
        if narrow and len(days) > 14:
            every = 10 if len(days) <= 31 else 14
        return [(i, f"{day:%-d %b}") for i, day in enumerate(days) if i % every == 0]
    months = [(i, day) for i, day in enumerate(days) if day.day == 1]
    every = 2 if len(months) > 7 else 1
    if narrow:
        every = 3 if len(months) > 7 else 2
    return [
        (i, f"{day:%b %Y}" if day.month == 1 or i == months[0][0] else f"{day:%b}")
        for n, (i, day) in enumerate(months)
        if n % every == 0
    ]


def svg(chart: Chart, title: str, *, name: str = "chart") -> SafeString:
    """The chart as inline SVG markup; every text in it escaped. `name` tells apart the
    IDs of the page's two drawings (laptop and phone). With focusable bars the drawing
    is a group of them (each an image named by its figure), else one image."""
    role = "group" if chart.focusable else "img"
    parts = [
        f'<svg class="chart chart-{name}" viewBox="0 0 {chart.width} {chart.height}" '
        f'role="{role}" aria-labelledby="{name}-svg-title {name}-svg-desc" data-usage-chart="">',
        f'<title id="{name}-svg-title">{escape(title)}</title>',
        f'<desc id="{name}-svg-desc">{escape(chart.description)}</desc>',
    ]
    for tick in chart.y_ticks:
        parts.append(
            f'<line class="chart-grid" x1="{chart.left}" x2="{chart.plot_right}" '
            f'y1="{tick.position}" y2="{tick.position}"/>'
            f'<text class="chart-tick" x="{chart.left - 6}" y="{tick.position}" '
            f'text-anchor="end" dominant-baseline="middle">{escape(tick.label)}</text>'
        )
    for bar in chart.bars:
        rect = (
            f'<rect class="chart-bar" x="{bar.x}" y="{bar.y}" width="{bar.width}" '
            f'height="{bar.height}"><title>{escape(bar.title)}</title></rect>'
        )
        if not chart.focusable:
            parts.append(rect)
            continue
        # A focusable day (also a day without usage: its figure is 0), its figure written
        # above its bar when focused or hovered (the stylesheet shows .chart-value).
        parts.append(
            f'<g class="chart-day" tabindex="0" role="img" aria-label="{escape(bar.title)}">'
            f'<rect class="chart-hit" x="{bar.x}" y="{chart.top}" width="{bar.width}" '
            f'height="{chart.plot_bottom - chart.top}"/>{rect}'
            f'<text class="chart-value" x="{_round(bar.x + bar.width / 2)}" '
            f'y="{_round(max(bar.y - 5, chart.top - 6))}" text-anchor="middle">'
            f"{escape(bar.value)}</text></g>"
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
            f'<td class="num">{formatting.number(quantity)}</td></tr>'
            for day, quantity in series
        )
    )
