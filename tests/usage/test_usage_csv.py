"""The Usage page's downloads: the table as shown (usage.csv) and the daily lines."""

import csv
import io
import re
from datetime import timedelta

import pytest

from tests.factories import ProjectFactory
from tests.usage.conftest import TEST_HOUR, ingest, record

HOUR = TEST_HOUR


@pytest.fixture
def usage(project, subproject):
    ProjectFactory(parent=project, name="=HYPERLINK(evil)")
    ProjectFactory(parent=project, name="Idle customer")
    ingest(
        record(project, 3),
        record(subproject, 5),
        record(subproject, 9, hour=HOUR - timedelta(hours=1), record_id="second"),
        record(subproject, 2, metric="voice.minutes"),
    )


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.streaming and "attachment" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def page_table(body):
    """The page's table as text cells: header, rows (name, ID, mark, quantities), total."""
    table = body.split("data-usage-table")[1].split("</table>")[0]
    header = [
        re.sub(r"<[^>]+>", "", h).strip()
        for h in re.findall(r"<th scope=\"col\"[^>]*>(.*?)</th>", table)
    ]
    rows = []
    for row in table.split("<tbody>")[1].split("</tbody>")[0].split("<tr")[1:]:
        name = re.search(r"<bdi>(.*?)</bdi>", row).group(1)
        mark = re.search(r"data-state>(.*?)</span>", row)
        public_id = re.search(r'data-project-id="(\w+)"', row).group(1)
        values = re.findall(r'<td class="num">([\d,]+)</td>', row)
        rows.append([name, public_id, mark.group(1) if mark else "", *values])
    total = re.findall(r'<td class="num">([\d,]+)</td>', table.split("<tfoot>")[1])
    return header, rows, ["Total", "", "", *total]


@pytest.mark.parametrize("query", ["", "?sort=sms.outbound&order=desc", "?sort=name&order=desc"])
def test_csv_equals_the_table_shown(client_for, member, project, usage, query):
    from html import unescape

    client = client_for(member)
    body = client.get(f"/projects/{project.public_id}/usage/{query}").content.decode()
    header, rows, total = page_table(body)
    lines = download(client, f"/projects/{project.public_id}/usage/usage.csv{query}")
    assert lines[0][:3] == ["Project", "Project ID", "State"]
    assert lines[0][3:] == header[1:]
    shown = [
        [unescape(c).replace(",", "") if i != 0 else unescape(c) for i, c in enumerate(r)]
        for r in rows
    ]
    # A name that a spreadsheet would run as a formula is written as text.
    csv_rows = [[r[0].removeprefix("'"), *r[1:]] for r in lines[1:-1]]
    assert csv_rows == shown
    assert lines[-1] == [c.replace(",", "") for c in total]
    assert "'=HYPERLINK(evil)" in [r[0] for r in lines]


def test_daily_csv_has_a_line_per_project_metric_and_day(
    client_for, member, project, subproject, usage
):
    lines = download(client_for(member), f"/projects/{project.public_id}/usage/daily.csv")
    assert lines[0] == ["Date", "Project ID", "Project", "State", "Metric", "Unit", "Quantity"]
    sms = [
        line for line in lines[1:] if line[1] == subproject.public_id and line[4] == "sms.outbound"
    ]
    assert sum(int(line[6]) for line in sms) == 14
    assert {line[5] for line in lines[1:] if line[4] == "voice.minutes"} == {"minutes"}


def test_outsider_gets_404_and_bad_input_400(client_for, outsider, member, project):
    assert (
        client_for(outsider).get(f"/projects/{project.public_id}/usage/usage.csv").status_code
        == 404
    )
    response = client_for(member).get(
        f"/projects/{project.public_id}/usage/daily.csv?period=custom&start=2026-02-01&end=2026-01-01"
    )
    assert response.status_code == 400
