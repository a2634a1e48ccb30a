from django import template

register = template.Library()


@register.filter
def quantity(value) -> str:
    """A whole number with thousands separators: 1234567 -> "1,234,567"."""
    return f"{int(value):,}"
