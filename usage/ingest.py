"""Usage records as the platform's services send them: checking each one.

A record is `{"recordId", "projectId", "metric", "hour", "quantity"}` (the same names
are the columns of import_usage's CSV files). `check()` finds every fault of every
record of a batch, each as {"index", "field", "message"}, so that a sender can fix a
batch in one go; the service (usage.services.usage_record) takes a batch only when it
has none. The rules:

- recordId: 1 to 128 printable ASCII characters without spaces; the sender's own ID
  for the record, unique for good: a record sent again under its ID is a duplicate
  (counted once) if it is the same, and refused if it differs.
- projectId: a Project ID that exists or existed (removed and purged subprojects
  included: late usage is real usage).
- metric: one of usage.metrics.CATALOGUE.
- hour: ISO 8601 with a time zone, the start of an hour (e.g. 2026-11-27T10:00:00Z);
  at most CLOCK_SKEW in the future, and not older than the records' retention window.
- quantity: a whole number from 0 to MAX_QUANTITY (a JSON integer; CSV digits).
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from django.conf import settings

from core.ids import looks_like_public_id
from projects.models import Project

from .metrics import CODES, METRICS
from .models import RECORD_ID_MAX_LENGTH, PurgedProject

FIELDS = ("recordId", "projectId", "metric", "hour", "quantity")
_FIELD_SET = frozenset(FIELDS)
_METRIC_SET = frozenset(METRICS)
MAX_BATCH = 1000
MAX_QUANTITY = 10**12
CLOCK_SKEW = timedelta(hours=1)
_RECORD_ID = re.compile(rf"[!-~]{{1,{RECORD_ID_MAX_LENGTH}}}")
_EXAMPLE_HOUR = "2026-11-27T10:00:00Z"


class Record(NamedTuple):
    # A named tuple rather than a dataclass: a batch makes a thousand, and a tuple is
    # made several times faster than a frozen dataclass.
    record_id: str
    project_public_id: str
    metric: str
    hour: datetime  # aware, UTC, on the hour
    quantity: int

    def differs_from(self, stored: tuple) -> str | None:
        """The first field (API name) in which a stored (project, metric, hour,
        quantity) differs from this record, or None."""
        for name, a, b in zip(FIELDS[1:], self[1:], stored, strict=True):
            if a != b:
                return name
        return None


def window_start(now: datetime) -> datetime:
    """The oldest hour still accepted (and kept): now minus the retention window."""
    return now - timedelta(days=settings.USAGE_RECORD_RETENTION_DAYS)


def fault(index: int, field: str, message: str, record_id=None) -> dict:
    item = {"index": index, "field": field, "message": message}
    if isinstance(record_id, str) and _RECORD_ID.fullmatch(record_id):
        item["recordId"] = record_id
    return item


def _hour(value, now: datetime, oldest: datetime):
    """(hour, None) or (None, message)."""
    if not isinstance(value, str):
        return None, f"must be a text time in ISO 8601, e.g. {_EXAMPLE_HOUR}."
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None, f"{value[:40]!r} is not a time in ISO 8601, e.g. {_EXAMPLE_HOUR}."
    if parsed.tzinfo is None:
        return None, f"must include the time and a time zone, e.g. {_EXAMPLE_HOUR}."
    try:
        hour = parsed.astimezone(UTC)
    except OverflowError:  # e.g. 9999-12-31T23:00:00-14:00 is past year 9999 in UTC
        return None, f"{value[:40]!r} is outside the accepted window of hours."
    if hour.minute or hour.second or hour.microsecond:
        return None, (
            f"must be the start of an hour in UTC (minutes and seconds 0), e.g. {_EXAMPLE_HOUR}."
        )
    if hour > now + CLOCK_SKEW:
        return None, (
            f"is in the future: hours more than {CLOCK_SKEW.seconds // 3600} hour ahead of "
            f"the server's clock ({now:%Y-%m-%dT%H:%M:%SZ}) are refused."
        )
    if hour < oldest:
        return None, (
            f"is too late to record: records are kept "
            f"{settings.USAGE_RECORD_RETENTION_DAYS} days, so hours before "
            f"{oldest:%Y-%m-%dT%H:%M:%SZ} are refused (a retry that old could count twice)."
        )
    return hour, None


def _record(index: int, item, hours, faults: list):
    """The Record, or None with its faults appended."""
    if not isinstance(item, dict):
        faults.append(fault(index, "record", "must be an object with " + ", ".join(FIELDS)))
        return None
    record_id = item.get("recordId")
    found = []
    if item.keys() != _FIELD_SET:
        for name in item.keys() - _FIELD_SET:
            found.append((str(name)[:40], "unknown field."))
        for name in FIELDS:
            if name not in item:
                found.append((name, "is required."))
    if not (isinstance(record_id, str) and _RECORD_ID.fullmatch(record_id)) and "recordId" in item:
        found.append(
            (
                "recordId",
                f"must be 1 to {RECORD_ID_MAX_LENGTH} printable ASCII characters without spaces.",
            )
        )
    project = item.get("projectId")
    if "projectId" in item and not looks_like_public_id(project):
        found.append(("projectId", "must be a Project ID (26 characters)."))
    metric = item.get("metric")
    if "metric" in item and not (isinstance(metric, str) and metric in METRICS):
        shown = repr(metric[:40]) if isinstance(metric, str) else "this value"
        found.append(("metric", f"{shown} is not a known metric: use one of {', '.join(CODES)}."))
    hour = None
    if "hour" in item:
        hour, message = hours(item["hour"])
        if message:
            found.append(("hour", message))
    quantity = item.get("quantity")
    if "quantity" in item and not (type(quantity) is int and 0 <= quantity <= MAX_QUANTITY):
        found.append(("quantity", f"must be a whole number from 0 to {MAX_QUANTITY:,}."))
    if found:
        faults.extend(fault(index, name, message, record_id) for name, message in found)
        return None
    return Record(record_id, project, metric, hour, quantity)


def families(project_ids) -> dict[str, str]:
    """Each known Project ID (projects in any state, and purged subprojects) with its
    family's: the Project ID of its top-level project. Two queries at most."""
    ids = list(project_ids)
    found = {}
    rows = Project.objects.filter(public_id__in=ids).order_by()  # (no need to sort them)
    for public_id, parent_id in rows.values_list("public_id", "parent__public_id"):
        found[public_id] = parent_id or public_id
    missing = [i for i in ids if i not in found]
    if missing:
        found.update(
            PurgedProject.objects.filter(public_id__in=missing).values_list(
                "public_id", "parent_public_id"
            )
        )
    return found


