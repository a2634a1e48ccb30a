"""The spend-limit flag of project rows in lists (the Projects menu and page, the
Subprojects page, the details page), loaded in the lists' own query: no query per row.

`with_limit_flag(queryset)` adds `limit_flag`: "" when the project is within its limit
(or has none), else the limit's mode ("notify" or "block") when its usage reached
100 % this month; `badge(project)` shows it. Both reach the projects' pages as a
projects.contributions.RowFlag (billing.apps).
"""

from django.db.models import Case, CharField, F, Value, When
from django.utils.safestring import mark_safe

from .models import SpendLimit
from .statements import current_month


def with_limit_flag(queryset, *, now=None):
    exceeded = SpendLimit.exceeded(current_month(now), of="spend_limit__")
    return queryset.annotate(
        limit_flag=Case(
            When(exceeded, then=F("spend_limit__mode")),
            default=Value(""),
            output_field=CharField(),
        )
    )


_OVER_LIMIT = {
    "notify": mark_safe(  # constants
        '<span class="badge badge-suspended" title="It used its whole monthly spend limit">'
        "Over spend limit</span>"
    ),
    "block": mark_safe(
        '<span class="badge badge-suspended" title="It used its whole monthly spend limit: '
        'sending is blocked until the month ends">Blocked: spend limit</span>'
    ),
}


def badge(project) -> str:
    """ "Over spend limit" (or "Blocked: spend limit") for a subproject that reached its
    monthly limit: reads `limit_flag` (nothing for rows loaded without it)."""
    return _OVER_LIMIT.get(getattr(project, "limit_flag", "") or "", "")
