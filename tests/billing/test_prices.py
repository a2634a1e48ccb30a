"""Prices: set_prices, the admin, the default list, the audit trail."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from billing import prices
from billing.models import PriceList
from tests.factories import AccountFactory
from usage.metrics import CODES


def set_prices(*args):
    out = StringIO()
    call_command("set_prices", *args, stdout=out)
    return out.getvalue()


def test_accounts_pay_the_default_list_until_they_have_their_own(account):
    sheet = prices.sheet_for(account.pk)
    assert not sheet.own and sheet.currency == "EUR"
    assert sheet.prices == prices.default_sheet().prices
    assert sheet.prices["sms.outbound"] == Decimal("0.045")


def test_set_prices_makes_the_accounts_own_list_from_the_default(account):
    output = set_prices(account.public_id, "sms.outbound=0.039", "voice.minutes=0.01")
    assert "sms.outbound" in output and "0.039" in output
    sheet = prices.sheet_for(account.pk)
    assert sheet.own and sheet.prices["sms.outbound"] == Decimal("0.039")
    assert sheet.prices["api.requests"] == Decimal("0.0001")  # copied from the default
    other = AccountFactory()
    assert prices.sheet_for(other.pk).prices["sms.outbound"] == Decimal("0.045")


def test_price_changes_are_audited_as_the_command(account):
    set_prices(account.public_id, "sms.outbound=0.039")
    set_prices(account.public_id, "sms.outbound=0.039")  # no change: no entry
    event = AuditEvent.objects.get(action="price_list.update")
    assert (event.actor_type, event.actor_id) == ("command", "set_prices")
    assert event.account_id == account.public_id
    assert event.changes == {
        "sms.outbound": {"before": "0.045000", "after": "0.039000"},
        # What the prices are read in, although it did not change.
        "currency": {"before": "EUR", "after": "EUR"},
    }


def test_the_default_list(account):
    set_prices("default", "sms.outbound=0.05")
    assert prices.sheet_for(account.pk).prices["sms.outbound"] == Decimal("0.05")
    assert AuditEvent.objects.get(action="price_list.update").target_id == "default"


def test_changing_the_currency_needs_every_price(account):
    with pytest.raises(CommandError, match="every metric"):
        set_prices(account.public_id, "sms.outbound=5", "--currency", "JPY")
    every = [f"{code}={i + 1}" for i, code in enumerate(CODES)]
    set_prices(account.public_id, *every, "--currency", "jpy")
    assert prices.sheet_for(account.pk).currency == "JPY"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sms.outbound=-1"], "negative"),
        (["sms.outbound=abc"], "not a decimal"),
        (["fax.pages=1"], "not a metric"),
        (["sms.outbound"], "METRIC=PRICE"),
        (["sms.outbound=1", "--currency", "EURO"], "ISO 4217"),
    ],
)
def test_bad_input_is_refused_with_a_message(account, args, message):
    with pytest.raises(CommandError, match=message):
        set_prices(account.public_id, *args)
    assert not PriceList.objects.filter(account=account).exists()


def test_an_unknown_account_is_named(db):
    with pytest.raises(CommandError, match="No account has the ID"):
        set_prices("01ARZ3NDEKTSV4RRFFQ69G5FAV", "sms.outbound=1")


@pytest.fixture
def admin_client(client, operator):
    client.force_login(operator)
    return client


def _form(account, **prices_given):
    data = {"account": account.pk if account else "", "currency": "EUR"}
    data.update({code: "0.01" for code in CODES})
    data.update(prices_given)
    return data


def test_operators_set_prices_in_the_admin(admin_client, account):
    response = admin_client.post(
        "/admin/billing/pricelist/add/", _form(account, **{"sms.outbound": "0.033"})
    )
    assert response.status_code == 302
    assert prices.sheet_for(account.pk).prices["sms.outbound"] == Decimal("0.033")
    event = AuditEvent.objects.get(action="price_list.update")
    assert (event.source, event.actor_type) == ("admin", "user")
    stored = PriceList.objects.get(account=account)
    page = admin_client.get(f"/admin/billing/pricelist/{stored.pk}/change/").content.decode()
    assert 'value="0.033"' in page


def test_the_admin_refuses_bad_prices(admin_client, account):
    response = admin_client.post(
        "/admin/billing/pricelist/add/", _form(account, **{"sms.outbound": "-2"})
    )
    assert response.status_code == 200 and "must not be negative" in response.content.decode()
    assert not PriceList.objects.filter(account=account).exists()


def test_the_admin_edits_the_default_list(admin_client, account):
    default = PriceList.objects.get(is_default=True)
    data = _form(None, **{"sms.outbound": "0.06"})
    response = admin_client.post(f"/admin/billing/pricelist/{default.pk}/change/", data)
    assert response.status_code == 302
    assert prices.sheet_for(account.pk).prices["sms.outbound"] == Decimal("0.06")


def test_statements_are_read_only_in_the_admin(admin_client):
    assert admin_client.get("/admin/billing/statement/").status_code == 200
    assert admin_client.get("/admin/billing/statement/add/").status_code == 403
