"""The server-drawn SVG chart: no data, one day, thirteen months."""

from datetime import date, timedelta
from xml.etree import ElementTree

from usage import chart as charts
from usage.chart import bar_chart, nice_step

SVG = "{http://www.w3.org/2000/svg}"


def render(series):
    chart = bar_chart(series, unit="messages")
    svg = charts.svg(chart, "Daily SMS sent <messages>")
    return chart, ElementTree.fromstring(svg.replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1))  # noqa: S314 - our own output


def test_no_data_draws_axes_and_says_so():
    chart, svg = render([(date(2026, 1, 1) + timedelta(days=i), 0) for i in range(31)])
    assert chart.empty and not svg.findall(f"{SVG}rect")
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "No usage in this period" in texts and "0" in texts


def test_one_day():
    chart, svg = render([(date(2026, 3, 5), 42)])
    [bar] = svg.findall(f"{SVG}rect")
    assert bar.find(f"{SVG}title").text == "5 Mar 2026: 42 messages"
    assert float(bar.get("height")) > 0 and not chart.empty
    assert svg.find(f"{SVG}desc").text.startswith("42 messages from 5 Mar 2026")


def test_thirteen_months():
    days = [date(2025, 1, 1) + timedelta(days=i) for i in range(396)]
    chart, svg = render([(day, i % 50 + 1) for i, day in enumerate(days)])
    bars = svg.findall(f"{SVG}rect")
    assert len(bars) == 396
    xs = [float(b.get("x")) for b in bars]
    assert xs == sorted(xs) and xs[-1] + float(bars[-1].get("width")) <= chart.plot_right + 0.01
    labels = [t.label for t in chart.x_ticks]
    assert labels[0] == "Jan 2025" and "Jan 2026" in labels


def test_bars_scale_to_the_axis():
    chart, svg = render([(date(2026, 1, 1), 100), (date(2026, 1, 2), 50)])
    tall, short = (float(b.get("height")) for b in svg.findall(f"{SVG}rect"))
    assert abs(tall - 2 * short) < 0.02
    assert chart.y_ticks[-1].label == "100"


def test_titles_are_escaped_and_the_svg_well_formed():
    _, svg = render([(date(2026, 3, 5), 1)])
    assert svg.find(f"{SVG}title").text == "Daily SMS sent <messages>"


def test_nice_steps():
    assert [nice_step(n) for n in (0, 4, 5, 8, 9, 21, 1000, 1001)] == [1, 1, 2, 2, 5, 10, 250, 500]
