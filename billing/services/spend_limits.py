"""A subproject's spend limit: set (amount or quantities; notify or block) and removed,
audited."""

from django.db import IntegrityError, transaction

from audit import trail
from billing import limits, money, prices
from billing.models import (
    LimitMode,
    SpendLimit,
)
from core.actors import SYSTEM, Actor
from core.errors import InvalidValue, WrongState
from projects.models import Project
from usage.metrics import CODES

MAX_LIMIT_QUANTITY = 10**15


def _limit_fields(limit: SpendLimit | None) -> dict:
    if limit is None:
        return {}
    return {
        "amount": money.text(limit.amount, limit.currency) if limit.amount is not None else None,
        "currency": limit.currency or None,
        "quantities": limit.quantities or None,
        # As the API spells it (BLOCK, NOTIFY), so that the trail an API client reads
        # through /auditEvents is in its own words (entries before this say block).
        "mode": limit.mode.upper(),
    }


def _clean_quantities(quantities: dict) -> dict[str, int]:
    cleaned = {}
    for metric, value in quantities.items():
        if metric not in CODES:
            raise InvalidValue(
                f"“{metric}” is not a metric; the metrics are {', '.join(CODES)}.",
                field="quantities",
            )
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, str) and value.strip().isdigit():
                value = int(value.strip())
            else:
                raise InvalidValue(f"{metric}: must be a whole number.", field="quantities")
        if not 1 <= value <= MAX_LIMIT_QUANTITY:
            raise InvalidValue(
                f"{metric}: must be from 1 to {MAX_LIMIT_QUANTITY:,}.", field="quantities"
            )
        cleaned[metric] = value
    return cleaned


def _check_subproject(project: Project) -> None:
    if project.parent_id is None:
        raise WrongState(
            "Spend limits are set on subprojects: a top-level project pays its own bill."
        )
    if project.removed_at is not None:
        raise WrongState("The subproject has been removed: restore it to set its spend limit.")


def spend_limit_set(
    *,
    project: Project,
    mode: str,
    amount=None,
    quantities: dict | None = None,
    actor: Actor = SYSTEM,
    now=None,
) -> SpendLimit:
    """Set (or replace) a subproject's monthly spend limit: an `amount` in its account's
    currency, or `quantities` {metric: whole number}; `mode` notify or block. It is
    evaluated at once, in the same transaction (a limit set below this month's usage
    fires its alerts and, in block mode, blocks sending)."""
    _check_subproject(project)
    if mode not in LimitMode.values:
        raise InvalidValue(f"must be one of {', '.join(LimitMode.values)}.", field="mode")
    if (amount in (None, "")) == (not quantities):
        raise InvalidValue(
            "Set either an amount or quantities per metric, not both and not neither.",
            field="amount",
        )
    currency = ""
    if amount not in (None, ""):
        currency = prices.sheet_for(project.account_id).currency
        amount = money.clean_amount(amount, currency)
        quantities = {}
    else:
        amount = None
        quantities = _clean_quantities(quantities)
    with transaction.atomic():
        stored = _locked_limit(project)
        before = _limit_fields(stored)
        if stored is None:
            stored = SpendLimit(project=project)
        stored.amount, stored.currency, stored.quantities, stored.mode = (
            amount,
            currency,
            quantities,
            mode,
        )
        if before:
            stored.save(update_fields=["amount", "currency", "quantities", "mode", "updated_at"])
        else:
            try:
                with transaction.atomic():
                    stored.save(force_insert=True)
            except IntegrityError:  # a concurrent first set: change that one instead
                return spend_limit_set(
                    project=project,
                    mode=mode,
                    amount=amount,
                    quantities=quantities,
                    actor=actor,
                    now=now,
                )
        stored.project = project
        after = _limit_fields(stored)
        if changes := trail.diff(before, after, keep={"currency": ("amount",)}):
            trail.record(actor, "spend_limit.set", project=project, changes=changes)
        limits.evaluate_locked([stored], now=now)
    return stored


def _locked_limit(project: Project) -> SpendLimit | None:
    return SpendLimit.objects.select_for_update().filter(project=project).first()


@transaction.atomic
def spend_limit_remove(*, project: Project, actor: Actor = SYSTEM) -> bool:
    """Remove a subproject's limit (sending is no longer limited); False if none."""
    stored = _locked_limit(project)
    if stored is None:
        return False
    changes = trail.deleted(_limit_fields(stored))
    SpendLimit.objects.filter(pk=stored.pk).delete()
    trail.record(actor, "spend_limit.remove", project=project, changes=changes)
    return True
