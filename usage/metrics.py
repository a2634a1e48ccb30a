"""The catalogue of metrics: what the platform's services may report, with its unit.

Written in code, not in the database: a metric's meaning is part of the product (prices
in the billing issue attach to it), and adding one is a deliberate change. Any other
metric in a usage record is refused.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    code: str  # as usage records and the API spell it
    name: str  # for people
    unit: str  # plural, as quantities are shown: "1,200 messages"

    @property
    def label(self) -> str:
        """Column heading: name and unit, e.g. "SMS sent (messages)"."""
        return f"{self.name} ({self.unit})"


CATALOGUE = (
    Metric("sms.outbound", "SMS sent", "messages"),
    Metric("sms.inbound", "SMS received", "messages"),
    Metric("voice.minutes", "Voice", "minutes"),
    Metric("verification.requests", "Verifications", "requests"),
    Metric("api.requests", "API requests", "requests"),
)
METRICS = {metric.code: metric for metric in CATALOGUE}
CODES = tuple(METRICS)
CODE_MAX_LENGTH = 32
