"""The usage endpoints of the API (routes in projects/api/urls.py, like every route).

- POST /api/internal/v1/usage:batchRecord: the platform's services report usage,
  authenticated by platform tokens only (usage.platform_auth), never customer keys.
- GET /api/v1/projects/{projectId}/usage: customers read it with their access keys, in
  the scope rule of every customer endpoint (projects.api.auth.Principal): a parent's
  key reads the parent and its subprojects, a subproject's key only itself. Like the
  other list endpoints under /v1/projects/{projectId}/, an unknown or out-of-scope
  project answers 403 PERMISSION_DENIED.
"""

import re
from datetime import date

from django.db.models import Sum
from django.utils import timezone

from core.api.bodies import read_json
from core.api.errors import invalid_argument, permission_denied
from core.api.pagination import keyset_page
from core.api.views import json_response
from usage import services
from usage.ingest import MAX_BATCH
from usage.metrics import METRICS
from usage.models import DailyUsage
from usage.periods import Period, month_end, month_of
from usage.queries import Scope, family_totals

GROUP_BY = ("subproject", "day")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def batch_record(request):
    body = read_json(request)
    if unknown := sorted(set(body) - {"records"}):
        raise invalid_argument(f'{unknown[0]}: unknown field; the body is {{"records": [...]}}.')
    records = body.get("records")
    if not isinstance(records, list) or not 1 <= len(records) <= MAX_BATCH:
        count = f" (this one has {len(records):,})" if isinstance(records, list) else ""
        raise invalid_argument(
            f"records: must be a list of 1 to {MAX_BATCH:,} usage records{count}; send more "
            "in several batches."
        )
    recorded = services.usage_record(records=records, actor=request.actor)
    return json_response({"accepted": recorded.accepted, "duplicates": recorded.duplicates})


def _date(request, name: str, default: date) -> date:
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return default
    try:
        if not _DATE.fullmatch(raw):
            raise ValueError
        return date.fromisoformat(raw)
    except ValueError:
        raise invalid_argument(f"{name}: must be a date as YYYY-MM-DD, e.g. 2026-11-01.") from None


def _period(request) -> Period:
    """startDate defaults to the first day of this month (UTC), endDate to the last day
    of startDate's month."""
    start = _date(request, "startDate", month_of(timezone.now()))
    end = _date(request, "endDate", month_end(start))
    return Period.checked(start, end, fields=("startDate", "endDate"))


def list_usage(request, project_id):
    project = request.principal.get_project(
        project_id,
        include_removed=True,  # a removed subproject's usage stays readable by its parent
        or_else=permission_denied(
            "The project does not exist or your access key cannot read its usage."
        ),
    )
    period = _period(request)
    group_by = request.GET.get("groupBy", "subproject")
    if group_by not in GROUP_BY:
        raise invalid_argument(f"groupBy: must be one of {', '.join(GROUP_BY)}.")
    rows = DailyUsage.objects.filter(
        Scope.of(project).rows(), day__range=(period.start, period.end)
    )
    context = f"usage:{project.public_id}:{period.start}:{period.end}:{group_by}"
    if group_by == "day":
        page, next_token = keyset_page(
            request, rows, context=context, order=("project_public_id", "metric", "day")
        )
        items = [
            _item(row.project_public_id, row.metric, row.quantity, date=row.day.isoformat())
            for row in page
        ]
    else:
        totals = rows.values("project_public_id", "metric").annotate(total=Sum("quantity"))
        page, next_token = keyset_page(
            request, totals, context=context, order=("project_public_id", "metric")
        )
        items = [_item(row["project_public_id"], row["metric"], row["total"]) for row in page]
    # The scope's total per metric (a family: the parent's own and every subproject's),
    # the same on every page, so that clients need not add the rows up.
    family = family_totals(Scope.of(project), period)
    return json_response(
        {
            "usage": items,
            "totals": [_item(project.public_id, m, family[m]) for m in sorted(family)],
            "nextPageToken": next_token,
        }
    )


def _item(project_id: str, metric: str, quantity: int, **extra) -> dict:
    unit = METRICS[metric].unit if metric in METRICS else ""
    return {"projectId": project_id, "metric": metric, "unit": unit, "quantity": quantity, **extra}
