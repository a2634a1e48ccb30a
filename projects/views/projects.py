from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.csv_stream import csv_response
from core.lists import keyset_list
from core.times import timestamp
from projects.menu import MENU_ORDER, build_menu, menu_projects
from projects.models import held_by, sees

from .common import PROJECT_SORTS


def _rows(request, q, related=("parent", "account")):
    """The Projects page's rows as core.lists wants a UNION: the position's condition
    goes into each part (projects.menu.menu_projects). The union without a position
    is built once: it is also what the page counts."""
    everything = menu_projects(request.user, q, related=related)

    def rows(condition=None, order=None, limit=None):
        if condition is None and limit is None:
            return everything.order_by(*order) if order else everything
        return menu_projects(
            request.user,
            q,
            related=related,
            order=order or MENU_ORDER,
            condition=condition,
            limit=limit,
        )

    return rows


@require_GET
def project_list(request):
    """The projects page: everything the Projects menu lists, searchable, sorted by name
    or creation, 50 a page, with the total."""
    q = request.GET.get("q", "").strip()
    rows = _rows(request, q)
    page = keyset_list(
        request,
        rows,
        sorts=PROJECT_SORTS,
        context=f"projects:{q}",
        total=rows(),  # counted up to core.lists.COUNT_LIMIT
        noun=("project", "projects"),
    )
    status = 400 if page.error else 200
    return render(request, "projects/project_list.html", {"page": page, "q": q}, status=status)


CSV_HEADER = ["name", "project_id", "parent_project_id", "parent_name", "account", "created"]


@require_GET
def project_list_csv(request):
    """The Projects page's list as CSV, filtered and sorted as the page is, streamed."""
    q = request.GET.get("q", "").strip()
    parsed = PROJECT_SORTS.parse(request.GET.get("sort"))
    _sort, order = parsed or PROJECT_SORTS.parse(PROJECT_SORTS.default)
    # The parent's columns only where the user may open the parent: an ASP's customer,
    # granted one subproject, sees its parent's name in titles and nothing more. The
    # rule is `sees`, asked of the parent as projects.access.get_project_for_user asks
    # it (the parent is top-level: no parent of its own).
    admin_accounts, granted = held_by(request.user)
    admin_accounts = {row["account_id"] for row in admin_accounts}
    granted = {row["project_id"] for row in granted}

    def parent(project):
        """The parent's ID and name, where the user may open it."""
        if project.parent_id and sees(
            admin=project.account_id in admin_accounts,
            granted=project.parent_id in granted,
            parent_granted=False,
        ):
            return [project.parent.public_id, project.parent.name]
        return ["", ""]

    rows = (
        [
            project.name,
            project.public_id,
            *parent(project),
            project.account.name,
            timestamp(project.created_at),
        ]
        for project in _rows(request, q)(None, order).iterator(chunk_size=2000)
    )
    return csv_response("projects", CSV_HEADER, rows)


@require_GET
def projects_menu(request):
    """Search behind the Projects menu.

    With `partial=1` (the menu's script) it answers only the rows; otherwise a whole page
    with the same rows, so the search field works without JavaScript.
    """
    menu = build_menu(request.user, request.GET.get("q", ""))
    if request.GET.get("partial"):
        return render(request, "projects/includes/menu_rows.html", {"menu": menu})
    return render(request, "projects/menu_page.html", {"menu": menu})
