"""Keyset pagination for every list endpoint: `pageSize`, `pageToken`, `nextPageToken`.

A page token is a signed position (the ordering fields' values of the last row shown),
bound to one listing (`context`), so it cannot be forged or replayed on another list.
The next page is what sorts after that position, found through the listing's index
(no OFFSET): each row is visited exactly once even while rows are added meanwhile.
"""

from django.core import signing
from django.core.exceptions import ValidationError

from core.keyset import after, position_of

from .errors import invalid_argument

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
# The OpenAPI parameters of every list endpoint that pages with these (our additions;
# the contracts' own lists keep their contracts' words).
PAGE_PARAMETERS = (
    {
        "name": "pageSize",
        "in": "query",
        "required": False,
        "description": f"1 to {MAX_PAGE_SIZE}; default {DEFAULT_PAGE_SIZE}.",
        "schema": {"type": "integer", "format": "int32", "minimum": 1, "maximum": MAX_PAGE_SIZE},
    },
    {
        "name": "pageToken",
        "in": "query",
        "required": False,
        "description": "The nextPageToken of the previous page.",
        "schema": {"type": "string"},
    },
)
_SALT = "projects.api.page-token"
_BAD_TOKEN = "pageToken is not valid: use the nextPageToken of a response."  # noqa: S105 - a message


def page_size(request) -> int:
    raw = request.GET.get("pageSize")
    if raw in (None, ""):
        return DEFAULT_PAGE_SIZE
    # Plain ASCII digits only: int() would also take " 5", "1_0" and other scripts' digits.
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 4) or not (
        1 <= int(raw) <= MAX_PAGE_SIZE
    ):
        raise invalid_argument(f"pageSize must be a whole number from 1 to {MAX_PAGE_SIZE}.")
    return int(raw)


def make_page_token(context: str, position: list) -> str:
    return signing.dumps({"c": context, "p": position}, salt=_SALT)


def read_page_token(request, context: str) -> list | None:
    token = request.GET.get("pageToken")
    if not token:
        return None
    try:
        payload = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        raise invalid_argument(_BAD_TOKEN) from None
    if not isinstance(payload, dict) or payload.get("c") != context:
        raise invalid_argument("pageToken belongs to another listing.")
    return payload.get("p")


def keyset_page(request, rows, *, context: str, order: tuple[str, ...]):
    """One page of `rows` in `order` (ending in a unique field), as the request's
    `pageSize` says: (items, nextPageToken), "" on the last page. (The dashboard's lists
    page with core.lists.)"""
    size = page_size(request)
    position = read_page_token(request, context)
    try:
        if position is not None:
            if not isinstance(position, list) or len(position) != len(order):
                raise invalid_argument(_BAD_TOKEN)
            rows = rows.filter(after(position, order))
        items = list(rows.order_by(*order)[: size + 1])
    except (ValidationError, ValueError, TypeError):  # a position the fields cannot hold
        raise invalid_argument(_BAD_TOKEN) from None
    if len(items) <= size:
        return items, ""
    items = items[:size]
    return items, make_page_token(context, position_of(items[-1], order))
