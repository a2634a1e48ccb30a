"""close_billing_period YYYY-MM [--dry-run]: freezes every parent's statement of a past
month; a closed month never changes afterwards."""

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from audit.models import AuditEvent
from billing import services, statements
from billing.models import BillingPeriod, Frozen, Statement, StatementLine
from projects import services as project_services
from tests.billing.conftest import BEFORE, LAST, THIS, add_usage
from tests.factories import ProjectFactory


def close(*args):
    out = StringIO()
    call_command("close_billing_period", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def billed(project, subproject):
    """A parent whose own usage, one subproject and one removed subproject used LAST."""
    gone = ProjectFactory(parent=project, name="Burrito Barn", removed=True)
    add_usage(project, 100, month=LAST)
    add_usage(subproject, 1000, month=LAST)
    add_usage(subproject, 30, month=LAST, metric="voice.minutes")
    add_usage(gone, 10, month=LAST)
    add_usage(subproject, 999, month=THIS)  # not in LAST's statement
    return project, subproject, gone


def snapshot(parent, month):
    found = statements.stored(parent, month)
    return found.total, [
        (line.project_public_id, line.project_name, line.metric, line.quantity, line.unit_price,
         line.amount, line.usage_month)
        for line in found.lines
    ]  # fmt: skip


def test_closing_stores_the_estimate_with_snapshots(billed):
    parent, taco, gone = billed
    estimate = statements.estimates(parent, [LAST])[LAST]
    output = close(f"{LAST:%Y-%m}")

    assert f"Stored 1 statement(s) for {LAST:%Y-%m} (50.31 EUR)" in output
    statement = Statement.objects.get(project=parent, month=LAST)
    assert statement.total == estimate.total == Decimal("50.31")
    assert (statement.project_public_id, statement.project_name) == (parent.public_id, parent.name)
    lines = list(StatementLine.objects.filter(statement=statement).order_by("id"))
    assert [
        (line.project_public_id, line.metric, line.quantity, line.amount) for line in lines
    ] == [
        (parent.public_id, "sms.outbound", 100, Decimal("4.50")),
        (gone.public_id, "sms.outbound", 10, Decimal("0.45")),
        (taco.public_id, "sms.outbound", 1000, Decimal("45.00")),
        (taco.public_id, "voice.minutes", 30, Decimal("0.36")),
    ]
    assert sum(line.amount for line in lines) == statement.total
    assert BillingPeriod.objects.get(month=LAST).statements == 1
    assert statements.statement_of(parent, LAST).status == statements.CLOSED


def test_closing_is_audited_as_the_command(billed):
    parent, *_ = billed
    close(f"{LAST:%Y-%m}")
    event = AuditEvent.objects.get(action="statement.close")
    assert (event.actor_type, event.actor_id, event.source) == (
        "command",
        "close_billing_period",
        "command",
    )
    assert event.project_id == parent.public_id
    assert event.changes["total"] == {"before": None, "after": "50.31"}
    assert event.changes["month"]["after"] == f"{LAST:%Y-%m}"


def test_a_dry_run_stores_nothing(billed):
    output = close(f"{LAST:%Y-%m}", "--dry-run")
    assert "Would store 1 statement(s)" in output and "50.31" in output
    assert not Statement.objects.exists() and not BillingPeriod.objects.exists()
    assert not AuditEvent.objects.filter(action="statement.close").exists()


def test_closing_twice_changes_nothing(billed):
    parent, taco, _ = billed
    close(f"{LAST:%Y-%m}")
    before = snapshot(parent, LAST)
    add_usage(taco, 5, month=LAST)  # late usage, after the close
    output = close(f"{LAST:%Y-%m}")
    assert "was already closed" in output and "nothing changed" in output
    assert snapshot(parent, LAST) == before
    assert (
        Statement.objects.count() == 1
        and AuditEvent.objects.filter(action="statement.close").count() == 1
    )


def test_a_close_that_stopped_half_way_goes_on(billed, account):
    _parent, *_ = billed
    other = ProjectFactory(account=account, name="Second parent")
    add_usage(other, 7, month=LAST)
    services.billing_period_close(month=LAST)
    # As if it had crashed after the first parent: forget the month's BillingPeriod.
    BillingPeriod.objects.all().delete()
    output = close(f"{LAST:%Y-%m}")
    assert "Stored 0 statement(s)" in output and "2 already stored" in output
    assert Statement.objects.filter(month=LAST).count() == 2
    # The month counts every statement stored, not only this run's.
    assert BillingPeriod.objects.get(month=LAST).statements == 2


@pytest.mark.parametrize("month", [THIS, THIS.replace(year=THIS.year + 1)])
def test_the_current_and_future_months_are_refused(billed, month):
    with pytest.raises(CommandError, match="not over yet"):
        close(f"{month:%Y-%m}")
    assert not Statement.objects.exists()


@pytest.mark.parametrize("text", ["2026-13", "26-10", "2026/10", "last month", "2026-1"])
def test_a_malformed_month_is_refused(text):
    with pytest.raises(CommandError, match="YYYY-MM"):
        close(text)


def test_a_closed_month_never_changes(billed, settings):
    parent, taco, _gone = billed
    close(f"{LAST:%Y-%m}")
    before = snapshot(parent, LAST)
    taco_name = taco.name

    # A price change, a rename, a removal and a purge, and late usage.
    services.prices_set(account=parent.account, prices_given={"sms.outbound": "9"})
    project_services.project_update(project=taco, name="Taco Time West")
    project_services.project_update(project=parent, name="Renamed parent")
    project_services.subproject_remove(subproject=taco)
    project_services.purge_removed_subprojects(
        now=timezone.now() + timedelta(days=settings.SUBPROJECT_RESTORE_DAYS + 1)
    )
    add_usage(taco, 5, month=LAST)

    assert snapshot(parent, LAST) == before
    assert statements.stored(parent, LAST).lines[2].project_name == taco_name
    # The late usage is billed in the next open month, marked as such, at today's price.
    this = statements.statement_of(parent, THIS)
    late = [line for line in this.lines if line.usage_month == LAST]
    assert [(line.project_public_id, line.quantity, line.amount) for line in late] == [
        (taco.public_id, 5, Decimal("45.00"))
    ]
    assert this.late_months == [LAST]


def test_late_usage_is_billed_once_across_statements(project, subproject):
    add_usage(subproject, 10, month=BEFORE)
    services.billing_period_close(month=BEFORE)
    add_usage(subproject, 4, month=BEFORE)  # late for BEFORE, LAST still open
    add_usage(subproject, 1, month=LAST)
    services.billing_period_close(month=LAST)
    lines = statements.stored(project, LAST).lines
    assert {(line.usage_month, line.quantity) for line in lines} == {(BEFORE, 4), (LAST, 1)}
    assert not statements.statement_of(project, THIS).lines  # nothing billed twice


def test_statements_refuse_to_change_or_be_deleted(billed):
    _parent, *_ = billed
    close(f"{LAST:%Y-%m}")
    statement = Statement.objects.get()
    statement.total = Decimal(0)
    with pytest.raises(Frozen):
        statement.save()
    with pytest.raises(Frozen):
        statement.delete()
    with pytest.raises(Frozen):
        StatementLine.objects.update(amount=0)
    with pytest.raises(Frozen):
        StatementLine.objects.all().delete()
