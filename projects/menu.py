"""The Projects menu in the top bar: which rows it shows and how search finds them.

The menu is on every page, so it must cost one query whatever the number of projects:
it shows at most MENU_LIMIT rows and links to the projects page for the rest.
"""

from dataclasses import dataclass, field

from django.db.models import BooleanField, Case, Q, Value, When
from django.db.models.functions import Lower
from django.utils.functional import SimpleLazyObject

from core import ids

from .models import Project

MENU_LIMIT = 20
# The start of a Project ID: four characters or more.
_PARTIAL_ID_RE = ids.prefix_pattern(4)


def name_or_id_matches(q: str) -> Q:
    """Search by name (any part) or by Project ID (from its start, any letter case)."""
    matches = Q(name__icontains=q)
    candidate_id = q.upper()
    if _PARTIAL_ID_RE.match(candidate_id):
        matches |= Q(public_id__startswith=candidate_id)
    return matches


def menu_projects(user, q: str = ""):
    """The projects a user's menu and projects page list, current project first.

    Without a search: the top-level projects the user sees, plus the subprojects they
    reach without their parent (an ASP's customer granted only theirs), plus the
    current project. With a search: any visible project or subproject whose name
    contains the text or whose Project ID starts with it (a pasted full ID finds
    exactly its project).
    """
    visible = Project.objects.visible_to(user).alive()
    q = (q or "").strip()
    if q:
        projects = visible.filter(name_or_id_matches(q))
    else:
        entry_points = Q(parent__isnull=True) | ~Q(parent_id__in=visible.values("pk"))
        if user.current_project_id:
            entry_points |= Q(pk=user.current_project_id)
        projects = visible.filter(entry_points)
    is_current = Case(
        When(pk=user.current_project_id or 0, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    return (
        projects.select_related("parent")
        .annotate(is_current=is_current)
        # Case-insensitive, so the order is the same on SQLite and PostgreSQL and "acme"
        # is not listed after "Zeta".
        .order_by("-is_current", Lower("name"), "name", "public_id")
    )


@dataclass
class Menu:
    q: str = ""
    rows: list = field(default_factory=list)
    more: bool = False

    @property
    def current(self):
        """The current project when it is among the rows (it sorts first)."""
        return next((row for row in self.rows[:1] if row.is_current), None)


def build_menu(user, q: str = "") -> Menu:
    rows = list(menu_projects(user, q)[: MENU_LIMIT + 1])
    return Menu(q=q.strip(), rows=rows[:MENU_LIMIT], more=len(rows) > MENU_LIMIT)


def projects_menu(request):
    """Context processor: the top bar's menu, queried only if a template renders it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"projects_menu": SimpleLazyObject(lambda: build_menu(user))}
