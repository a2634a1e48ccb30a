"""Spend limits cannot be overflowed: usage of any size ingest accepts, against limits
of any size the form accepts, is computed exactly and stays enforceable; a limit whose
evaluation fails never rolls back or opens the others of its batch."""

from decimal import Decimal

import pytest
from django.db import connection

from billing import limits, services
from billing.models import SpendLimit
from tests.billing.conftest import THIS, add_usage
from tests.factories import ProjectFactory
from tests.support.api_client import call, key_header
from tests.usage.conftest import ingest, record
from usage import services as usage_services
from usage.ingest import MAX_BATCH, MAX_QUANTITY

# The largest month a subproject can reach in one batch, and the largest unit price.
LARGEST_BATCH = MAX_QUANTITY * MAX_BATCH
# (SQLite stores decimals as floats: 15 significant digits come back exactly.)
LARGEST_PRICE = "999999999999.999999" if connection.vendor == "postgresql" else "999999999.999999"
LARGEST_AMOUNT = Decimal("99999999999999999999.99")  # the form's and the API's largest


@pytest.fixture
def platform(db):
    _, secret = usage_services.platform_token_create(name="sms gateway")
    return f"Bearer {secret}"


def may_send(client, project, auth) -> bool:
    response = client.get(
        f"/api/internal/v1/projects/{project.public_id}/limits", headers={"Authorization": auth}
    )
    assert response.status_code == 200
    return response.json()["sendingAllowed"]


def test_one_batch_blocks_both_subprojects(
    client, project, subproject, platform, django_capture_on_commit_callbacks
):
    # The finding: 10^9 API requests against a limit of 1 overflowed the stored
    # percentage and rolled back the other limit of the batch too.
    other = ProjectFactory(parent=project)
    services.spend_limit_set(project=subproject, quantities={"api.requests": 1}, mode="block")
    services.spend_limit_set(project=other, quantities={"sms.outbound": 5}, mode="block")
    with django_capture_on_commit_callbacks(execute=True):
        ingest(record(subproject, 10**9, metric="api.requests"), record(other, 10))
    assert may_send(client, subproject, platform) is False
    assert may_send(client, other, platform) is False
    assert SpendLimit.objects.get(project=other).percent == Decimal("200.0")


@pytest.mark.parametrize("quantity", [10**9, 10**12, MAX_QUANTITY, LARGEST_BATCH])
def test_any_usage_against_the_smallest_limits(client, project, subproject, platform, quantity):
    by_amount = ProjectFactory(parent=project)
    services.spend_limit_set(project=subproject, quantities={"sms.outbound": 1}, mode="block")
    services.spend_limit_set(project=by_amount, amount="0.01", mode="block")
    services.prices_set(account=project.account, prices_given={"sms.outbound": LARGEST_PRICE})
    add_usage(subproject, quantity, month=THIS)
    add_usage(by_amount, quantity, month=THIS)
    limits.evaluate_projects([subproject.public_id, by_amount.public_id])
    for limited in (subproject, by_amount):
        stored = SpendLimit.objects.get(project=limited)
        assert stored.exceeded_in == THIS
        assert stored.percent == limits.PERCENT_MAX  # the share shown, capped
        assert may_send(client, limited, platform) is False


def test_the_largest_limit_is_enforced_exactly(client, project, subproject, platform):
    services.prices_set(account=project.account, prices_given={"sms.outbound": "100"})
    services.spend_limit_set(project=subproject, amount=str(LARGEST_AMOUNT), mode="block")
    add_usage(subproject, 10**18 - 1, month=THIS)  # 99,999,999,999,999,999,900 EUR
    limits.evaluate_projects([subproject.public_id])
    assert SpendLimit.objects.get(project=subproject).exceeded_in is None
    assert may_send(client, subproject, platform) is True

    add_usage(subproject, 1, month=THIS)  # 10^20 EUR: over by 0.01
    limits.evaluate_projects([subproject.public_id])
    stored = SpendLimit.objects.get(project=subproject)
    assert (stored.exceeded_in, stored.percent) == (THIS, Decimal("100.0"))
    assert may_send(client, subproject, platform) is False


def test_a_failing_limit_rolls_back_no_other(monkeypatch, project, subproject):
    others = [ProjectFactory(parent=project) for _ in range(2)]
    for limited in (subproject, *others):
        services.spend_limit_set(project=limited, quantities={"sms.outbound": 5}, mode="block")
        add_usage(limited, 10, month=THIS)
    real = limits.used

    def fails_for_one(limit, quantities, sheet):
        if limit.project_id == subproject.pk:
            raise ArithmeticError("a bad row")
        return real(limit, quantities, sheet)

    monkeypatch.setattr(limits, "used", fails_for_one)
    count, _ = limits.evaluate_all()
    assert count == 3
    for limited in others:
        assert SpendLimit.objects.get(project=limited).exceeded_in == THIS
    assert SpendLimit.objects.get(project=subproject).exceeded_in is None


@pytest.mark.parametrize("amount", ["1e26", "1E+400", "100000000000000000000"])
def test_an_amount_too_large_is_a_400_naming_it(client, project, subproject, amount):
    url = f"/api/v1/subprojects/{subproject.public_id}/spendLimit"
    response = call(client, "PUT", url, key_header(project), {"amount": amount, "mode": "BLOCK"})
    error = response.json()["error"]
    assert (response.status_code, error["status"]) == (400, "INVALID_ARGUMENT")
    assert "amount" in error["message"]
    assert not SpendLimit.objects.exists()
