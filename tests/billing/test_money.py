"""Money: ISO 4217 currencies and the one rounding rule."""

from decimal import Decimal

import pytest

from billing import money
from core.errors import InvalidValue


def test_a_line_is_rounded_half_up_to_the_currency_minor_unit():
    assert money.line_amount(3, Decimal("0.045"), "EUR") == Decimal("0.14")  # 0.135
    assert money.line_amount(1, Decimal("0.005"), "EUR") == Decimal("0.01")  # half up
    assert money.line_amount(1, Decimal("0.004999"), "EUR") == Decimal("0.00")
    assert money.line_amount(7, Decimal("1.5"), "JPY") == Decimal("11")  # 10.5, no decimals
    assert money.line_amount(1, Decimal("0.0005"), "BHD") == Decimal("0.001")  # 3 decimals
    assert money.line_amount(0, Decimal("9"), "EUR") == Decimal("0.00")


@pytest.mark.parametrize("code", ["EUR", "usd", " JPY ", "BHD", "CHF"])
def test_iso_4217_codes_with_a_minor_unit_are_accepted(code):
    assert money.clean_currency(code) == code.strip().upper()


@pytest.mark.parametrize("code", ["", "EURO", "ABC", "XAU", "XTS", "€"])
def test_other_codes_are_refused_with_a_message(code):
    with pytest.raises(InvalidValue, match="ISO 4217"):
        money.clean_currency(code)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-1", "negative"),
        ("abc", "not a decimal"),
        ("NaN", "not a decimal"),
        ("Infinity", "not a decimal"),
        ("0.0000001", "more than 6 decimals"),
        ("1000000000000", "less than"),
        (0.1, "decimal string"),
    ],
)
def test_bad_prices_are_refused_with_a_message(text, message):
    with pytest.raises(InvalidValue, match=message):
        money.clean_price(text)


def test_prices_keep_their_exact_value():
    assert money.clean_price("0.045") == Decimal("0.045")
    assert money.clean_price(" 2 ") == Decimal("2")
    assert money.price_text(Decimal("0.045000")) == "0.045"
    assert money.price_text(Decimal("2.000000")) == "2.00"


@pytest.mark.parametrize(
    ("text", "currency", "message"),
    [("0", "EUR", "more than zero"), ("1.001", "EUR", "2 decimals"), ("1.5", "JPY", "0 decimals")],
)
def test_bad_amounts_are_refused(text, currency, message):
    with pytest.raises(InvalidValue, match=message):
        money.clean_amount(text, currency)