@dataclass
class Checked:
    records: list[tuple[int, Record]]  # (index in the batch, record), first of each ID
    repeated: int  # records that repeat an earlier one of the batch exactly
    faults: list[dict]
    family_of: dict[str, str]  # {Project ID: its family's Project ID}


def check(items: list, *, now: datetime, first_index: int = 0) -> Checked:
    """Every fault of a batch of records, and its valid records (no write)."""
    oldest = window_start(now)
    faults = []
    parsed = []
    # A batch holds few distinct hours (a service reports the last hour or so): each is
    # parsed and checked once.
    seen_hours = {}

    def hours(value):
        if not isinstance(value, str):
            return _hour(value, now, oldest)
        if value not in seen_hours:
            seen_hours[value] = _hour(value, now, oldest)
        return seen_hours[value]

    project_shapes = {}  # Project ID: looks like one (a batch repeats a few)

    for index, item in enumerate(items, start=first_index):
        # The usual record, valid, takes the short way; any other, and every fault of
        # it, is found by _record.
        if type(item) is dict and item.keys() == _FIELD_SET:
            record_id, project, metric = item["recordId"], item["projectId"], item["metric"]
            quantity, hour = item["quantity"], hours(item["hour"])[0]
            shape = project_shapes.get(project) if type(project) is str else False
            if shape is None:
                shape = project_shapes[project] = looks_like_public_id(project)
            if (
                hour is not None
                and shape
                and type(quantity) is int
                and 0 <= quantity <= MAX_QUANTITY
                and type(metric) is str
                and metric in _METRIC_SET
                and type(record_id) is str
                and _RECORD_ID.fullmatch(record_id)
            ):
                parsed.append((index, Record(record_id, project, metric, hour, quantity)))
                continue
        record = _record(index, item, hours, faults)
        if record is not None:
            parsed.append((index, record))
    family_of = families({record.project_public_id for _, record in parsed})
    kept, first_seen, repeated = [], {}, 0
    for index, record in parsed:
        if record.project_public_id not in family_of:
            faults.append(fault(index, "projectId", "No project has this ID.", record.record_id))
            continue
        earlier = first_seen.get(record.record_id)
        if earlier is None:
            first_seen[record.record_id] = (index, record)
            kept.append((index, record))
        elif earlier[1] == record:
            repeated += 1
        else:
            faults.append(
                fault(
                    index,
                    "recordId",
                    f"record {earlier[0]} of this batch has the same recordId with other "
                    "values: a record ID names one record.",
                    record.record_id,
                )
            )
    faults.sort(key=lambda f: f["index"])
    return Checked(kept, repeated, faults, family_of)


def conflict(index: int, record: Record, stored: tuple) -> dict | None:
    """The fault of a record whose ID is stored with other values, else None."""
    field = record.differs_from(stored)
    if field is None:
        return None
    return fault(
        index,
        field,
        f"recordId {record.record_id!r} was already recorded with another {field}; a "
        "recorded record never changes (send further usage under a new recordId).",
        record.record_id,
    )


def summary(faults: list[dict], total: int) -> str:
    first = faults[0]
    records = len({f["index"] for f in faults})
    return (
        f"{records} of {total} records are invalid, so none was recorded; the details "
        f"list each. First: records[{first['index']}].{first['field']}: {first['message']}"
    )
