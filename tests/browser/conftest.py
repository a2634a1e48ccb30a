"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright's sync API.

Missing Chromium skips these tests locally and fails them in CI (CI is set there).
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are still plain synchronous code.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# The two widths every screen is checked at: a laptop, and a small phone.
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 375, "height": 812}
BOTH_WIDTHS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1440px", "375px"])
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)."
        if os.environ.get("CI"):
            pytest.fail(message + " CI requires the browser tests.")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def viewport():
    """The browser window's size: a laptop's, unless a test parametrizes it (BOTH_WIDTHS)."""
    return DESKTOP


@pytest.fixture
def context(browser, live_server, viewport):
    context = browser.new_context(viewport=viewport, locale="en-GB")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def sign_in(context, live_server, transactional_db):
    """sign_in(user) gives the browser that user's session cookie and returns a page."""
    from django.test import Client

    def _sign_in(user, *, ctx=None):
        ctx = ctx or context
        client = Client()
        client.force_login(user)
        ctx.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
        return ctx.new_page()

    return _sign_in


@pytest.fixture
def screenshot(tmp_path):
    """Saves into docs/screenshots in CI (as artifacts) or with SAVE_SCREENSHOTS=1, so
    that a local test run does not rewrite the committed pictures (their IDs differ)."""
    save = os.environ.get("CI") or os.environ.get("SAVE_SCREENSHOTS")
    folder = SCREENSHOTS if save else tmp_path
    folder.mkdir(parents=True, exist_ok=True)

    def _take(page, name):
        page.screenshot(path=str(folder / f"{name}.png"))

    return _take


@pytest.fixture
def acme_with_usage(transactional_db):
    """An admin of "Acme Messaging", its parent project with three customers and a
    removed one, and 90 days of demo usage: (admin, parent, customers, removed)."""
    from accounts.models import Role
    from tests.factories import MembershipFactory, ProjectFactory
    from usage import demo

    admin = MembershipFactory(role=Role.ADMIN, account__name="Acme Messaging").user
    parent = ProjectFactory(
        account=admin.memberships.get().account, name="Acme Messaging Production"
    )
    customers = [
        ProjectFactory(parent=parent, name=name)
        for name in ("Taco Time", "Newfangled Sassy Actuaries", "Not Yo Momma's Cookin'")
    ]
    gone = ProjectFactory(parent=parent, name="Burrito Barn", removed=True)
    demo.fill([parent, *customers, gone])
    return admin, parent, customers, gone
