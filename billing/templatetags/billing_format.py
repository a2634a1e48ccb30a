from django import template

from billing import money

register = template.Library()


@register.filter
def money_amount(value, currency):
    """An amount for people: the currency's decimals, thousands grouped (12,345.60)."""
    return f"{money.in_currency(value, currency):,f}"


register.filter("money", money_amount)


@register.filter
def quantity_text(value):
    return f"{value:,}" if isinstance(value, int) else value
