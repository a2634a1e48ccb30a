"""Numbers and money one way everywhere (core.formatting): the code beside every amount,
thousands grouped, the reader's locale's separators; machines keep plain decimals."""

from decimal import Decimal

import pytest

from audit.models import AuditEvent
from billing import services
from core import formatting
from tests.billing.conftest import LAST, add_usage

NB = "\xa0"


@pytest.fixture
def in_locale():
    tokens = []

    def use(lang):
        tokens.append(formatting._locale.set(lang))

    yield use
    for token in reversed(tokens):
        formatting._locale.reset(token)


def test_money_has_its_code_its_decimals_and_grouping():
    assert formatting.money(Decimal("15150.35"), "EUR") == f"15,150.35{NB}EUR"
    assert formatting.money(Decimal("15150.3"), "EUR") == f"15,150.30{NB}EUR"
    assert formatting.money(Decimal("1234567"), "JPY") == f"1,234,567{NB}JPY"
    assert formatting.money(Decimal("1.2345"), "BHD") == f"1.235{NB}BHD"  # half up
    assert formatting.money("0.005", "EUR") == f"0.01{NB}EUR"
    assert formatting.unit_price(Decimal("0.045000"), "EUR") == f"0.045{NB}EUR"
    assert formatting.unit_price(Decimal("2"), "EUR") == f"2.00{NB}EUR"
    assert formatting.number(10883) == "10,883" and formatting.number(7) == "7"
    assert formatting.percent(Decimal("89.94")) == f"89.9{NB}%"


@pytest.mark.parametrize(
    "lang, expected",
    [("en", f"15,150.35{NB}EUR"), ("de", f"15.150,35{NB}EUR"), ("fr", f"15{NB}150,35{NB}EUR")],
)
def test_the_readers_locale_sets_the_separators(in_locale, lang, expected):
    in_locale(lang)
    assert formatting.money(Decimal("15150.35"), "EUR") == expected


def test_a_billing_page_follows_the_browsers_language(client_for, admin_user, project):
    add_usage(project, 336_674, month=LAST)  # 336,674 messages at 0.045: 15,150.33 EUR
    client = client_for(admin_user)
    url = f"/projects/{project.public_id}/billing/{LAST:%Y-%m}/"
    english = client.get(url).content.decode()
    assert f"data-statement-total>15,150.33{NB}EUR<" in english
    assert "336,674 messages" in english
    german = client.get(url, headers={"accept-language": "de-DE,de;q=0.9"}).content.decode()
    assert f"data-statement-total>15.150,33{NB}EUR<" in german
    assert "336.674 messages" in german
    # The words stay English; the CSV stays plain decimals for machines.
    assert "Download CSV" in german
    csv = b"".join(client.get(url + "statement.csv").streaming_content).decode()
    assert ",15150.33\r\n" in csv or ",15150.33\n" in csv


def test_activity_shows_amounts_with_their_currency(client_for, admin_user, project, subproject):
    services.spend_limit_set(project=subproject, mode="notify", amount="15150.35")
    services.spend_limit_set(project=subproject, mode="notify", amount="20000")
    services.spend_limit_set(project=subproject, mode="block", amount="20000")
    add_usage(project, 1_000, month=LAST)
    services.billing_period_close(month=LAST)
    # The trail keeps plain decimals (the API and the CSV read them).
    first = AuditEvent.objects.filter(action="spend_limit.set").order_by("id").first()
    assert first.changes["amount"]["after"] == "15150.35"
    page = client_for(admin_user).get(f"/projects/{project.public_id}/activity/").content.decode()
    assert f"15,150.35{NB}EUR" in page and f"20,000.00{NB}EUR" in page
    assert "15150.35" not in page
    assert f"45.00{NB}EUR" in page  # the closed statement's total
    # The currency is named beside each amount, and is not a line of its own unless
    # it changed; a change of mode alone says nothing of the currency.
    changed = AuditEvent.objects.filter(action="spend_limit.set").order_by("id")
    assert [("currency" in e.changes) for e in changed] == [True, True, False]
    assert [field for field, *_ in changed[1].change_lines] == ["Amount"]
