"""Money: Decimal amounts in ISO 4217 currencies, and the one rounding rule.

- Currencies are ISO 4217 codes with a minor unit (the `iso4217` package, kept up to
  date with the standard's amendments): EUR has 2 decimals, JPY 0, BHD 3. Codes without
  a minor unit (gold, SDR, test codes) are refused: nothing can be billed in them.
- A unit price has at most PRICE_DECIMALS decimals and PRICE_INTEGER_DIGITS digits
  before the point; never negative; never a float.
- An amount is rounded ONCE, per statement line: quantity x unit price, rounded half up
  (0.005 -> 0.01) to the currency's minor unit. A statement's total is the sum of its
  rounded lines, so it always equals what the lines say.
"""

import functools
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from core.errors import InvalidValue
from core.formatting import minor_units

PRICE_DECIMALS = 6
PRICE_INTEGER_DIGITS = 12
PRICE_MAX_DIGITS = PRICE_DECIMALS + PRICE_INTEGER_DIGITS
AMOUNT_DECIMALS = 4  # the largest minor unit in ISO 4217 (CLF, UYW)
AMOUNT_MAX_DIGITS = 28
# The largest amount a limit may be (ten of the 28 digits spare for sums of lines).
MAX_AMOUNT = Decimal(10) ** (AMOUNT_MAX_DIGITS - AMOUNT_DECIMALS - 4)


CURRENCIES = minor_units()  # {code: minor unit decimals}


def clean_currency(value, *, field: str = "currency") -> str:
    """The ISO 4217 code, upper case, or InvalidValue saying what is accepted."""
    code = str(value or "").strip().upper()
    if code not in CURRENCIES:
        raise InvalidValue(
            f"“{value}” is not an ISO 4217 currency code with a minor unit (e.g. EUR, USD, JPY).",
            field=field,
        )
    return code


def minor_unit(currency: str) -> int:
    return CURRENCIES[currency]


@functools.cache
def quantum(currency: str) -> Decimal:
    """The currency's smallest amount: Decimal("0.01") for EUR, Decimal("1") for JPY."""
    return Decimal(1).scaleb(-minor_unit(currency))


def line_amount(quantity: int, unit_price: Decimal, currency: str) -> Decimal:
    """THE rounding rule: quantity x unit price, rounded half up to the minor unit."""
    return (Decimal(quantity) * unit_price).quantize(quantum(currency), rounding=ROUND_HALF_UP)


def in_currency(amount: Decimal, currency: str) -> Decimal:
    """An amount shown with the currency's decimals (a sum of rounded lines is exact)."""
    return amount.quantize(quantum(currency), rounding=ROUND_HALF_UP)


def text(amount: Decimal, currency: str) -> str:
    """A decimal string with the currency's decimals, as the API and CSV write it."""
    return f"{in_currency(amount, currency):f}"


def price_text(price: Decimal) -> str:
    """A unit price without trailing zeros past the currency's usual two (0.045, 1.00)."""
    normalized = price.normalize()
    if normalized.as_tuple().exponent > -2:
        normalized = normalized.quantize(Decimal("0.01"))
    return f"{normalized:f}"


def _decimal(value, *, field: str, example: str) -> Decimal:
    """A finite Decimal from text (or a Decimal or int; never a float, which is not
    exact), or InvalidValue naming the field."""
    if isinstance(value, (float, bool)):
        raise InvalidValue(f'must be written as a decimal string, e.g. "{example}".', field=field)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise InvalidValue(f"“{value}” is not a decimal number, e.g. {example}.", field=field)
    return number


def clean_price(value, *, field: str = "price") -> Decimal:
    """A unit price, or InvalidValue: not negative, at most PRICE_DECIMALS decimals."""
    price = _decimal(value, field=field, example="0.045")
    if price < 0:
        raise InvalidValue("must not be negative.", field=field)
    if max(0, -price.normalize().as_tuple().exponent) > PRICE_DECIMALS:
        raise InvalidValue(f"has more than {PRICE_DECIMALS} decimals.", field=field)
    if price >= Decimal(10) ** PRICE_INTEGER_DIGITS:
        raise InvalidValue(f"must be less than {10**PRICE_INTEGER_DIGITS:,} per unit.", field=field)
    return price.quantize(Decimal(1).scaleb(-PRICE_DECIMALS))


def clean_amount(value, currency: str, *, field: str = "amount") -> Decimal:
    """A positive amount in `currency`, with at most its minor unit's decimals."""
    amount = _decimal(value, field=field, example="100.00")
    if amount <= 0:
        raise InvalidValue("must be more than zero.", field=field)
    # The size first: rounding 1e26 to cents needs more digits than Decimal's 28.
    if amount >= MAX_AMOUNT:
        raise InvalidValue(f"must be less than {MAX_AMOUNT:,}.", field=field)
    if -amount.as_tuple().exponent > minor_unit(currency) and amount != amount.quantize(
        quantum(currency), rounding=ROUND_HALF_UP
    ):
        decimals = minor_unit(currency)
        raise InvalidValue(f"has more than {decimals} decimals for {currency}.", field=field)
    return amount
