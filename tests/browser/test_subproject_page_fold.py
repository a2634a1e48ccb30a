"""Issue #20's done-when: on a subproject's page the access keys are above the fold's
second screen (their section starts within two window heights of the top), at a
laptop's and at a phone's width, for an admin (who sees every section above them: the
overview with the Service API step and the spend limit's line)."""

import pytest
from playwright.sync_api import expect

from projects import services
from tests.browser.conftest import BOTH_WIDTHS

pytestmark = pytest.mark.browser


@BOTH_WIDTHS
def test_keys_are_above_the_second_screen(sign_in, live_server, admin_user, subproject, viewport):
    for name in ("Billing service", "CI"):
        services.access_key_create(project=subproject, display_name=name)
    services.project_update(project=subproject, labels={"region": "US-Northwest"})
    page = sign_in(admin_user)
    page.goto(f"{live_server.url}/projects/{subproject.public_id}/")
    keys = page.locator("#access-keys")
    expect(keys).to_be_visible()
    top = keys.evaluate("section => section.getBoundingClientRect().top + window.scrollY")
    height = page.evaluate("window.innerHeight")
    print(f"{viewport['width']}px: the keys start at {top:.0f}px, window {height}px")
    assert top < 2 * height, f"the keys start at {top:.0f}px, past {2 * height}px"
    # The measure can fail: the danger zone, last, starts further down than the keys.
    danger = page.locator("#danger-zone")
    bottom = danger.evaluate("el => el.getBoundingClientRect().top + window.scrollY")
    assert bottom > top
