"""Long lists in the dashboard (subprojects, projects, members, activity, the usage
table): a total, a sort on each column in both directions, the filters, sort and
position in the URL, and pages found by position, never by OFFSET.

    page = keyset_list(request, rows, sorts=SORTS, context=f"subprojects:{id}:{q}",
                       total=parent.subproject_count, noun=("subproject", "subprojects"))

- `rows`: a queryset; or, for a list that is a UNION (the Projects page), a function
  `rows(condition, order, limit)` that puts `condition` (a Q, or None) into each part
  and returns the union in `order`, of which `limit` rows will be read; or a list of
  rows computed whole, already in order (the Usage page's table, whose totals SQL
  computes for every row at once): its page is cut in Python.
- `sorts`: the columns one may sort on (Sorts); each one's order ends with a unique
  field, so the order is total and stable, and each has an index that serves it. A
  list in one order (the Activity page, newest first), or sorted by its page's own
  choices (the Usage table), gives no `sorts` but its `order`: for a list of rows, the
  fields that tell its rows apart.
- `total`: how many rows the list has: a number the caller already holds (a counter
  kept by the services, or a list's length: free), a queryset to count (read at most
  `count_limit` + 1 rows, so "more than 10,000" past that: bounded), or None (not
  shown).

A page costs one query for its rows (per_page + 1, to know whether more follow), and
the count if one is asked for, whatever the size of the list and whichever page.
Page links carry a signed position (the last or first row's sort values) bound to the
list, its filters and its sort (`context`), and the position of the page's first row
for "51-100 of 10,000". A link that does not belong (tampered, or the sort or filter
changed) shows the first page with a message, and the view answers 400.
"""

from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ValidationError
from django.http import QueryDict

from .formatting import number
from .keyset import after, position_of, reversed_order

PER_PAGE = 50
COUNT_LIMIT = 10_000
CURSOR = "cursor"  # the page's position in the URL: ?cursor=<signed> or ?cursor=last
_SALT = "core.lists.cursor"
BAD_CURSOR = (
    "This page link is no longer valid (the list's sort or filter changed, or the link "
    "was cut short): showing the first page."
)


@dataclass(frozen=True)
class Column:
    """A column one may sort on: `?sort=key` ascending, `?sort=-key` descending."""

    key: str
    label: str
    order: tuple[str, ...]  # ascending; the last field unique
    ascending: str = "ascending"  # the words for each direction, e.g. "A to Z"
    descending: str = "descending"
    descending_first: bool = False  # a first click on the header sorts descending


@dataclass(frozen=True)
class Sorts:
    columns: tuple[Column, ...]
    default: str  # e.g. "-created"

    def parse(self, value: str | None) -> tuple[str, tuple[str, ...]] | None:
        """(the sort's URL value, its ORDER BY) for `value`, or None if it names none."""
        value = value or self.default
        descending = value.startswith("-")
        for column in self.columns:
            if column.key == value.lstrip("-"):
                return value, reversed_order(column.order) if descending else column.order
        return None

    def choices(self) -> list[tuple[str, str]]:
        """(URL value, label) of every sort, for a <select>."""
        pairs = []
        for column in self.columns:
            pairs.append((column.key, f"{column.label}, {column.ascending}"))
            pairs.append((f"-{column.key}", f"{column.label}, {column.descending}"))
        return pairs


@dataclass
class HeaderSort:
    """A column header's link: where it leads and what it says to screen readers."""

    label: str
    url: str
    aria_sort: str  # "ascending", "descending" or "" (not sorted by it)
    action: str  # e.g. "sort Z to A"


