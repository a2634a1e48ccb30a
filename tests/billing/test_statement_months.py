"""One rule for the months around the statements: before the month the account was
created in and after this month there is no statement (404), on the API and the
Billing page alike; from the account's month to this one there is one."""

from datetime import UTC, datetime

import pytest

from accounts.models import Account
from billing import statements
from tests.billing.conftest import LAST, THIS
from tests.support.api_client import call, error_of, key_header
from usage.periods import add_months


@pytest.fixture
def since_last_month(project):
    """The account was created last month."""
    created = datetime(LAST.year, LAST.month, 15, tzinfo=UTC)
    Account.objects.filter(pk=project.account_id).update(created_at=created)
    project.account.refresh_from_db()
    return project


def _api(client, project, month):
    url = f"/api/v1/projects/{project.public_id}/statements/{month:%Y-%m}"
    return call(client, "GET", url, key_header(project))


@pytest.mark.parametrize(
    "month", [add_months(LAST, -1), add_months(LAST, -12 * 27), add_months(THIS, 1)]
)
def test_before_the_account_and_after_this_month_are_404(client, since_last_month, month):
    code, status, message = error_of(_api(client, since_last_month, month))
    assert (code, status) == (404, "NOT_FOUND")
    assert f"{LAST:%Y-%m}" in message  # says where statements begin
    assert statements.statement_of(since_last_month, month) is None


@pytest.mark.parametrize("month", [LAST, THIS])
def test_from_the_accounts_month_to_this_one_there_is_a_statement(client, since_last_month, month):
    assert _api(client, since_last_month, month).status_code == 200


def test_the_billing_page_follows_the_same_rule(client_for, admin_user, since_last_month):
    page = client_for(admin_user)
    base = f"/projects/{since_last_month.public_id}/billing"
    assert page.get(f"{base}/{add_months(LAST, -1):%Y-%m}/").status_code == 404
    assert page.get(f"{base}/{add_months(THIS, 1):%Y-%m}/").status_code == 404
    assert page.get(f"{base}/{LAST:%Y-%m}/").status_code == 200
