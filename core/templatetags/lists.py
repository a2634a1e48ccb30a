"""Template helpers of core.lists pages: `{% sort_header page "name" list_url %}`, a
column header whose link sorts by that column (or the other way, when it is the sort),
with aria-sort for screen readers."""

from django import template
from django.utils.html import format_html

register = template.Library()

_ARROWS = {"ascending": "▲", "descending": "▼", "": ""}


@register.simple_tag
def sort_header(page, key: str, action: str = "", css_class: str = ""):
    header = page.headers[key]
    aria = format_html(' aria-sort="{}"', header.aria_sort) if header.aria_sort else ""
    classes = format_html(' class="{}"', css_class) if css_class else ""
    return format_html(
        '<th scope="col"{}{}><a class="sort-link" href="{}{}">{}'
        '<span class="visually-hidden">, {}</span>'
        '<span class="sort-arrow" aria-hidden="true">{}</span></a></th>',
        aria,
        classes,
        action,
        header.url,
        header.label,
        header.action,
        _ARROWS[header.aria_sort],
    )
