"""Numbers and money in templates, through core.formatting (one way everywhere):
`{{ amount|money:currency }}` "15,150.35 EUR", `{{ price|unit_price:currency }}`,
`{{ count|number }}` "1,234", `{{ value|percent }}` "89.9 %"."""

from decimal import Decimal

from django import template

from core import formatting

register = template.Library()

register.filter("money", formatting.money)
register.filter("unit_price", formatting.unit_price)
register.filter("percent", formatting.percent)


@register.filter
def number(value):
    """A number grouped (1,234); anything else (a word, a dash) as it is."""
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return formatting.number(value)
    return value
