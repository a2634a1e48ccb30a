"""The browser tests' accessibility check can fail: axe-core finds what it should."""

import pytest

from tests.browser.checks import check_screen, screen_problems

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


def test_an_unlabelled_input_fails_the_check(sign_in, live_server, member, project):
    page = sign_in(member)
    page.goto(f"{live_server.url}/projects/{project.public_id}/")
    assert screen_problems(page, "the project page as sent") == []
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=text>')"
    )
    (problem,) = screen_problems(page, "with an unlabelled input")
    assert "'id': 'label'" in problem and "'impact': 'critical'" in problem


_NARROW_TABLE = """(word) => {
  const table = document.createElement('table');
  const cell = table.insertRow().insertCell();
  cell.style.width = '40px'; cell.style.maxWidth = '40px'; cell.textContent = word;
  table.style.tableLayout = 'fixed'; table.style.width = '40px';
  document.querySelector('main').append(table);
}"""


def test_a_word_wider_than_its_cell_fails_the_check(sign_in, live_server, member, project):
    page = sign_in(member)
    page.goto(f"{live_server.url}/projects/")
    page.evaluate(_NARROW_TABLE, "Supercalifragilistic")
    (problem,) = screen_problems(page, "narrow")
    assert "table cells wider than their column: ['Supercalifragilistic']" in problem


def test_an_email_broken_across_lines_fails_on_a_laptop(sign_in, live_server, member, project):
    page = sign_in(member)
    page.goto(f"{live_server.url}/projects/")
    page.evaluate(
        """() => { const table = document.createElement('table');
        const bdi = document.createElement('bdi'); bdi.textContent = 'someone@example.com';
        table.insertRow().insertCell().append(bdi); bdi.style.display = 'inline-block';
        bdi.style.width = '4em'; bdi.style.overflowWrap = 'anywhere';
        document.querySelector('main').append(table); }"""
    )
    problems = screen_problems(page, "broken")
    assert any("IDs or emails broken across lines: ['someone@example.com']" in p for p in problems)


class _Answer:
    def __init__(self, status):
        self.status = status


class _Page:
    def __init__(self, url):
        self.url = url


def test_the_matrix_reports_a_screen_not_refused_as_it_must_be():
    from tests.browser.test_every_screen_matrix import NOT_FOUND, SIGN_IN, _refusal

    assert _refusal(_Page("http://t/x/"), _Answer(404), NOT_FOUND) == ""
    assert _refusal(_Page("http://t/x/"), _Answer(200), NOT_FOUND) == "answered 200, not 404"
    assert _refusal(_Page("http://t/accounts/login/?next=/x/"), _Answer(200), SIGN_IN) == ""
    assert "not sent to sign in" in _refusal(_Page("http://t/x/"), _Answer(200), SIGN_IN)
