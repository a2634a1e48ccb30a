"""Tables at 375 px and at 1440 px (issue 20): on a phone no cell's content is wider
than its cell and nothing scrolls sideways (wide tables scroll in a focusable region of
their own, their first column staying); on a laptop no Key ID, Project ID or email is
broken across lines, and no heading breaks mid-word."""

import pytest
from django.utils import timezone

from projects import services
from tests.browser.checks import BROKEN, check_screen
from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser


def test_on_a_phone(browser, live_server, sign_in, acme_with_usage):
    admin, parent, customers, _gone = acme_with_usage
    services.access_key_create(project=parent, display_name="Billing service (production)")
    context = browser.new_context(viewport=PHONE)
    try:
        page = sign_in(admin, ctx=context)
        month = f"{timezone.now():%Y-%m}"
        for name, path in {
            "statements": f"/projects/{parent.public_id}/billing/",
            "a month's breakdown": f"/projects/{parent.public_id}/billing/{month}/",
            "usage": f"/projects/{parent.public_id}/usage/",
            "keys": f"/projects/{parent.public_id}/",
            "members": f"/accounts/{parent.account.public_id}/members/",
            "activity": f"/projects/{parent.public_id}/activity/",
            "a customer's bill": f"/projects/{customers[0].public_id}/billing/",
        }.items():
            page.goto(live_server.url + path)
            check_screen(page, name)  # (no cell narrower than its words, among the rest)
        # The breakdown scrolls in its own region: focusable, its first column sticky.
        page.goto(f"{live_server.url}/projects/{parent.public_id}/billing/{month}/")
        region = page.get_by_role("region", name="Breakdown per subproject, scrolls sideways")
        assert region.get_attribute("tabindex") == "0"
        first = region.locator("tbody th").first
        assert first.evaluate("th => getComputedStyle(th).position") == "sticky"
    finally:
        context.close()


def test_on_a_laptop_ids_and_emails_stay_on_one_line(
    browser, live_server, sign_in, acme_with_usage
):
    admin, parent, _customers, _gone = acme_with_usage
    for n in range(3):
        services.access_key_create(
            project=parent,
            display_name=f"Billing service number {n} (production, EU region, failover pair)",
        )
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = sign_in(admin, ctx=context)
        page.goto(f"{live_server.url}/projects/{parent.public_id}/")
        assert page.evaluate(BROKEN, ".ak-table code, .ak-table thead th") == []
        page.goto(f"{live_server.url}/projects/{parent.public_id}/activity/")
        assert page.evaluate(BROKEN, '.activity td[data-label="By"] bdi') == []
        page.goto(f"{live_server.url}/accounts/{parent.account.public_id}/members/")
        assert page.evaluate(BROKEN, '.members td[data-label="Email"] bdi') == []
        page.goto(f"{live_server.url}/projects/{parent.public_id}/subprojects/")
        assert page.evaluate(BROKEN, ".table .project-id") == []
    finally:
        context.close()
