"""Create an access key and revoke it in headless Chromium (Debian's /usr/bin/chromium).

Self-contained on purpose: the dashboard branch brings shared browser fixtures; these
can move onto them once both are merged. Missing Chromium skips locally, fails in CI.
"""

import os
from pathlib import Path

import pytest

from projects.models import AccessKey

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture
def keys_page(transactional_db, live_server, member, project, monkeypatch):
    if not CHROMIUM.exists():
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)."
        if os.environ.get("CI"):
            pytest.fail(message + " CI requires the browser tests.")
        pytest.skip(message)
    from django.db import connections
    from django.test import Client
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls around it
    # are still plain synchronous code. Set for this test only: `check --deploy` in
    # test_settings refuses it in the environment.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    client = Client()
    client.force_login(member)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context()
        context.set_default_timeout(10_000)
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
        yield context.new_page(), f"{live_server.url}/projects/{project.public_id}/keys"
        browser.close()
        # While Playwright's loop runs, Django's connection handler (an asgiref Local)
        # hands this thread other connections than the test's: close them here, or one
        # stays open and PostgreSQL cannot drop the test database.
        connections.close_all()


def test_create_shows_the_secret_once_then_revoke(keys_page, project):
    from playwright.sync_api import expect

    page, base = keys_page
    page.goto(f"{base}/new/")
    page.get_by_label("Name", exact=True).fill("Browser key")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Access key “Browser key” created")
    expect(page.get_by_role("alert")).to_contain_text("you will not see this secret again")
    secret = page.locator("[data-key-secret]").inner_text()
    key = AccessKey.objects.get(project=project)
    assert secret.startswith("csk_") and key.key_id in page.content()

    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("The secret has already been shown")
    assert secret not in page.content()
    page.go_back()  # the form again, not a second key
    assert AccessKey.objects.filter(project=project).count() == 1

    page.goto(f"{base}/{key.key_id}/revoke/")
    page.get_by_role("button", name="Revoke").click()
    page.wait_for_url(f"**/projects/{project.public_id}/**")
    page.wait_for_load_state("networkidle")  # no request left holding a connection
    key.refresh_from_db()
    assert key.is_revoked
