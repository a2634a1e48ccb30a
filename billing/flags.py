"""The spend-limit flag of project rows in lists (the Projects menu and page, the
Subprojects page), loaded in the lists' own query: no query per row.

`with_limit_flag(queryset)` adds `limit_flag`: "" when the project is within its limit
(or has none), else the limit's mode ("notify" or "block") when its usage reached
100 % this month. projects/templatetags/project_rows.py's `spend_limit_badge` shows it.
"""

from django.db.models import Case, CharField, F, Value, When

from .statements import current_month


def with_limit_flag(queryset, *, now=None):
    return queryset.annotate(
        limit_flag=Case(
            When(spend_limit__exceeded_in=current_month(now), then=F("spend_limit__mode")),
            default=Value(""),
            output_field=CharField(),
        )
    )


def limit_flag(project, *, now=None) -> str:
    """The same flag for one project (its details panel): one query."""
    return (
        with_limit_flag(type(project).objects.filter(pk=project.pk), now=now)
        .values_list("limit_flag", flat=True)
        .first()
        or ""
    )
