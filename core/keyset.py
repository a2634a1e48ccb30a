"""Keyset ("seek") positions in an ordered list, shared by the API's pages
(core.api.pagination) and the dashboard's (core.lists).

A position is the values of the ordering fields of one row; the rows after it are a
condition on those fields that the database answers from the list's index, without
OFFSET (which reads and throws away every row before the page).
"""

import functools
import operator

from django.db.models import Q


def after(position: list, order: tuple[str, ...]) -> Q:
    """Rows that sort after `position` in `order` (e.g. ("-created_at", "-public_id"),
    the last field unique): (a > x) OR (a = x AND b > y) …, with "<" for "-" fields."""
    names = [field.lstrip("-") for field in order]
    conditions = []
    for i, field in enumerate(order):
        lookup = "lt" if field.startswith("-") else "gt"
        equal = dict(zip(names[:i], position[:i], strict=True))
        conditions.append(Q(**equal, **{f"{names[i]}__{lookup}": position[i]}))
    # The bound on the first field alone lets the database seek in the index.
    first = "lte" if order[0].startswith("-") else "gte"
    return Q(**{f"{names[0]}__{first}": position[0]}) & functools.reduce(operator.or_, conditions)


def reversed_order(order: tuple[str, ...]) -> tuple[str, ...]:
    """The same fields, every direction flipped: reading backwards from a position."""
    return tuple(field[1:] if field.startswith("-") else f"-{field}" for field in order)


def position_of(row, order: tuple[str, ...]) -> list:
    """A row's position (a model instance, or a dict from .values()), as plain JSON
    values (datetimes in ISO 8601)."""
    names = [field.lstrip("-") for field in order]
    values = (
        (row[name] for name in names)
        if isinstance(row, dict)
        else (getattr(row, name) for name in names)
    )
    return [value.isoformat() if hasattr(value, "isoformat") else value for value in values]
