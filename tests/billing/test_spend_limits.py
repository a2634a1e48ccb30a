"""Spend limits: set and evaluated; alerts at 50/80/100 % exactly once per month each,
emailed to the account's admins after commit; a blocking limit stops sending."""

from decimal import Decimal

import pytest
from django.core import mail

from accounts.models import Role
from audit.models import AuditEvent
from billing import limits, services
from billing.models import SpendAlert, SpendLimit
from core.errors import InvalidValue, WrongState
from tests.billing.conftest import LAST, THIS, add_usage
from tests.factories import MembershipFactory, ProjectFactory
from tests.usage.conftest import ingest, record
from usage.metrics import CODES


@pytest.fixture
def admins(account):
    return [MembershipFactory(account=account, role=Role.ADMIN).user for _ in range(2)]


def fired(project):
    return sorted(
        SpendAlert.objects.filter(project=project, month=THIS).values_list("threshold", flat=True)
    )


def test_alerts_fire_once_per_threshold_and_month(
    project, subproject, admins, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.spend_limit_set(project=subproject, amount="10.00", mode="notify")
    assert fired(subproject) == [] and mail.outbox == []

    add_usage(subproject, 120, month=THIS)  # 5.40 EUR: 54 %
    with django_capture_on_commit_callbacks(execute=True):
        limits.evaluate_projects([subproject.public_id])
    assert fired(subproject) == [50]
    assert len(mail.outbox) == 2  # one message per admin
    assert {m.to[0] for m in mail.outbox} == {a.email for a in admins}
    assert "used 50% of its spend limit" in mail.outbox[0].subject
    assert f"/projects/{subproject.public_id}/spend-limit/" in mail.outbox[0].body

    for _ in range(3):  # evaluated again and again: nothing new
        with django_capture_on_commit_callbacks(execute=True):
            limits.evaluate_projects([subproject.public_id])
    assert len(mail.outbox) == 2

    add_usage(subproject, 200, month=THIS)  # 14.40 EUR: 80 % and 100 % at once
    with django_capture_on_commit_callbacks(execute=True):
        limits.evaluate_projects([subproject.public_id])
    assert fired(subproject) == [50, 80, 100]
    assert len(mail.outbox) == 6
    assert "reached its spend limit" in mail.outbox[-1].subject

    # Raised and crossed again in the same month: no alert a second time.
    with django_capture_on_commit_callbacks(execute=True):
        services.spend_limit_set(project=subproject, amount="1000.00", mode="notify")
        services.spend_limit_set(project=subproject, amount="1.00", mode="notify")
    assert len(mail.outbox) == 6


def test_last_months_alerts_do_not_count_for_this_month(project, subproject, admins):
    services.spend_limit_set(project=subproject, amount="10.00", mode="notify")
    SpendAlert.objects.create(project=subproject, month=LAST, threshold=50, percent=60)
    add_usage(subproject, 120, month=THIS)
    limits.evaluate_projects([subproject.public_id])
    assert fired(subproject) == [50]


def test_usage_ingest_evaluates_limits_after_commit(
    project, subproject, admins, django_capture_on_commit_callbacks
):
    services.spend_limit_set(project=subproject, quantities={"sms.outbound": 10}, mode="block")
    sibling = ProjectFactory(parent=project)
    with django_capture_on_commit_callbacks(execute=True):
        ingest(record(subproject, 10), record(sibling, 1000))
    limit = SpendLimit.objects.get(project=subproject)
    assert limit.exceeded_in == THIS and limit.percent == Decimal("100.0")
    assert fired(subproject) == [50, 80, 100]
    assert "sending is blocked" in mail.outbox[0].subject or any(
        "sending is blocked" in m.subject for m in mail.outbox
    )


def test_a_failing_receiver_never_fails_the_ingest(
    project, subproject, monkeypatch, django_capture_on_commit_callbacks
):
    services.spend_limit_set(project=subproject, quantities={"sms.outbound": 10}, mode="block")

    def broken(*args, **kwargs):
        raise RuntimeError("mail server on fire")

    monkeypatch.setattr(limits, "evaluate_projects", broken)
    with django_capture_on_commit_callbacks(execute=True):
        recorded = ingest(record(subproject, 10))
    assert recorded.accepted == 1


def test_quantity_limits_use_the_highest_share(project, subproject):
    services.spend_limit_set(
        project=subproject, quantities={"sms.outbound": 100, "voice.minutes": 10}, mode="notify"
    )
    add_usage(subproject, 10, month=THIS)  # 10 % of SMS
    add_usage(subproject, 9, month=THIS, metric="voice.minutes")  # 90 % of voice
    limits.evaluate_projects([subproject.public_id])
    limit = SpendLimit.objects.get(project=subproject)
    assert limit.percent == Decimal("90.0") and limit.exceeded_in is None
    assert fired(subproject) == [50, 80]


def test_setting_a_limit_is_audited(project, subproject):
    services.spend_limit_set(project=subproject, amount="10", mode="notify")
    services.spend_limit_set(project=subproject, amount="10", mode="block")
    services.spend_limit_remove(project=subproject)
    entries = list(
        AuditEvent.objects.filter(project_id=subproject.public_id)
        .order_by("id")
        .values_list("action", "changes")
    )
    assert [action for action, _ in entries] == [
        "spend_limit.set",
        "spend_limit.set",
        "spend_limit.remove",
    ]
    assert entries[0][1]["amount"] == {"before": None, "after": "10.00"}
    assert entries[1][1] == {"mode": {"before": "NOTIFY", "after": "BLOCK"}}  # as the API


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"amount": "0", "mode": "notify"}, "more than zero"),
        ({"amount": "1.234", "mode": "notify"}, "2 decimals"),
        ({"amount": "ten", "mode": "notify"}, "not a decimal"),
        ({"amount": "5", "mode": "shout"}, "notify, block"),
        ({"mode": "notify"}, "either an amount or quantities"),
        ({"amount": "5", "quantities": {"sms.outbound": 5}, "mode": "notify"}, "not both"),
        ({"quantities": {"fax.pages": 5}, "mode": "notify"}, "not a metric"),
        ({"quantities": {"sms.outbound": 0}, "mode": "notify"}, "from 1"),
        ({"quantities": {"sms.outbound": 1.5}, "mode": "notify"}, "whole number"),
    ],
)
def test_bad_limits_are_refused_with_a_message(subproject, kwargs, message):
    with pytest.raises(InvalidValue, match=message):
        services.spend_limit_set(project=subproject, **kwargs)
    assert not SpendLimit.objects.exists()


def test_only_live_subprojects_have_limits(project):
    with pytest.raises(WrongState, match="subprojects"):
        services.spend_limit_set(project=project, amount="5", mode="notify")
    removed = ProjectFactory(parent=project, removed=True)
    with pytest.raises(WrongState, match="removed"):
        services.spend_limit_set(project=removed, amount="5", mode="notify")


def test_the_currency_cannot_change_under_amount_limits(project, subproject):
    services.spend_limit_set(project=subproject, amount="5", mode="notify")
    with pytest.raises(WrongState, match="spend limit"):
        services.prices_set(
            account=project.account,
            currency="USD",
            prices_given={code: "1" for code in CODES},
        )
