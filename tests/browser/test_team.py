"""An admin invites an ASP's customer user for one subproject; the customer opens the
email's link, sets a password, signs in and sees that subproject only, in headless
Chromium. The live server sends its email to Django's locmem backend (the tests'),
read here from mail.outbox."""

import re

import pytest
from django.core import mail

from accounts.models import Membership, Role
from tests.factories import ProjectFactory

pytestmark = pytest.mark.browser

PASSWORD = "tacos every tuesday 2026"


@pytest.fixture
def sibling(project):
    return ProjectFactory(parent=project, name="Burrito Barn")


def test_admin_invites_a_customer_who_sees_only_their_subproject(
    browser,
    context,
    sign_in,
    live_server,
    admin_user,
    account,
    project,
    subproject,
    sibling,
    screenshot,
):
    from playwright.sync_api import expect

    # The admin, on the subproject's details panel.
    page = sign_in(admin_user)
    page.goto(f"{live_server.url}/projects/{subproject.public_id}/")
    section = page.locator(
        "section", has=page.get_by_role("heading", name="Invite a customer user")
    )
    section.get_by_label("Email").fill("owner@tacotime.example")
    section.get_by_label("Role").select_option("viewer")
    section.scroll_into_view_if_needed()
    screenshot(page, "team-1-invite-a-customer-user")
    section.get_by_role("button", name="Send invitation").click()
    page.wait_for_url(f"**/projects/{subproject.public_id}/")
    expect(page.locator(".messages")).to_contain_text("Invitation sent to owner@tacotime.example")

    # The Members page lists it as pending; the top bar links there.
    page.get_by_text("Acme Messaging").first.click()
    page.get_by_role("link", name="Members of Acme Messaging").click()
    expect(page.get_by_role("heading", name="Members", exact=True)).to_be_visible()
    pending = page.locator("table.invitations")
    expect(pending).to_contain_text("owner@tacotime.example")
    expect(pending).to_contain_text("Acme Production > Taco Time")
    screenshot(page, "team-2-members-page")

    # The customer opens the email's link in their own browser.
    [message] = mail.outbox
    link = re.search(r"https?://\S+", message.body).group(0)
    assert link.startswith(live_server.url)
    customer = browser.new_context(viewport={"width": 1200, "height": 800}, locale="en-GB")
    customer.set_default_timeout(10_000)
    invitee = customer.new_page()
    invitee.goto(link)
    assert "token" not in invitee.url  # moved into the session at once
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Join Acme Messaging")
    invitee.get_by_label("Password", exact=True).fill(PASSWORD)
    invitee.get_by_label("Password again").fill(PASSWORD)
    screenshot(invitee, "team-3-accept-the-invitation")
    invitee.get_by_role("button", name="Set password and join").click()
    # Signed in, they land on what the grant gives them: their subproject.
    invitee.wait_for_url(f"**/projects/{subproject.public_id}/")
    expect(invitee.locator("h1.details-title")).to_have_text("Acme Production > Taco Time")
    membership = Membership.objects.get(user__email="owner@tacotime.example")
    assert (membership.role, [g.project for g in membership.grants.all()]) == (
        Role.VIEWER,
        [subproject],
    )

    # Sign out (in the user menu), and sign in again with the new password.
    invitee.locator(".user-menu-button").click()
    invitee.get_by_role("menuitem", name="Sign out").click()
    invitee.wait_for_url("**/accounts/login/")
    invitee.get_by_label("Email").fill("owner@tacotime.example")
    invitee.get_by_label("Password").fill(PASSWORD)
    invitee.get_by_role("button", name="Sign in").click()
    invitee.wait_for_url(f"**/projects/{subproject.public_id}/")

    # Everywhere, only that subproject.
    invitee.locator(".projects-menu-button").click()
    rows = invitee.locator(".projects-menu-panel li.menu-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Acme Production > Taco Time")
    invitee.goto(f"{live_server.url}/projects/")
    body = invitee.content()
    assert "Taco Time" in body and "Burrito Barn" not in body
    assert project.public_id not in body and sibling.public_id not in body
    for url in (f"/projects/{project.public_id}/", f"/projects/{sibling.public_id}/"):
        response = invitee.goto(f"{live_server.url}{url}")
        assert response.status == 404
    assert invitee.goto(f"{live_server.url}/accounts/{account.public_id}/members/").status == 404
    customer.close()
