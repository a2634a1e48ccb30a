from django.shortcuts import render
from django.views.decorators.http import require_GET

from projects.menu import build_menu, menu_projects

from .common import paginate


@require_GET
def project_list(request):
    """The projects page: everything the Projects menu lists, searchable, 50 a page."""
    q = request.GET.get("q", "").strip()
    projects = menu_projects(request.user, q, related=("parent", "account"))
    page = paginate(request, projects)
    return render(request, "projects/project_list.html", {"page": page, "q": q})


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
