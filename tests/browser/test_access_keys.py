"""Create an access key, see its secret once, and revoke it, in headless Chromium."""

import pytest

from projects.models import AccessKey
from tests.browser.checks import check_screen

pytestmark = pytest.mark.browser


@pytest.fixture
def keys_page(sign_in, live_server, member, project):
    return sign_in(member), f"{live_server.url}/projects/{project.public_id}/keys"


def test_create_shows_the_secret_once_then_revoke(keys_page, project):
    from playwright.sync_api import expect

    page, base = keys_page
    page.goto(f"{base}/new/")
    check_screen(page, "create access key")
    page.get_by_label("Name", exact=True).fill("Browser key")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Access key “Browser key” created")
    expect(page.get_by_role("alert")).to_contain_text("you will not see this secret again")
    check_screen(page, "access key created")
    secret = page.locator("[data-key-secret]").inner_text()
    key = AccessKey.objects.get(project=project)
    assert secret.startswith("csk_") and key.key_id in page.content()

    # The page is the answer to the POST: a reload sends the form again, which finds
    # the key already created and does not show its secret.
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("This access key was already created")
    assert secret not in page.content() and key.key_id in page.content()
    assert AccessKey.objects.filter(project=project).count() == 1

    page.goto(f"{base}/{key.key_id}/revoke/")
    check_screen(page, "revoke access key")
    # One label, no gaps: the flex button must not space the name out from the quotes.
    page.get_by_role("button", name="Revoke “Browser key”", exact=True).click()
    page.wait_for_url(f"**/projects/{project.public_id}/**")
    page.wait_for_load_state("networkidle")  # no request left holding a connection
    key.refresh_from_db()
    assert key.is_revoked
