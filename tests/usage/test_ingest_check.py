"""usage.ingest.check takes a short way for a plain dict that is a valid record and the
full check (`_record`) for anything else. The short way must accept only what the full
check accepts, and make the same Record: a dict subclass always takes the full check,
so each item here is checked both ways and the answers compared."""

import pytest

from tests.factories import ProjectFactory
from tests.usage.conftest import TEST_HOUR, record
from usage import ingest
from usage.ingest import MAX_QUANTITY


class FullCheck(dict):
    """A record that skips the short way (it is not exactly a dict)."""


def variants(project_id: str) -> list[dict]:
    good = record(project_id, 5, record_id="r-1")
    changed = {
        "recordId": ["", " r", "r" * 129, 7, None, "ré", "r-2"],
        "projectId": [project_id.lower(), project_id[:-1], 7, None, "0" * 26, project_id],
        "metric": ["sms.outbound", "SMS.OUTBOUND", "nope", 7, None, ["sms.outbound"], {}],
        "hour": ["2026-11-27T10:30:00Z", "2026-11-27T10:00:00", 7, None, "nope", good["hour"]],
        "quantity": [0, MAX_QUANTITY, MAX_QUANTITY + 1, -1, True, False, 1.0, "5", None],
    }
    items = [good, {**good, "extra": 1}, {k: v for k, v in good.items() if k != "metric"}]
    items += [{**good, field: value} for field, values in changed.items() for value in values]
    return items


@pytest.mark.django_db
def test_the_short_way_answers_as_the_full_check():
    project_id = ProjectFactory().public_id
    now = TEST_HOUR
    for item in variants(project_id):
        short = ingest.check([item], now=now)
        full = ingest.check([FullCheck(item)], now=now)
        assert (short.records, short.faults) == (full.records, full.faults), item
    accepted = [i for i in variants(project_id) if ingest.check([i], now=now).records]
    assert len(accepted) > 5  # both ways do accept records, not only refuse them
