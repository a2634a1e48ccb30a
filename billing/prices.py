"""Reading prices: what an account pays for each metric, in which currency.

Where prices live:
- an account's own PriceList, once an operator has set one (set_prices, the admin);
- otherwise the default list: the PriceList with is_default (operators change it with
  `set_prices default …` or in the admin); every account without its own pays it, the
  demo's included;
- and while no default list has been stored yet (a fresh database), DEFAULT_PRICES
  below, which is also what the default list starts from.

A metric missing from a list (a metric added to the catalogue after the list was made)
is priced at zero, and the Billing page says so.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from usage.metrics import CODES

from .models import PriceList

DEFAULT_CURRENCY = "EUR"
DEFAULT_PRICES = {
    "sms.outbound": Decimal("0.045"),
    "sms.inbound": Decimal("0.005"),
    "voice.minutes": Decimal("0.012"),
    "verification.requests": Decimal("0.05"),
    "api.requests": Decimal("0.0001"),
}
assert set(DEFAULT_PRICES) == set(CODES), "every metric needs a default price"


@dataclass(frozen=True)
class PriceSheet:
    """The prices an account pays: currency, {metric: unit price}, and whose they are."""

    currency: str
    prices: dict[str, Decimal] = field(default_factory=dict)
    own: bool = False  # the account's own list (else the default)

    def unit_price(self, metric: str) -> Decimal:
        return self.prices.get(metric, Decimal(0))

    @property
    def missing(self) -> list[str]:
        """Metrics of the catalogue without a price (billed at zero)."""
        return [code for code in CODES if code not in self.prices]


BUILT_IN = PriceSheet(DEFAULT_CURRENCY, dict(DEFAULT_PRICES))


def sheets_for(account_ids) -> dict[int, PriceSheet]:
    """{account ID: PriceSheet} for these accounts, in one query (their own lists and
    the default list, with their prices)."""
    ids = list(account_ids)
    rows = PriceList.objects.filter(Q(account_id__in=ids) | Q(is_default=True)).values_list(
        "account_id", "currency", "prices__metric", "prices__unit_price"
    )
    lists: dict[int | None, tuple[str, dict]] = {}
    for account_id, currency, metric, price in rows:
        _, prices = lists.setdefault(account_id, (currency, {}))
        if metric is not None:
            prices[metric] = price
    default = BUILT_IN
    if None in lists:
        default = PriceSheet(lists[None][0], lists[None][1])
    return {
        account_id: PriceSheet(lists[account_id][0], lists[account_id][1], own=True)
        if account_id in lists
        else default
        for account_id in ids
    }


def sheet_for(account_id: int) -> PriceSheet:
    return sheets_for([account_id])[account_id]


def default_sheet() -> PriceSheet:
    stored = PriceList.objects.filter(is_default=True).prefetch_related("prices").first()
    if stored is None:
        return BUILT_IN
    return PriceSheet(stored.currency, {p.metric: p.unit_price for p in stored.prices.all()})
