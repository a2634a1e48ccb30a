"""Reading dashboard list pages in tests: their links and rows."""

import csv
import html
import io
import re


def link(body: str, text: str) -> str | None:
    """The href of the pager's link named `text` (First, Previous, Next, Last), or None."""
    found = re.search(rf'<a class="button small" href="([^"]+)"[^>]*>{re.escape(text)}</a>', body)
    return html.unescape(found.group(1)) if found else None


def main(body: str) -> str:
    """The page itself, without the top bar (whose menu lists projects too)."""
    return body.split('<main id="main"')[1]


def ids_in_order(body: str, public_ids) -> list[str]:
    """Those of `public_ids` that the page shows (in its main part), in page order."""
    page = main(body)
    shown = [(page.index(pid), pid) for pid in public_ids if pid in page]
    return [pid for _, pid in sorted(shown)]


def csv_rows(response) -> list[dict]:
    """A streamed CSV download's rows, by its header's names."""
    assert response.status_code == 200
    assert response.streaming and response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))
