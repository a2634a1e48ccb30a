"""Add a webhook endpoint, see its secret once, send a test event and see it in the
delivery log, in headless Chromium (axe: no serious or critical violation)."""

import pytest

from tests.browser.checks import check_screen
from tests.browser.conftest import BOTH_WIDTHS
from webhooks.models import Endpoint

pytestmark = pytest.mark.browser


@pytest.fixture
def receiver(settings):
    from tests.support.receiver import Receiver

    settings.WEBHOOK_ALLOW_PRIVATE = True  # the receiver is plain HTTP on 127.0.0.1
    found = Receiver()
    yield found
    found.close()


@BOTH_WIDTHS
def test_add_an_endpoint_see_the_secret_once_and_send_a_test_event(
    sign_in, live_server, admin_user, project, receiver, viewport, screenshot
):
    from playwright.sync_api import expect

    page = sign_in(admin_user)
    page.goto(f"{live_server.url}/projects/{project.public_id}/")
    page.get_by_role("navigation", name="On this page").get_by_role(
        "link", name="Webhook endpoints"
    ).click()
    page.get_by_role("link", name="Open webhook endpoints").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Webhook endpoints")
    check_screen(page, "webhook endpoints, none")

    page.get_by_role("link", name="Add endpoint").click()
    check_screen(page, "add webhook endpoint")
    page.get_by_label("URL", exact=True).fill(receiver.url)
    page.get_by_label("Description").fill("Provisioning robot")
    page.get_by_label("subproject.created").check()
    page.get_by_role("button", name="Add endpoint").click()
    expect(page.get_by_role("alert")).to_contain_text("you will not see it again")
    check_screen(page, "webhook endpoint added")
    screenshot(page, f"webhook-secret-{viewport['width']}")
    secret = page.locator("[data-webhook-secret]").inner_text()
    endpoint = Endpoint.objects.get(project=project)
    assert secret == endpoint.secret and secret.startswith("whsec_")

    page.reload()  # sends the form again: the endpoint is not added twice, nor shown
    expect(page.get_by_role("heading", level=1)).to_have_text("This endpoint was already added")
    assert secret not in page.content()
    assert Endpoint.objects.filter(project=project).count() == 1

    page.get_by_role("link", name="Open the endpoint").click()
    page.get_by_role("button", name="Send test event").click()
    expect(page.locator("[data-attempt-status]").first).to_have_text("200 Delivered")
    check_screen(page, "webhook endpoint with its log")
    screenshot(page, f"webhook-endpoint-{viewport['width']}")
    assert len(receiver.requests) == 1
    assert b'"type":"webhook.test"' in receiver.requests[0][1]

    base = f"{live_server.url}/projects/{project.public_id}/webhooks/{endpoint.public_id}"
    for name, path in (("edit", "/edit/"), ("rotate", "/rotate/"), ("delete", "/delete/")):
        assert page.goto(base + path).status == 200
        check_screen(page, f"{name} webhook endpoint")

    page.goto(f"{live_server.url}/projects/{project.public_id}/webhooks/")
    expect(page.get_by_role("cell", name="Provisioning robot")).to_be_visible()
    expect(page.locator("nav [aria-current=page]")).to_have_text("Settings")
    check_screen(page, "webhook endpoints, one")
