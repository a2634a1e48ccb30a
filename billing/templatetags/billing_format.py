from django import template

from billing import money

register = template.Library()


register.filter("money", money.grouped)


@register.filter
def quantity_text(value):
    return f"{value:,}" if isinstance(value, int) else value
