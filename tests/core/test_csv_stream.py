"""core.csv_stream: every cell safe to open in a spreadsheet."""

import pytest

from core.csv_stream import csv_response, safe_cell


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+31 20 123", "'+31 20 123"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Taco Time", "Taco Time"),
        ("a=b", "a=b"),
        (None, ""),
        (7, "7"),
    ],
)
def test_cells_that_start_like_a_formula_are_prefixed(value, cell):
    assert safe_cell(value) == cell


def test_the_response_streams_the_header_then_the_rows():
    response = csv_response("things", ["name", "n"], iter([["=x", 1], ["y", 2]]))
    assert response.streaming
    assert response["Content-Disposition"].startswith('attachment; filename="things-')
    assert b"".join(response.streaming_content) == b"name,n\r\n'=x,1\r\ny,2\r\n"
