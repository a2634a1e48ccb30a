"""The screens no other browser test walks through, each at both widths: no sideways
scrolling, no serious or critical accessibility violation."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from projects import services
from tests.browser.checks import check_screen
from tests.browser.conftest import BOTH_WIDTHS

pytestmark = pytest.mark.browser


@BOTH_WIDTHS
def test_the_other_screens(sign_in, live_server, member, project, subproject, viewport):
    removed = services.subproject_create(parent=project, name="Gone customer")
    services.subproject_remove(subproject=removed)
    services.project_suspend(project=subproject, reason="Unpaid invoice")
    key, _ = services.access_key_create(project=project, display_name="CI")
    page = sign_in(member)
    screens = {
        "Projects page": "/projects/",
        "Projects page, searched": "/projects/?q=acme&sort=-created",
        "Projects menu page": "/projects/menu/?q=taco",
        "Subprojects page": f"/projects/{project.public_id}/subprojects/",
        "Removed tab": f"/projects/{project.public_id}/subprojects/removed/",
        "Create subproject page": f"/projects/{project.public_id}/subprojects/new/",
        "A subproject has no subprojects": f"/projects/{subproject.public_id}/subprojects/",
        "Project details": f"/projects/{project.public_id}/",
        "Suspended subproject details": f"/projects/{subproject.public_id}/",
        "Remove subproject": f"/projects/{subproject.public_id}/remove/",
        "Activity": f"/projects/{project.public_id}/activity/",
        "Create access key": f"/projects/{project.public_id}/keys/new/",
        "Rotate access key": f"/projects/{project.public_id}/keys/{key.key_id}/rotate/",
        "Revoke access key": f"/projects/{project.public_id}/keys/{key.key_id}/revoke/",
        "Profile": "/accounts/profile/",
        "Change password": "/accounts/password/",
        "About access keys": "/help/access-keys/",
        "Usage": f"/projects/{project.public_id}/usage/",
        "Usage of a subproject": f"/projects/{subproject.public_id}/usage/",
        "Billing": f"/projects/{project.public_id}/billing/",
        "A month's statement": f"/projects/{project.public_id}/billing/{timezone.now():%Y-%m}/",
        "Spend limit": f"/projects/{subproject.public_id}/spend-limit/",
    }
    for name, path in screens.items():
        response = page.goto(live_server.url + path)
        assert response.status == 200, (name, response.status)
        check_screen(page, name)
    # The dialog, open.
    page.goto(live_server.url + f"/projects/{project.public_id}/subprojects/")
    page.get_by_role("link", name="CREATE SUBPROJECT").click()
    expect(page.get_by_role("dialog", name="Create subproject")).to_be_visible()
    check_screen(page, "Create subproject dialog")


@BOTH_WIDTHS
def test_an_account_admins_screens(sign_in, live_server, admin_user, member, account, viewport):
    """The team's pages (account admins only)."""
    from accounts.models import Membership

    page = sign_in(admin_user)
    members = f"/accounts/{account.public_id}/members/"
    someone = Membership.objects.get(user=member)
    for name, path in {
        "Members": members,
        "Invite": f"{members}invite/",
        "A member": f"{members}{someone.public_id}/",
    }.items():
        response = page.goto(live_server.url + path)
        assert response.status == 200, (name, response.status)
        check_screen(page, name)


@BOTH_WIDTHS
def test_an_admin_s_subproject_screens(
    sign_in, live_server, admin_user, account, project, subproject, viewport
):
    """The subproject page in sections (people with access, with an invitation), its bill
    and a month of it, and the navigation opened on a phone."""
    from accounts.models import Role
    from team import services as team_services

    team_services.invitation_create(
        account=account, email="owner@tacotime.example", role=Role.VIEWER, projects=[subproject]
    )
    page = sign_in(admin_user)
    month = f"{timezone.now():%Y-%m}"
    for name, path in {
        "Subproject page in sections": f"/projects/{subproject.public_id}/",
        "A subproject's bill": f"/projects/{subproject.public_id}/billing/",
        "A subproject's bill for a month": f"/projects/{subproject.public_id}/billing/{month}/",
    }.items():
        response = page.goto(live_server.url + path)
        assert response.status == 200, (name, response.status)
        check_screen(page, name)
    if viewport["width"] < 500:
        page.get_by_role("button", name="Menu").click()
        check_screen(page, "the navigation, open on a phone")


@BOTH_WIDTHS
def test_a_viewer_s_and_a_customer_login_s_screens(
    sign_in, live_server, account, project, subproject, viewer, viewport
):
    from accounts.models import Role
    from tests.factories import GrantFactory, MembershipFactory

    membership = MembershipFactory(account=account, role=Role.VIEWER)
    GrantFactory(membership=membership, project=subproject)
    customer = membership.user
    services.project_update(project=subproject, labels={"tier": "gold"})
    month = f"{timezone.now():%Y-%m}"
    screens = {
        viewer: {
            "Subprojects page": f"/projects/{project.public_id}/subprojects/",
            "Project details": f"/projects/{project.public_id}/",
            "Subproject details": f"/projects/{subproject.public_id}/",
            "Usage": f"/projects/{project.public_id}/usage/",
            "Billing": f"/projects/{project.public_id}/billing/",
            "A month's statement": f"/projects/{project.public_id}/billing/{month}/",
            "A subproject's bill": f"/projects/{subproject.public_id}/billing/",
            "Activity": f"/projects/{project.public_id}/activity/",
            "Spend limit": f"/projects/{subproject.public_id}/spend-limit/",
            "Profile": "/accounts/profile/",
        },
        customer: {
            "Its subproject": f"/projects/{subproject.public_id}/",
            "Its usage": f"/projects/{subproject.public_id}/usage/",
            "Its activity": f"/projects/{subproject.public_id}/activity/",
            "Profile": "/accounts/profile/",
        },
    }
    for user, pages in screens.items():
        page = sign_in(user)
        for name, path in pages.items():
            response = page.goto(live_server.url + path)
            assert response.status == 200, (name, response.status)
            check_screen(page, f"{name} ({'customer' if user == customer else 'viewer'})")
        page.close()


@BOTH_WIDTHS
def test_signed_out_screens(browser, live_server, viewport, db):
    context = browser.new_context(viewport=viewport)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/accounts/login/")
        check_screen(page, "sign-in")
        page.get_by_label("Email").fill("nobody@example.com")
        page.get_by_label("Password").fill("wrong")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("alert")).to_be_visible()
        check_screen(page, "sign-in refused")
        page.goto(live_server.url + "/accounts/password/reset/")
        check_screen(page, "password reset")
    finally:
        context.close()