@dataclass
class ListPage:
    rows: list
    sort: str
    sort_choices: list[tuple[str, str]]
    headers: dict[str, HeaderSort]
    total: int | None = None
    total_is_bound: bool = False  # the list has more than `total` rows
    start: int | None = None  # rows before this page, when known
    has_previous: bool = False
    has_next: bool = False
    # Page links: query strings ("?sort=name&cursor=…", or "" for the list's first page
    # in its default sort), to put after the list's URL.
    first_url: str = ""
    previous_url: str = ""
    next_url: str = ""
    last_url: str = ""
    query: str = ""  # filters and sort (no position): for the CSV link and forms
    sort_query: str = ""  # the sort alone, unless it is the default: "sort=-name"
    error: str = ""
    noun: tuple[str, str] = ("row", "rows")

    @property
    def count_text(self) -> str:
        """ "10,000 subprojects", "1 subproject", "more than 1,000 subprojects"."""
        if self.total is None:
            return ""
        noun = self.noun[0] if self.total == 1 and not self.total_is_bound else self.noun[1]
        return f"{'more than ' if self.total_is_bound else ''}{number(self.total)} {noun}"

    @property
    def range_text(self) -> str:
        """ "51\u2013100" when the page's place is known and the list has more than a page."""
        if self.start is None or not self.rows or not self.has_other_pages:
            return ""
        return f"{number(self.start + 1)}\u2013{number(self.start + len(self.rows))}"  # en dash

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next


def keyset_list(
    request,
    rows,
    *,
    context: str,
    sorts: Sorts | None = None,
    order: tuple[str, ...] = (),
    total=None,
    noun=("row", "rows"),
    per_page: int = PER_PAGE,
    count_limit: int = COUNT_LIMIT,
) -> ListPage:
    """One page of a dashboard list, as the request's ?sort= and ?cursor= ask (see the
    module's note)."""
    error, sort = "", ""
    params = request.GET.copy()
    for name in (CURSOR, "page"):
        params.pop(name, None)
    if sorts is not None:
        parsed = sorts.parse(request.GET.get("sort"))
        if parsed is None:
            error = "This list cannot be sorted that way: showing it in its usual order."
            parsed = sorts.parse(sorts.default)
        sort, order = parsed
        context = f"{context}|{sort}"
        if sort == sorts.default:
            params.pop("sort", None)
        else:
            params["sort"] = sort

    total, bound = _count(total, count_limit)
    try:
        found = _read(request, rows, order, context, per_page, total if not bound else None)
    except _BadCursor:
        error = error or BAD_CURSOR
        found = _read_first(rows, order, per_page)
    items, start, more_before, more_after = found

    page = ListPage(
        rows=items,
        sort=sort,
        sort_choices=sorts.choices() if sorts else [],
        headers=_headers(sorts, sort, params) if sorts else {},
        total=total,
        total_is_bound=bound,
        start=start,
        has_previous=more_before,
        has_next=more_after,
        query=params.urlencode(),
        sort_query="" if not sorts or sort == sorts.default else _sort_query(sort),
        error=error,
        noun=noun,
    )
    if more_before:
        page.first_url = _url(params)
        if start == per_page:  # the page before is the first page
            page.previous_url = page.first_url
        else:
            # Pages read backwards end where this one starts: from the last page back,
            # the first page reached may be short (the "First" link gives the full one).
            back = None if start is None else max(start - per_page, 0)
            position = position_of(items[0], order)
            page.previous_url = _url(params, _cursor(context, "b", position, back))
    if more_after:
        ahead = None if start is None else start + len(items)
        page.next_url = _url(params, next_cursor(context, position_of(items[-1], order), ahead))
        page.last_url = _url(params, "last")
    return page


class _BadCursor(Exception):
    pass


def _count(total, limit) -> tuple[int | None, bool]:
    """(the total, whether it is only a lower bound)."""
    if total is None or isinstance(total, int):
        return total, False
    # Unordered: the order does not change a count (and Django cannot count a sliced,
    # ordered UNION).
    counted = total.order_by()[: limit + 1].count()
    return min(counted, limit), counted > limit


