"""Estimates: a line per project and metric, usage x price rounded once per line, the
total the sum of the lines; late usage of closed months in the next open month."""

from decimal import Decimal

import pytest

from billing import services, statements
from billing.models import BillingPeriod
from tests.billing.conftest import BEFORE, LAST, THIS, add_usage
from tests.factories import ProjectFactory
from usage.metrics import CODES
from usage.models import MonthlyUsage


@pytest.fixture
def family(project, subproject):
    other = ProjectFactory(parent=project, name="Burrito Barn")
    return project, subproject, other


def test_lines_are_usage_times_price_and_the_total_is_their_sum(family):
    parent, taco, burrito = family
    services.prices_set(
        account=parent.account,
        prices_given={"sms.outbound": "0.005", "voice.minutes": "0.045"},
    )
    add_usage(parent, 1, month=THIS)
    add_usage(taco, 1, month=THIS)
    add_usage(taco, 3, month=THIS, metric="voice.minutes")
    add_usage(burrito, 1, month=THIS, day=2)
    add_usage(burrito, 1, month=THIS, day=3)

    statement = statements.estimates(parent, [THIS])[THIS]

    assert statement.status == statements.ESTIMATE and statement.currency == "EUR"
    found = {(line.project_public_id, line.metric): line for line in statement.lines}
    usage = {
        (row.project_public_id, row.metric): row.quantity
        for row in MonthlyUsage.objects.filter(family_public_id=parent.public_id, month=THIS)
    }
    assert {key: line.quantity for key, line in found.items()} == usage
    for line in statement.lines:
        exact = line.quantity * line.unit_price
        assert line.amount == exact.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    assert found[(taco.public_id, "voice.minutes")].amount == Decimal("0.14")  # 0.135
    # Each 0.005 line is rounded on its own (0.01 each), then added: not 0.015 -> 0.02.
    assert found[(burrito.public_id, "sms.outbound")].amount == Decimal("0.01")  # 2 x 0.005
    assert statement.total == sum(line.amount for line in statement.lines) == Decimal("0.17")
    assert statement.total_text == "0.17"


def test_the_parent_comes_first_then_subprojects_by_name(family):
    parent, taco, burrito = family
    for project in (taco, burrito, parent):
        add_usage(project, 5, month=THIS)
    lines = statements.estimates(parent, [THIS])[THIS].lines
    assert [line.project_name for line in lines] == [parent.name, "Burrito Barn", "Taco Time"]


def test_removed_and_purged_subprojects_are_billed(family, settings):
    parent, taco, burrito = family
    add_usage(taco, 5, month=THIS)
    add_usage(burrito, 7, month=THIS)
    from projects import services as project_services

    project_services.subproject_remove(subproject=taco)
    lines = statements.estimates(parent, [THIS])[THIS].lines
    assert {(line.project_name, line.state, line.quantity) for line in lines} == {
        ("Taco Time", "removed", 5),
        ("Burrito Barn", "active", 7),
    }


def test_an_account_in_yen_has_whole_amounts(family):
    parent, taco, _ = family
    services.prices_set(
        account=parent.account,
        currency="JPY",
        prices_given={code: "1.5" for code in CODES},
    )
    add_usage(taco, 7, month=THIS)
    statement = statements.estimates(parent, [THIS])[THIS]
    assert statement.currency == "JPY" and statement.total == Decimal("11")
    assert statement.total_text == "11"


def test_late_usage_of_a_closed_month_goes_to_the_next_open_month(family):
    parent, taco, _ = family
    add_usage(taco, 10, month=LAST)
    BillingPeriod.objects.create(month=BEFORE, closed_at=parent.created_at, closed_by="test")
    add_usage(taco, 4, month=BEFORE)  # arrived after BEFORE was closed with nothing

    # LAST is open: BEFORE's late usage is billed there, not in THIS.
    found = statements.estimates(parent, [LAST, THIS])
    late = [line for line in found[LAST].lines if line.usage_month == BEFORE]
    assert [(line.quantity, line.project_public_id) for line in late] == [(4, taco.public_id)]
    assert found[LAST].late_months == [BEFORE]
    assert not found[THIS].lines

    services.billing_period_close(month=LAST)
    # Both closed: nothing left to bill; more late usage of either goes to THIS.
    assert not statements.estimates(parent, [THIS])[THIS].lines
    add_usage(taco, 2, month=BEFORE)
    add_usage(taco, 3, month=LAST)
    lines = statements.estimates(parent, [THIS])[THIS].lines
    assert {(line.usage_month, line.quantity) for line in lines} == {(BEFORE, 2), (LAST, 3)}


def test_months_of_the_billing_page(family):
    parent, taco, _ = family
    add_usage(taco, 10, month=BEFORE)
    add_usage(taco, 20, month=LAST)
    services.billing_period_close(month=BEFORE)
    found = statements.summaries(parent)
    assert [(s.month, s.status) for s in found] == [
        (THIS, "ESTIMATE"),
        (LAST, "ESTIMATE"),
        (BEFORE, "CLOSED"),
    ]
    assert found[0].total == 0
    assert found[1].total_text == "0.90"  # 20 x 0.045
    assert found[2].total_text == "0.45"
