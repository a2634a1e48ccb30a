"""Dashboard views: thin functions, one per page or action.

Each one reaches its project through projects.access (404 for outsiders, 403 for
viewers on writes) and changes data only through projects.services, acting as
`Actor.for_user(request)`; a service's refusal is shown with forms.add_service_error.
"""

from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property

from accounts.models import User
from projects.models import Project

PER_PAGE = 50
# Lists count their rows this many pages past the one shown, no further (see paginate).
COUNT_AHEAD = 100


def remember_current(request, project: Project) -> None:
    """Visiting a project makes it the user's current one (saved only when it changes)."""
    user = request.user
    if user.current_project_id != project.pk:
        User.objects.filter(pk=user.pk).update(current_project=project)
        user.current_project_id = project.pk


class BoundedPaginator(Paginator):
    """A paginator that counts at most `horizon` rows, so that a page of a list of
    100,000 costs what a page of a list of 100 does (an exact count reads every row).
    Past the horizon `more` is True and the page says "Page 1 of more than 200"."""

    def __init__(self, object_list, per_page, *, horizon: int):
        super().__init__(object_list, per_page)
        self.horizon = horizon
        self.more = False

    @cached_property
    def count(self):
        # Unordered: the order does not change a count (and a sliced, ordered UNION
        # cannot be counted by Django).
        counted = self.object_list.order_by()[: self.horizon + 1].count()
        self.more = counted > self.horizon
        return min(counted, self.horizon)


def paginate(request, queryset, per_page: int = PER_PAGE) -> Page:
    """The page of `queryset` that ?page= asks for (the first if it is not a number,
    the last if it is past the end), counted at least COUNT_AHEAD pages past it."""
    try:
        number = max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        number = 1
    horizon_pages = (number // COUNT_AHEAD + 2) * COUNT_AHEAD  # a round number of pages
    paginator = BoundedPaginator(queryset, per_page, horizon=horizon_pages * per_page)
    return paginator.get_page(request.GET.get("page"))
