"""The server-drawn SVG chart: no data, one day, thirteen months."""

from datetime import date, timedelta
from xml.etree import ElementTree

from usage import chart as charts
from usage.chart import PHONE, axis, bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def render(series):
    chart = bar_chart(series, unit="messages")
    svg = charts.svg(chart, "Daily SMS sent <messages>")
    return chart, ElementTree.fromstring(svg.replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1))  # noqa: S314 - our own output


def bars_of(svg):
    return [r for r in svg.iter(f"{SVG}rect") if r.get("class") == "chart-bar"]


def test_no_data_draws_axes_and_says_so():
    chart, svg = render([(date(2026, 1, 1) + timedelta(days=i), 0) for i in range(31)])
    assert chart.empty and not bars_of(svg)
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "No usage in this period" in texts and "0" in texts


def test_one_day():
    chart, svg = render([(date(2026, 3, 5), 42)])
    [bar] = bars_of(svg)
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
    tall, short = (float(b.get("height")) for b in bars_of(svg))
    assert abs(tall - 2 * short) < 0.02
    assert chart.y_ticks[-1].label == "100"


def test_titles_are_escaped_and_the_svg_well_formed():
    _, svg = render([(date(2026, 3, 5), 1)])
    assert svg.find(f"{SVG}title").text == "Daily SMS sent <messages>"


def test_the_axis_ends_within_25_percent_above_the_peak():
    assert axis(10_883) == (12_000, 3_000)  # it was 20,000 (issue 20)
    assert [axis(n)[0] for n in (0, 4, 5, 8, 9, 11, 21, 1000, 1001)] == [
        1, 4, 5, 8, 9, 12, 25, 1000, 1200,
    ]  # fmt: skip
    for peak in range(1, 20_000, 7):
        top, step = axis(peak)
        assert peak <= top <= peak * 1.25 or top <= 10, peak
        assert top % step == 0 and 1 <= top // step <= 7, (peak, top, step)


def test_every_day_is_focusable_and_shows_its_figure():
    """A month: each day a focusable image named by its figure, the figure written above
    its bar (the stylesheet shows it on focus), days without usage too."""
    series = [(date(2026, 3, 1) + timedelta(days=i), i * 10) for i in range(31)]
    chart = bar_chart(series, unit="messages")
    markup = str(charts.svg(chart, "Daily SMS sent", name="chart"))
    assert markup.count('tabindex="0"') == 31
    assert 'aria-label="1 Mar 2026: 0 messages"' in markup
    assert 'aria-label="31 Mar 2026: 300 messages"' in markup
    assert '<text class="chart-value"' in markup and ">300</text>" in markup
    assert 'role="group"' in markup


def test_long_periods_are_not_400_tab_stops():
    series = [(date(2025, 1, 1) + timedelta(days=i), 5) for i in range(396)]
    markup = str(charts.svg(bar_chart(series, unit="messages"), "t"))
    assert "tabindex" not in markup and 'role="img"' in markup


def test_a_phone_s_drawing_keeps_its_labels_readable():
    """Drawn 360 units wide, it is shown at about 1:1 on a 375 px phone (the laptop's
    720 units would halve its 11 px labels)."""
    series = [(date(2026, 3, 1) + timedelta(days=i), 5) for i in range(31)]
    chart = bar_chart(series, unit="messages", frame=PHONE)
    assert chart.width == 360
    assert all(b.x + b.width <= chart.plot_right + 0.01 for b in chart.bars)
    assert len(chart.x_ticks) <= 4
