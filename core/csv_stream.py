"""Every CSV download of the dashboard (Subprojects, Projects, Activity, Usage, Billing),
streamed: the one place a CSV is written.

    return csv_response(f"subprojects-{parent.public_id}", HEADER,
                        (row_of(sub) for sub in rows.iterator(chunk_size=2000)))

The rows are written as the client reads them (StreamingHttpResponse over a generator
that pulls from the database in chunks), so a list of 100,000 rows takes the memory of
one chunk. Every cell goes through `safe_cell`: names are customers' own text, and a
cell that starts like a formula would run as one when the file is opened in a
spreadsheet.
"""

import csv
from collections.abc import Iterable

from django.http import StreamingHttpResponse
from django.utils import timezone

# What a spreadsheet reads as the start of a formula (or of a DDE command).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """The value as text, prefixed with ' when it would start a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


class _Echo:
    """A file-like object whose write() returns the line, for a streaming csv.writer."""

    def write(self, value):
        return value


def csv_response(
    name: str, header: list[str], rows: Iterable[list], *, stamped: bool = True
) -> StreamingHttpResponse:
    """A streamed CSV download, `name-<UTC time>.csv` (or `name.csv` when the name
    already says what it holds, `stamped=False`), with `header` as its first line and
    each row's cells made safe."""
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([safe_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    if stamped:
        name = f"{name}-{timezone.now():%Y%m%d-%H%M%S}"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
