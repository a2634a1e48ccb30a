"""The screens of what customers see (ADR 0108), each at both widths through the same
check as every screen (no sideways scrolling, no serious or critical axe violation;
test_accessibility_check shows the check failing): the Settings choice for an admin
and for a viewer, and a customer login's own bill once its ASP shows it."""

import pytest
from django.utils import timezone

from accounts.models import Role
from projects import services
from tests.browser.checks import check_screen
from tests.browser.conftest import BOTH_WIDTHS
from tests.factories import GrantFactory, MembershipFactory

pytestmark = pytest.mark.browser


@BOTH_WIDTHS
def test_the_choice_and_a_customer_s_bill(
    sign_in, live_server, browser, admin_user, viewer, account, project, subproject, viewport
):
    services.project_customers_see(project=project, labels=True, bills=True)
    services.project_update(project=subproject, labels={"tier": "gold"})
    customer = MembershipFactory(account=account, role=Role.MEMBER).user
    GrantFactory(membership=customer.memberships.get(), project=subproject)
    month = f"{timezone.now():%Y-%m}"
    screens = {
        admin_user: {"Settings, what customers see": f"/projects/{project.public_id}/#settings"},
        viewer: {"Settings, read-only": f"/projects/{project.public_id}/#settings"},
        customer: {
            "Its subproject, labels shown": f"/projects/{subproject.public_id}/",
            "Its bill": f"/projects/{subproject.public_id}/billing/",
            "Its bill for a month": f"/projects/{subproject.public_id}/billing/{month}/",
        },
    }
    for user, pages in screens.items():
        context = browser.new_context(viewport=viewport, locale="en-GB")
        try:
            page = sign_in(user, ctx=context)
            for name, path in pages.items():
                response = page.goto(live_server.url + path)
                assert response.status == 200, (name, response.status)
                check_screen(page, name)
        finally:
            context.close()
