"""The Projects menu in the top bar: which rows it shows and how search finds them.

The top bar names the current project on every page (current_project: free when the
page's view opened it, else one query); the menu's rows are read only when it opens
(its search endpoint), in one query whatever the number of projects: at most
MENU_LIMIT rows, and a link to the Projects page for the rest.
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, Case, Exists, OuterRef, Q, Value, When
from django.db.models.functions import Lower, StrIndex, Upper
from django.db.models.lookups import GreaterThan
from django.utils.functional import SimpleLazyObject

from accounts.models import Role
from core import ids

from .contributions import with_row_flags
from .models import Project, visibility

MENU_LIMIT = 20
# The start of a Project ID: four characters or more.
_PARTIAL_ID_RE = ids.prefix_pattern(4)


def name_or_id_matches(q: str, *, in_name_order: bool = False) -> Q:
    """Search by name (any part, any letter case) or by Project ID (from its start, any
    letter case).

    `in_name_order`: the caller reads the matches in name order (the menu, the Projects
    page sorted by name). The name test is then STRPOS(UPPER(name), UPPER(q)) > 0
    (INSTR on SQLite) instead of `name__icontains`'s UPPER(name) LIKE '%q%': the same
    matches, but PostgreSQL estimates the LIKE as matching almost no row, so it read
    every project of the account before sorting even when the first 20 by name all
    match ("project" among 5,000 projects named so: 3.4 ms); of a function's result it
    assumes a third, and walks the account's names through project_alive_by_name until
    the page is full (0.15 ms). Read in any other order (newest first), that same guess
    would walk a table-wide index of creation times and read the whole table when few
    names match, so the LIKE stays there."""
    if in_name_order:
        matches = Q(GreaterThan(StrIndex(Upper("name"), Upper(Value(q))), 0))
    else:
        matches = Q(name__icontains=q)
    candidate_id = q.upper()
    if _PARTIAL_ID_RE.match(candidate_id):
        matches |= Q(public_id__startswith=candidate_id)
    return matches


# The menu's order: the current project first, then by name.
MENU_ORDER = ("-is_current", "sort_name", "name", "public_id")
# A search's order: by name only (the current project keeps its tick where it is), so
# that the database reads an account's names in index order and stops when the menu is
# full instead of sorting every match (project_alive_by_name).
SEARCH_ORDER = ("sort_name", "name", "public_id")


def menu_projects(
    user, q: str = "", *, related=("parent",), order=MENU_ORDER, condition=None, limit=None
):
    """The projects a user's menu and projects page list, current project first.

    Without a search: the top-level projects the user sees, plus the subprojects they
    reach without their parent (an ASP's customer granted only theirs), plus the
    current project. With a search: any visible project or subproject whose name
    contains the text or whose Project ID starts with it (a pasted full ID finds
    exactly its project).

    Only the user's current account (accounts.current): what they hold is read there.
    One query, a UNION ALL of disjoint parts, each reached through an index from what
    the user holds (their admin account, their grants, their current project): OR-ed
    subqueries in one WHERE would make PostgreSQL scan the whole projects table.
    `related` are the relations to load with each row (select_related); `order` sorts
    the union by its columns (`sort_name` is the lower-cased name); `condition` (a Q on
    those columns, e.g. a page's position) is applied to each part. With `limit` (the
    rows the caller will read), each part is also sorted and cut where the database
    allows it (PostgreSQL): a part then reads only its first rows through its index,
    not all of an account's projects before the union is sorted.
    """
    q = (q or "").strip()
    in_name_order = order[0].lstrip("-") == "sort_name"
    parts = _matching(user, q, in_name_order=in_name_order) if q else _entry_points(user)
    is_current = Case(
        When(pk=user.current_project_id or 0, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    # Case-insensitive, so the order is the same on SQLite and PostgreSQL and "acme"
    # is not listed after "Zeta". The rows' flags (projects.contributions: billing's
    # spend-limit flag) come in the same query.
    if related:  # (select_related() without names would follow every relation)
        parts = [part.select_related(*related) for part in parts]
    parts = [
        with_row_flags(part.order_by().annotate(is_current=is_current, sort_name=Lower("name")))
        for part in parts
    ]
    if condition is not None:
        parts = [part.filter(condition) for part in parts]
    if len(parts) == 1:  # (an admin's menu, without a current subproject)
        return parts[0].order_by(*order)
    if limit is not None and connection.features.supports_slicing_ordering_in_compound:
        parts = [part.order_by(*order)[:limit] for part in parts]
    first, *rest = parts
    return first.union(*rest, all=True).order_by(*order)


def first_project(user):
    """The project a user who has none yet starts on: their oldest top-level project,
    or (an ASP's customer, granted only a subproject) their oldest such subproject.
    None if they see no project. One query, through the menu's parts."""
    parts = [
        part.order_by().annotate(
            sort_last=Case(
                When(parent__isnull=True, then=Value(False)),
                default=Value(True),
                output_field=BooleanField(),
            )
        )
        for part in _entry_points(user, current=False)
    ]
    first, *rest = parts
    union = first.union(*rest, all=True).order_by("sort_last", "created_at", "public_id")
    return union.first()


# The menu's parts below are pieces of the rule (projects.models.sees: admin, granted or
# parent granted), each made of its facts (projects.models.visibility) so that no two
# overlap; tests/projects/test_visibility.py holds a search's union to visible_to, and
# the opened menu's to what the user sees other than through a parent.


def _admin_of(user):
    """The current account's ID if the user administers it, as the request's user was
    loaded (accounts.backends: with current_role); else None (then visibility says)."""
    if getattr(user, "current_role", None) == Role.ADMIN:
        return user.current_account_id
    return None


def _entry_points(user, *, current=True):
    """Disjoint parts: the projects the user sees other than through a parent they see.
    Top-level projects of the user's admin accounts (the partial index
    project_top_level_by_name); projects granted elsewhere, top-level or with a parent
    the user does not see; the current project, if the user still sees it (unless
    `current` is False)."""
    alive = Project.objects.alive()
    current = user.current_project_id if current else None
    if (admin_of := _admin_of(user)) is not None:
        # An admin sees the whole account (the `admin` fact, known from the request's
        # user): its top-level projects, by an equality the index serves in name order.
        parts = [alive.filter(parent__isnull=True, account_id=admin_of)]
    else:
        seen = visibility(user)
        parts = [
            alive.filter(seen["admin"], parent__isnull=True),
            alive.filter(seen["granted"]).exclude(seen["admin"]).exclude(seen["parent_granted"]),
        ]
    if current is None:
        return parts
    return [part.exclude(pk=current) for part in parts] + [
        alive.visible_to(user).filter(pk=current)
    ]


def _matching(user, q: str, *, in_name_order: bool):
    """Disjoint parts of what the user sees (ProjectQuerySet.visible_to) that match the
    search: in the user's admin accounts; granted; under a granted project."""
    matching = Project.objects.alive().filter(name_or_id_matches(q, in_name_order=in_name_order))
    if (admin_of := _admin_of(user)) is not None:
        return [matching.filter(account_id=admin_of)]
    seen = visibility(user)
    elsewhere = matching.exclude(seen["admin"])
    return [
        matching.filter(seen["admin"]),
        elsewhere.filter(seen["granted"]),
        elsewhere.filter(seen["parent_granted"]).exclude(seen["granted"]),
    ]


@dataclass
class Menu:
    q: str = ""
    rows: list = field(default_factory=list)
    more: bool = False


def build_menu(user, q: str = "") -> Menu:
    order = SEARCH_ORDER if q.strip() else MENU_ORDER
    rows = list(menu_projects(user, q, order=order, limit=MENU_LIMIT + 1)[: MENU_LIMIT + 1])
    return Menu(q=q.strip(), rows=rows[:MENU_LIMIT], more=len(rows) > MENU_LIMIT)


def current_project(request):
    """The project the top bar and the navigation name: the one the page's view opened
    (free), or the user's current project if they may still see it (one query), with
    `parent_visible` as projects.access sets it (whether the user sees its parent)."""
    opened = getattr(request, "current_project", None)
    if opened is not None:
        return opened
    user = request.user
    if not user.current_project_id:
        return None
    parent_seen = Project.objects.visible_to(user).filter(pk=OuterRef("parent_id"))
    return (
        Project.objects.visible_to(user)
        .alive()
        .select_related("parent")
        .annotate(parent_visible=Exists(parent_seen))
        .filter(pk=user.current_project_id)
        .first()
    )


def projects_menu(request):
    """Context processor: the project the top bar's Projects menu names, read only if a
    template shows it. The menu's rows are not read here: the menu fetches them when it
    opens (its search's own endpoint, projects_menu?partial=1), so that no page pays for
    a list it usually does not show; without JavaScript it links to that list's page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"top_bar_current": SimpleLazyObject(lambda: current_project(request))}