def _select(rows, position, order, limit, *, backwards=False) -> list:
    """Up to `limit` rows after `position` (None: from the start) in `order`, or before
    it, nearest first, when reading `backwards`."""
    if isinstance(rows, list):
        return _slice(rows, position, order, limit, backwards)
    if backwards:
        order = reversed_order(order)
    condition = None if position is None else after(position, order)
    try:
        if callable(rows):
            return list(rows(condition, order, limit)[:limit])
        if condition is not None:
            rows = rows.filter(condition)
        return list(rows.order_by(*order)[:limit])
    except (ValidationError, ValueError, TypeError):  # a position the fields cannot hold
        if position is None:
            raise
        raise _BadCursor from None


def _slice(rows: list, position, order, limit, backwards) -> list:
    """The same from a list already in order: the row at `position` is found by its
    values of `order`."""
    if position is None:
        index = len(rows) if backwards else -1
    else:
        index = next((i for i, row in enumerate(rows) if position_of(row, order) == position), None)
        if index is None:  # gone since (the list is computed anew for each page)
            raise _BadCursor
    if backwards:
        return rows[max(index - limit, 0) : index][::-1]
    return rows[index + 1 : index + 1 + limit]


def _read_first(rows, order, per_page):
    items = _select(rows, None, order, per_page + 1)
    return items[:per_page], 0, False, len(items) > per_page


def _read(request, rows, order, context, per_page, exact_total):
    """(rows, rows before them or None, whether rows come before, whether after)."""
    value = request.GET.get(CURSOR)
    if not value:
        return _read_first(rows, order, per_page)
    if value == "last":
        items = _select(rows, None, order, per_page + 1, backwards=True)
        before = len(items) > per_page
        items = items[:per_page][::-1]
        start = None if exact_total is None else max(exact_total - len(items), 0)
        return items, start if before else 0, before, False
    direction, position, start = _decode(value, context, len(order))
    if direction == "a":
        items = _select(rows, position, order, per_page + 1)
        return items[:per_page], start, True, len(items) > per_page
    items = _select(rows, position, order, per_page + 1, backwards=True)
    before = len(items) > per_page
    return items[:per_page][::-1], start if before else 0, before, True


def next_cursor(context: str, position: list, start: int | None = None) -> str:
    """A ?cursor= value for the rows after `position` (the values of the list's order of
    one row) in the list `context` (with "|sort" when it has sorts), with `start` rows
    before them if known: what a "Next" link carries (a benchmark starts deep in a list
    with it)."""
    return _cursor(context, "a", position, start)


def _cursor(context, direction, position, start) -> str:
    return signing.dumps(
        {"c": context, "d": direction, "p": position, "n": start},
        salt=_SALT,
        compress=True,
    )


def _decode(value, context, length):
    try:
        payload = signing.loads(value, salt=_SALT)
    except signing.BadSignature:
        raise _BadCursor from None
    if not isinstance(payload, dict) or payload.get("c") != context:
        raise _BadCursor
    direction, position, start = payload.get("d"), payload.get("p"), payload.get("n")
    if direction not in ("a", "b") or not isinstance(position, list) or len(position) != length:
        raise _BadCursor
    if start is not None and not (isinstance(start, int) and start >= 0):
        raise _BadCursor
    return direction, position, start


def _url(params: QueryDict, cursor: str | None = None) -> str:
    params = params.copy()
    if cursor:
        params[CURSOR] = cursor
    query = params.urlencode()
    return f"?{query}" if query else ""


def _sort_query(sort: str) -> str:
    return QueryDict.fromkeys(["sort"], sort).urlencode()


def _headers(sorts: Sorts, sort: str, params: QueryDict) -> dict[str, HeaderSort]:
    """Each column header's link: to sort by it, or the other way if it is the sort."""
    headers = {}
    for column in sorts.columns:
        current = sort.lstrip("-") == column.key
        descending = sort.startswith("-")
        target_descending = not descending if current else column.descending_first
        target = f"-{column.key}" if target_descending else column.key
        target_params = params.copy()
        if target == sorts.default:
            target_params.pop("sort", None)
        else:
            target_params["sort"] = target
        aria = ("descending" if descending else "ascending") if current else ""
        words = column.descending if target_descending else column.ascending
        headers[column.key] = HeaderSort(column.label, _url(target_params), aria, f"sort {words}")
    return headers
