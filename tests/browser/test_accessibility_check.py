"""The browser tests' accessibility check can fail: axe-core finds what it should."""

import pytest

from tests.browser.checks import check_screen

pytestmark = pytest.mark.browser


def test_a_serious_violation_fails_the_check(sign_in, live_server, member, project):
    page = sign_in(member)
    page.goto(f"{live_server.url}/projects/")
    check_screen(page, "the Projects page as sent")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend',"
        " '<button type=button><svg></svg></button>')"
    )
    with pytest.raises(AssertionError, match="button-name"):
        check_screen(page, "with a button without a name")


def test_sideways_scrolling_fails_the_check(sign_in, live_server, member, project):
    page = sign_in(member)
    page.goto(f"{live_server.url}/projects/")
    page.evaluate(  # (a style attribute would be refused by the page's CSP)
        "() => { const wide = document.createElement('div'); wide.style.width = '3000px';"
        " wide.textContent = 'wide';"
        " document.querySelector('main').append(wide); }"
    )
    with pytest.raises(AssertionError, match="scrolls sideways"):
        check_screen(page, "too wide")
