"""Billing's API endpoints (routes in projects/api/urls.py, like every route).

For customers' access keys (a parent's key only: a subproject's key, often in its
customer's hands, never sees prices or siblings and gets the answer an unknown ID gets):
- GET /api/v1/projects/{projectId}/statements: the months, newest first (the open
  months, estimates, lead the first page; then closed statements, keyset-paginated);
- GET /api/v1/projects/{projectId}/statements/{YYYY-MM}: one month with its lines;
A subproject's bill (its part of its parent's statements, the same lines), for the
parent's key, or the subproject's own if its ASP shows customers their bill (the
dashboard's rule, projects.customers; else the answer an unknown ID gets):
- GET /api/v1/subprojects/{subprojectId}/statements, and .../statements/{YYYY-MM};
- GET, PUT, DELETE /api/v1/subprojects/{subprojectId}/spendLimit.
For the platform's services (platform tokens):
- GET /api/internal/v1/projects/{projectId}/limits: may this project send now?

Amounts are decimal strings with the currency's decimals ("12.34"), never numbers.
"""

import re
from datetime import date

from billing import limits, money, services, statements
from billing.models import SpendLimit, Statement
from core.api.bodies import parse_body
from core.api.errors import invalid_argument, not_found, permission_denied
from core.api.pagination import keyset_page
from core.api.views import json_response
from core.ids import looks_like_public_id
from projects.customers import BILL, may_see
from projects.models import Project

from .bodies import PutSpendLimitRequest

_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")


def _parent(request, project_id: str, or_else):
    """The top-level project of the caller's own key, else `or_else` (the unknown ID's
    answer): a subproject's key, and a subproject's ID, get it too."""
    project = request.principal.get_project(project_id, or_else=or_else)
    request.principal.require_parent_key(or_else)
    if project.is_subproject:
        raise or_else
    return project


def _summary(month: date, status: str, currency: str, total) -> dict:
    return {
        "month": f"{month:%Y-%m}",
        "status": status,
        "currency": currency,
        "total": money.text(total, currency),
    }


def list_statements(request, project_id):
    parent = _parent(
        request,
        project_id,
        permission_denied(
            "The project does not exist or your access key cannot read its statements "
            "(a top-level project's own key can)."
        ),
    )
    page, next_token = keyset_page(
        request,
        Statement.objects.filter(project=parent).only("month", "currency", "total"),
        context=f"statements:{parent.public_id}",
        order=("-month",),
    )
    items = [_summary(s.month, statements.CLOSED, s.currency, s.total) for s in page]
    if not request.GET.get("pageToken"):  # the open months lead the first page
        items = [
            _summary(s.month, s.status, s.currency, s.total)
            for s in statements.open_summaries(parent)
        ] + items
    return json_response({"statements": items, "nextPageToken": next_token})


# Nothing was billed before 2000: such a month is before every account, so it is
# answered like any month before the account (404) without reading anything (a month's
# bill reads the months before it, which year 1 does not have: OverflowError).
FIRST_YEAR = 2000


def _month(text: str) -> date:
    try:
        if not _MONTH.fullmatch(text):
            raise ValueError
        return date(int(text[:4]), int(text[5:]), 1)
    except ValueError:
        raise invalid_argument(f"month: must be YYYY-MM, e.g. 2026-11, not {text!r}.") from None


def _statement_of(parent, month: str):
    """The month's statement (statements.statement_of); one rule for the months around
    it: before the account's month (any before 2000 included) or after this one, 404."""
    wanted = _month(month)
    statement = None
    if wanted.year >= FIRST_YEAR:
        statement = statements.statement_of(parent, wanted)
    if statement is None:
        raise not_found(
            f"{wanted:%Y-%m} has no statement: statements run from the month the account "
            f"was created in, {statements.first_month(parent):%Y-%m}, to this month."
        )
    return statement


def _statement_body(statement) -> dict:
    body = _summary(statement.month, statement.status, statement.currency, statement.total)
    body["lines"] = [
        {
            "projectId": line.project_public_id,
            "metric": line.metric,
            "quantity": line.quantity,
            "unitPrice": f"{line.unit_price.normalize():f}",
            "amount": money.text(line.amount, statement.currency),
            "usageMonth": f"{line.usage_month:%Y-%m}",
        }
        for line in statement.lines
    ]
    return body


def get_statement(request, project_id, month):
    parent = _parent(
        request, project_id, not_found(f"No project with a statement has the ID {project_id!r}.")
    )
    return json_response(_statement_body(_statement_of(parent, month)))


# --- A subproject's bill ---------------------------------------------------------------


