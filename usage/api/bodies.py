"""The request body of the internal usage ingest (POST /internal/v1/usage:batchRecord),
described by these models, from which /api/openapi.json takes its schema
(usage.api.openapi).

The view does not validate records with them: usage.ingest.check() does, for the API
and import_usage's CSV files alike, reporting every fault of every record (details of
the 400) where a model would stop at the first. The models say the same from the same
constants, and tests/usage/test_batch_record_api.py holds their fields to ingest's."""

from datetime import datetime
from typing import Literal

import pydantic

from core.api.bodies import Body
from usage.ingest import MAX_BATCH, MAX_QUANTITY
from usage.metrics import CODES
from usage.models import RECORD_ID_MAX_LENGTH


class UsageRecord(Body):
    recordId: str = pydantic.Field(
        min_length=1,
        max_length=RECORD_ID_MAX_LENGTH,
        pattern="^[!-~]+$",
        description="The sender's ID of this record, unique for good. Sent again with the "
        "same values it is a duplicate (counted once); with other values the batch is "
        "refused.",
    )
    projectId: str = pydantic.Field(
        description="A Project ID that exists or existed (removed and purged subprojects included)."
    )
    metric: Literal[CODES]  # type: ignore[valid-type]
    hour: datetime = pydantic.Field(
        description="The start of an hour, with a time zone, e.g. 2026-11-27T10:00:00Z; at "
        "most 1 hour ahead of the server's clock and not older than the records' retention "
        "window (35 days by default)."
    )
    quantity: int = pydantic.Field(ge=0, le=MAX_QUANTITY)


class BatchRecordUsageRequest(Body):
    records: list[UsageRecord] = pydantic.Field(min_length=1, max_length=MAX_BATCH)
