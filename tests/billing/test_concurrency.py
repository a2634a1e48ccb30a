"""Billing's writes racing on PostgreSQL: two closes make one statement each, alerts fire
once, a first limit and a first price list are made once."""

import pytest
from django.core import mail
from django.db import connection

from accounts.models import Role
from audit.models import AuditEvent
from billing import limits, services
from billing.models import (
    BillingPeriod,
    PriceList,
    SpendAlert,
    SpendLimit,
    Statement,
    StatementLine,
)
from tests.billing.conftest import LAST, THIS, add_usage
from tests.factories import AccountFactory, MembershipFactory, ProjectFactory
from tests.support.concurrency import at_once, run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent writers: run with DATABASE_URL=postgres://... (CI does)",
    ),
]


def _family(subprojects=20):
    account = AccountFactory()
    parent = ProjectFactory(account=account)
    children = [ProjectFactory(parent=parent) for _ in range(subprojects)]
    for child in children:
        add_usage(child, 10, month=LAST)
        add_usage(child, 1, month=THIS)
    return account, parent, children


def test_two_closes_at_once_make_one_statement():
    _, parent, children = _family()
    other = ProjectFactory()
    add_usage(other, 5, month=LAST)
    results = at_once([lambda: services.billing_period_close(month=LAST)] * 2)
    assert sorted(len(r.statements) for r in results) in ([0, 2], [1, 1])
    assert Statement.objects.filter(month=LAST).count() == 2
    assert StatementLine.objects.filter(statement__project=parent).count() == len(children)
    assert BillingPeriod.objects.filter(month=LAST).count() == 1
    assert AuditEvent.objects.filter(action="statement.close").count() == 2


def test_evaluations_at_once_fire_each_alert_once():
    account, _parent, children = _family(1)
    MembershipFactory(account=account, role=Role.ADMIN)
    child = children[0]
    services.spend_limit_set(project=child, quantities={"sms.outbound": 1}, mode="block")
    mail.outbox.clear()
    SpendAlert.objects.all().delete()
    run_together(6, lambda i: limits.evaluate_projects([child.public_id]))
    assert sorted(SpendAlert.objects.values_list("threshold", flat=True)) == [50, 80, 100]
    assert len(mail.outbox) == 3  # one admin, one message per threshold


def test_a_first_limit_set_twice_at_once_is_one_limit():
    _, _, (child,) = _family(1)
    run_together(
        4, lambda i: services.spend_limit_set(project=child, amount=f"{i + 1}", mode="notify")
    )
    assert SpendLimit.objects.filter(project=child).count() == 1


def test_a_first_price_list_made_twice_at_once_is_one_list():
    account = AccountFactory()
    run_together(
        4,
        lambda i: services.prices_set(
            account=account, prices_given={"sms.outbound": f"0.0{i + 1}"}
        ),
    )
    assert PriceList.objects.filter(account=account).count() == 1
    assert PriceList.objects.get(account=account).prices.count() == 5