def _billed_subproject(request, subproject_id: str, or_else) -> Project:
    """A subproject the caller's key reaches (its parent's key, or its own if the ASP
    shows customers their bill; removed ones too: a customer who left is still
    billed), else `or_else`."""
    project = request.principal.get_project(subproject_id, or_else=or_else, include_removed=True)
    if not project.is_subproject:
        raise or_else
    if not may_see(project, BILL, customer=request.principal.key.is_subproject_key):
        raise or_else
    return project


def list_subproject_statements(request, subproject_id):
    subproject = _billed_subproject(
        request,
        subproject_id,
        permission_denied(
            "The subproject does not exist or your access key cannot read its statements."
        ),
    )
    parent, public_id = subproject.parent, subproject.public_id
    page, next_token = keyset_page(
        request,
        statements.closed_parts(parent, public_id).only("month", "currency"),
        context=f"subproject-statements:{public_id}",
        order=("-month",),
    )
    items = [_summary(s.month, statements.CLOSED, s.currency, s.part or 0) for s in page]
    if not request.GET.get("pageToken"):  # the open months lead the first page
        items = [
            _summary(s.month, s.status, s.currency, s.total)
            for s in statements.open_part_summaries(parent, public_id)
        ] + items
    return json_response(
        {"subprojectId": public_id, "parentProjectId": parent.public_id, "statements": items}
        | {"nextPageToken": next_token}
    )


def get_subproject_statement(request, subproject_id, month):
    subproject = _billed_subproject(
        request, subproject_id, not_found(f"No subproject has the ID {subproject_id!r}.")
    )
    statement = statements.part_of(_statement_of(subproject.parent, month), subproject.public_id)
    body = {"subprojectId": subproject.public_id, "parentProjectId": subproject.parent.public_id}
    return json_response(body | _statement_body(statement))


# --- Spend limits ----------------------------------------------------------------------


def _subproject(request, subproject_id: str) -> Project:
    """A subproject the caller reaches with its parent's key; else 404 as an unknown ID."""
    unknown = not_found(f"No subproject has the ID {subproject_id!r}.")
    project = request.principal.get_project(subproject_id, or_else=unknown)
    request.principal.require_parent_key(unknown)
    if not project.is_subproject:
        raise unknown
    return project


def _state(limit: SpendLimit) -> dict:
    """How much of it is used this month (its state is from an earlier month until
    usage of this one arrives)."""
    month = statements.current_month()
    return {
        "mode": limit.mode.upper(),
        "percentUsed": f"{limit.percent_used_in(month):.1f}",
        "exceeded": limit.is_exceeded_in(month),
    }


def _limit_body(project: Project, limit: SpendLimit) -> dict:
    month = statements.current_month()
    return {
        "subprojectId": project.public_id,
        "amount": money.text(limit.amount, limit.currency) if limit.amount is not None else None,
        "currency": limit.currency or None,
        "quantities": limit.quantities,
        "month": f"{month:%Y-%m}",
        **_state(limit),
        "sendingAllowed": not limit.blocks_sending_in(month),
    }


def get_spend_limit(request, subproject_id):
    project = _subproject(request, subproject_id)
    limit = SpendLimit.objects.filter(project=project).first()
    if limit is None:
        raise not_found(f"The subproject {project.public_id} has no spend limit.")
    return json_response(_limit_body(project, limit))


def put_spend_limit(request, subproject_id):
    body = parse_body(request, PutSpendLimitRequest)
    project = _subproject(request, subproject_id)
    limit = services.spend_limit_set(
        project=project,
        amount=body.amount,
        quantities=body.quantities,
        mode=body.mode.lower(),
        actor=request.actor,
    )
    return json_response(_limit_body(project, limit))


def delete_spend_limit(request, subproject_id):
    project = _subproject(request, subproject_id)
    services.spend_limit_remove(project=project, actor=request.actor)
    return json_response({})


# --- Internal: may a project send? ----------------------------------------------------


def get_limits(request, project_id):
    """Two queries in all: the platform token, then the project with its parent and its
    spend limit."""
    project = None
    if looks_like_public_id(project_id):
        project = (
            Project.objects.select_related("parent", "spend_limit")
            .filter(public_id=project_id)
            .first()
        )
    if project is None:
        raise not_found(f"No project has the ID {project_id!r}.")
    sending = limits.sending(project)
    try:
        limit = project.spend_limit
    except SpendLimit.DoesNotExist:
        limit = None
    return json_response(
        {
            "projectId": project.public_id,
            "sendingAllowed": sending.allowed,
            "reason": sending.reason,
            "message": sending.message,
            "spendLimit": None if limit is None else _state(limit),
        }
    )
