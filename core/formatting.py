"""Numbers and money for people: one way everywhere (pages, the activity, emails).

- Every amount carries its ISO 4217 code beside it, after the number and joined to it
  by a no-break space ("15,150.35 EUR"), with the currency's own decimals (EUR 2, JPY 0,
  BHD 3). The code, not a sign: "$" is several currencies, and a bill is re-billed.
- Thousands are grouped, and the separators are those of the reader's locale: the
  browser's preferred language (Accept-Language, among those Django knows), else
  LANGUAGE_CODE. "15,150.35 EUR" in English, "15.150,35 EUR" in German, "15 150,35 EUR"
  in French. Only the numbers follow the locale: the words stay English.
- Machines read plain decimals: CSV downloads, the API and the audit trail's stored
  changes keep "15150.35" (billing.money.text); this module is for what people read.
"""

import contextvars
import functools
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import formats, numberformat, translation
from iso4217 import Currency

NBSP = "\u00a0"

# The locale whose conventions numbers follow for the request being answered.
_locale: contextvars.ContextVar[str | None] = contextvars.ContextVar("number_locale", default=None)


@functools.cache
def minor_units() -> dict[str, int]:
    """{ISO 4217 code: decimals of its minor unit}, for codes that have one."""
    return {c.code: c.exponent for c in Currency if c.exponent is not None}


def locale() -> str:
    return _locale.get() or settings.LANGUAGE_CODE


@functools.cache
def _separators(lang: str) -> tuple[str, str, int]:
    decimal = formats.get_format("DECIMAL_SEPARATOR", lang, use_l10n=True)
    thousands = formats.get_format("THOUSAND_SEPARATOR", lang, use_l10n=True)
    grouping = formats.get_format("NUMBER_GROUPING", lang, use_l10n=True) or 3
    # A space as the thousands separator must not let a number wrap across lines.
    return decimal, thousands.replace(" ", NBSP), grouping


def number(value, decimals: int | None = None) -> str:
    """A number with the locale's separators, thousands grouped: 1234567 -> "1,234,567";
    `decimals` rounds (half up) to that many places and shows them all."""
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        value = Decimal(str(value))
    if decimals is not None:
        value = Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    decimal, thousands, grouping = _separators(locale())
    return numberformat.format(
        value,
        decimal,
        decimal_pos=decimals,
        grouping=grouping,
        thousand_sep=thousands,
        force_grouping=True,
    )


def money(amount, currency: str) -> str:
    """An amount with its currency's decimals and its code: "15,150.35 EUR"."""
    if amount is None or amount == "":
        return ""
    return f"{number(Decimal(amount), minor_units().get(currency, 2))}{NBSP}{currency}"


def unit_price(price, currency: str) -> str:
    """A unit price, which may have more decimals than the currency (0.045 EUR), and at
    least two: "0.045 EUR", "1.00 EUR"."""
    price = Decimal(price).normalize()
    decimals = max(2, -price.as_tuple().exponent)
    return f"{number(price, decimals)}{NBSP}{currency}"


def percent(value, decimals: int = 1) -> str:
    """89.94 -> "89.9 %" (a no-break space, as the locales write it)."""
    return f"{number(value, decimals)}{NBSP}%"


class NumberLocaleMiddleware:
    """Numbers on this request's pages follow the reader's locale (Accept-Language)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _locale.set(translation.get_language_from_request(request))
        try:
            return self.get_response(request)
        finally:
            _locale.reset(token)
