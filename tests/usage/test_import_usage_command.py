"""import_usage FILE.csv [--skip-invalid]."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.usage.conftest import TEST_HOUR, ingest, record
from usage.models import DailyUsage, UsageRecord

HOUR = TEST_HOUR.strftime("%Y-%m-%dT%H:%M:%SZ")
HEADER = "recordId,projectId,metric,hour,quantity\n"


def run(path, *args):
    out, err = StringIO(), StringIO()
    call_command("import_usage", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path, text, name="usage.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_imports_every_row_and_counts_duplicates(tmp_path, project, subproject):
    ingest(record(project, 4, record_id="already"))
    rows = [f"r{i},{subproject.public_id},sms.outbound,{HOUR},{i}\n" for i in range(1, 2501)]
    path = write(
        tmp_path, HEADER + "".join(rows) + f"already,{project.public_id},sms.outbound,{HOUR},4\n"
    )
    out, _ = run(path, "--batch-size", "1000")
    assert "Imported 2,500 records (1 already recorded)" in out
    assert UsageRecord.objects.count() == 2501
    day = DailyUsage.objects.get(project_public_id=subproject.public_id)
    assert day.quantity == sum(range(1, 2501))
    # Running it again changes nothing.
    out, _ = run(path)
    assert "Imported 0 records (2,501 already recorded)" in out
    assert DailyUsage.objects.get(project_public_id=subproject.public_id).quantity == day.quantity


def test_columns_in_any_order_and_a_byte_order_mark(tmp_path, project):
    path = write(
        tmp_path,
        "\ufeffquantity,hour,metric,projectId,recordId\n"
        f"7,{HOUR},api.requests,{project.public_id},x1\n",
    )
    run(path)
    assert DailyUsage.objects.get().quantity == 7


def test_a_file_with_bad_rows_imports_nothing_and_names_the_lines(tmp_path, project):
    ingest(record(project, 4, record_id="changed"))
    path = write(
        tmp_path,
        HEADER
        + f"ok1,{project.public_id},sms.outbound,{HOUR},1\n"
        + f"bad-metric,{project.public_id},sms.pigeon,{HOUR},1\n"
        + f"bad-quantity,{project.public_id},sms.outbound,{HOUR},-3\n"
        + f"changed,{project.public_id},sms.outbound,{HOUR},5\n"
        + "short,row\n"
        + f"ok2,{project.public_id},sms.outbound,{HOUR},1\n",
    )
    err = StringIO()
    with pytest.raises(CommandError, match="4 of 6 rows are invalid, so nothing was imported"):
        call_command("import_usage", str(path), stdout=StringIO(), stderr=err)
    report = err.getvalue()
    assert "Line 3: metric:" in report and "Line 4: quantity:" in report
    assert "Line 5: quantity: recordId 'changed' was already recorded" in report
    assert "Line 6: the row has 2 cells" in report
    assert UsageRecord.objects.count() == 1


def test_skip_invalid_imports_the_other_rows(tmp_path, project):
    path = write(
        tmp_path,
        HEADER
        + f"ok1,{project.public_id},sms.outbound,{HOUR},1\n"
        + f"bad,{project.public_id},sms.outbound,2026-01-01T10:30:00Z,1\n"
        + f"ok2,{project.public_id},sms.outbound,{HOUR},2\n",
    )
    out, err = run(path, "--skip-invalid")
    assert "Imported 2 records (0 already recorded) from usage.csv; 1 invalid rows skipped" in out
    assert "Line 3: hour:" in err
    assert DailyUsage.objects.get().quantity == 3


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("id,project\n", "The header must name the columns"),
        ("", "The header must name the columns"),
    ],
)
def test_bad_files(tmp_path, db, text, words):
    with pytest.raises(CommandError, match=words):
        run(write(tmp_path, text))


def test_missing_file(tmp_path, db):
    with pytest.raises(CommandError, match="No file at"):
        run(tmp_path / "nope.csv")


def test_not_utf8(tmp_path, project):
    path = tmp_path / "latin1.csv"
    path.write_bytes(HEADER.encode() + "r1,caf\xe9\n".encode("latin-1"))
    with pytest.raises(CommandError, match="Line 2 is not UTF-8"):
        run(path)
