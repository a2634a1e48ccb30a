from django import template

from billing import money

register = template.Library()


@register.filter
def money_amount(value, currency):
    return money.text(value, currency)


register.filter("money", money_amount)


@register.filter
def quantity_text(value):
    return f"{value:,}" if isinstance(value, int) else value
