"""The request body of the billing API (PUT .../spendLimit): described once, by the model
the view validates it with (core.api.bodies.Body), from which /api/openapi.json takes its
schema (billing.api.openapi).

The amount, the metrics and the quantities are checked by the service
(billing.services.spend_limit_set), for the dashboard and the API alike, and the API
answers with its messages: the model states those rules for the document only
(`json_schema_extra`)."""

from typing import Annotated, Literal

import pydantic

from billing.services import MAX_LIMIT_QUANTITY
from core.api.bodies import Body
from usage.metrics import CODES

DECIMAL = {
    "pattern": "^[0-9]+(\\.[0-9]+)?$",
    "description": 'A decimal string with the currency\'s decimals, e.g. "12.34".',
}
QUANTITIES = {
    "additionalProperties": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT_QUANTITY},
    "propertyNames": {"enum": list(CODES)},
    "description": "{metric: quantity a month}.",
}


class PutSpendLimitRequest(Body):
    """Either `amount` (in the account's currency) or `quantities`; null is the same as
    leaving one out."""

    amount: Annotated[str, pydantic.Field(json_schema_extra=DECIMAL)] | None = None
    quantities: Annotated[dict[str, int], pydantic.Field(json_schema_extra=QUANTITIES)] | None = (
        None
    )
    mode: Literal["NOTIFY", "BLOCK"] = pydantic.Field(
        description="NOTIFY: emails to the account's admins at 50, 80 and 100 %; BLOCK: the "
        "same, and sending is refused once 100 % is reached, until the month ends or the "
        "limit is raised."
    )
