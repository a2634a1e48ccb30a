"""Setting an account's price list (or the default one), audited."""

from decimal import Decimal

from django.db import IntegrityError, transaction

from accounts.models import Account
from audit import trail
from billing import limits, money, prices
from billing.models import (
    Price,
    PriceList,
    SpendLimit,
)
from core.actors import SYSTEM, Actor
from core.errors import InvalidValue, WrongState
from usage.metrics import CODES


def _price_fields(price_list: PriceList | None, sheet: prices.PriceSheet) -> dict:
    """What the audit entry shows of a list: its currency and each price, as text."""
    fields = {"currency": sheet.currency}
    fields.update({metric: f"{price}" for metric, price in sorted(sheet.prices.items())})
    return fields


def _clean_prices(values: dict) -> dict[str, Decimal]:
    if not values:
        raise InvalidValue("Give at least one price, as METRIC=PRICE.", field="prices")
    cleaned = {}
    for metric, value in values.items():
        if metric not in CODES:
            raise InvalidValue(
                f"“{metric}” is not a metric; the metrics are {', '.join(CODES)}.", field="prices"
            )
        cleaned[metric] = money.clean_price(value, field=metric)
    return cleaned


@transaction.atomic
def prices_set(
    *,
    account: Account | None,
    prices_given: dict,
    currency: str | None = None,
    actor: Actor = SYSTEM,
) -> prices.PriceSheet:
    """Set unit prices of an account's list (its own list is made on the first change,
    starting from the default list's prices), or of the default list (`account=None`).

    Changing the currency reprices everything, so it needs a price for every metric,
    and is refused while the account has spend limits set as amounts in the old one.
    Returns the list as it now is.
    """
    given = _clean_prices(prices_given)
    currency = money.clean_currency(currency) if currency else None
    default = prices.default_sheet()
    stored = _lock_list(account, default)
    before = prices.PriceSheet(
        stored.currency, {p.metric: p.unit_price for p in stored.prices.all()}
    )
    if currency and currency != stored.currency:
        if missing := [code for code in CODES if code not in given]:
            raise InvalidValue(
                f"Changing the currency to {currency} needs a price for every metric; "
                f"missing: {', '.join(missing)}.",
                field="currency",
            )
        if account is not None:
            amounts = SpendLimit.objects.filter(
                project__account=account, amount__isnull=False
            ).exclude(currency=currency)
            if count := amounts.count():
                raise WrongState(
                    f"{count} spend limit(s) of this account are amounts in {stored.currency}: "
                    "change or remove them before changing the currency."
                )
        stored.currency = currency
        stored.save(update_fields=["currency", "updated_at"])
    for metric, price in given.items():
        Price.objects.update_or_create(
            price_list=stored, metric=metric, defaults={"unit_price": price}
        )
    after = prices.PriceSheet(stored.currency, {**before.prices, **given}, own=account is not None)
    # Each price is read in the list's currency: the entry names it.
    changes = trail.diff(
        _price_fields(None, before), _price_fields(None, after), keep={"currency": CODES}
    )
    if changes:
        trail.record(
            actor,
            "price_list.update",
            account=account,
            target_id=account.public_id if account else "default",
            target_label=account.name if account else "Default price list",
            changes=changes,
        )
        if account is not None:
            ids = list(
                SpendLimit.objects.filter(project__account=account).values_list(
                    "project__public_id", flat=True
                )
            )
            transaction.on_commit(lambda: limits.evaluate_projects(ids))
    return after


def _lock_list(account: Account | None, default: prices.PriceSheet) -> PriceList:
    """The list to change, locked; an account's own list is made from the default's
    prices the first time (a concurrent first change waits on the unique account)."""
    lists = PriceList.objects.select_for_update()
    lookup = {"account": account} if account is not None else {"is_default": True}
    stored = lists.filter(**lookup).first()
    if stored is None:
        try:
            with transaction.atomic():
                stored = PriceList.objects.create(
                    **lookup, currency=default.currency if account else prices.DEFAULT_CURRENCY
                )
                source = default.prices if account else prices.DEFAULT_PRICES
                Price.objects.bulk_create(
                    Price(price_list=stored, metric=m, unit_price=p) for m, p in source.items()
                )
        except IntegrityError:  # made by a concurrent call a moment ago
            pass
        stored = lists.get(**lookup)
    return stored
