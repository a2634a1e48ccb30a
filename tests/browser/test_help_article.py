"""The seed help article, step by step, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from projects.models import Project
from tests.browser.checks import check_screen
from tests.factories import GrantFactory, MembershipFactory, ProjectFactory

pytestmark = pytest.mark.browser


def build_account():
    """The demo data of the article: an ASP's project with three customers."""
    account_admin = MembershipFactory(role=Role.ADMIN, account__name="Acme Messaging")
    account = account_admin.account
    production = ProjectFactory(account=account, name="Acme Messaging Production")
    ProjectFactory(account=account, name="Acme Messaging Staging")
    for name in ("Not Yo Momma's Cookin'", "Newfangled Sassy Actuaries"):
        ProjectFactory(parent=production, name=name)
    return account_admin.user, production


def test_follow_the_help_article(sign_in, live_server, screenshot):
    user, production = build_account()
    page = sign_in(user)
    page.goto(live_server.url + f"/projects/{production.public_id}/")  # becomes current
    page.goto(live_server.url + "/")

    # 1. Click the Projects menu in the top bar: a list of your projects, with search.
    page.get_by_text("Projects", exact=True).first.click()
    menu = page.locator(".projects-menu-panel")
    expect(menu).to_be_visible()
    expect(menu.get_by_role("link", name=re.compile("Acme Messaging Staging"))).to_be_visible()
    search = menu.get_by_role("searchbox", name="Search projects by name or Project ID")
    expect(search).to_be_focused()
    search.fill("staging")
    expect(menu.locator("li.menu-row")).to_have_count(1)
    expect(menu.locator("li.menu-row")).to_contain_text("Acme Messaging Staging")
    # ... or the project ID: a pasted full ID finds its project at once.
    search.fill(production.public_id)
    expect(menu.locator("li.menu-row")).to_have_count(1)
    expect(menu.locator("li.menu-row")).to_contain_text("Acme Messaging Production")
    search.fill("")
    expect(menu.locator("li.menu-row")).to_have_count(2)

    # 2. The current project is highlighted with a tick; its options icon shows the
    # details for the project and Subprojects.
    current = menu.locator("li.menu-row.is-current")
    expect(current).to_contain_text("Acme Messaging Production")
    expect(current.locator(".tick")).to_have_text("✓")
    current.get_by_label("Options for Acme Messaging Production").click()
    expect(current.get_by_role("menuitem", name="Details")).to_be_visible()
    screenshot(page, "1-projects-menu")
    check_screen(page, "1-projects-menu")
    current.get_by_role("menuitem", name="Subprojects").click()

    # 3. The Subprojects page: name, Project ID and creation date of each subproject.
    expect(page.get_by_role("heading", name="Subprojects", level=1)).to_be_visible()
    table = page.locator("table.subprojects")
    expect(table.locator("thead")).to_contain_text("Name")
    expect(table.locator("thead")).to_contain_text("Project ID")
    expect(table.locator("thead")).to_contain_text("Created")
    expect(table.locator("tbody tr")).to_have_count(2)
    screenshot(page, "2-subprojects-page")
    check_screen(page, "2-subprojects-page")

    # Creating subprojects: CREATE SUBPROJECT opens the Create subproject dialog.
    page.get_by_role("link", name="CREATE SUBPROJECT").click()
    dialog = page.get_by_role("dialog", name="Create subproject")
    expect(dialog).to_be_visible()
    name = dialog.get_by_label("Name", exact=True)
    expect(name).to_be_focused()
    # A name the server refuses: the error shows in the dialog, the typed text kept.
    name.fill("   ")
    dialog.get_by_role("button", name="CREATE").click()
    dialog = page.get_by_role("dialog", name="Create subproject")
    expect(dialog).to_contain_text("Name cannot be empty.")
    dialog.get_by_label("Name", exact=True).fill("Taco Time")
    screenshot(page, "3-create-subproject-dialog")
    check_screen(page, "3-create-subproject-dialog")
    # A double click on CREATE makes one subproject.
    dialog.get_by_role("button", name="CREATE").dblclick()

    # The new subproject is at the top of the list, highlighted, with the note.
    expect(page.locator(".messages")).to_contain_text("Subproject “Taco Time” created.")
    first_row = page.locator("table.subprojects tbody tr").first
    expect(first_row).to_contain_text("Taco Time")
    expect(first_row).to_have_class("is-new")
    expect(first_row).to_contain_text("create a corresponding Service API")
    expect(page.locator("table.subprojects tbody tr")).to_have_count(3)
    assert Project.objects.filter(name="Taco Time").count() == 1
    screenshot(page, "4-created-subproject")
    check_screen(page, "4-created-subproject")

    # Viewing subproject details: from the options icon of the project menu.
    taco = Project.objects.get(name="Taco Time")
    page.get_by_text("Projects", exact=True).first.click()
    page.locator(".projects-menu-panel").get_by_role("searchbox").fill("taco")
    row = page.locator(".projects-menu-panel li.menu-row")
    expect(row).to_have_count(1)
    row.get_by_label("Options for Taco Time").click()
    row.get_by_role("menuitem", name="Details").click()
    title = page.locator("h1")
    expect(title).to_have_text("Acme Messaging Production > Taco Time")

    # The Project ID, with a copy icon that puts it on the clipboard.
    expect(page.locator("[data-project-id]")).to_have_text(taco.public_id)
    page.get_by_role("button", name=f"Copy Project ID {taco.public_id}").click()
    expect(page.locator(".copy-status")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == taco.public_id
    expect(page.get_by_role("heading", name="General settings")).to_be_visible()
    expect(page.get_by_role("heading", name="Access keys")).to_be_visible()
    screenshot(page, "5-details-panel")
    check_screen(page, "5-details-panel")

    # General settings: change the subproject name.
    page.get_by_label("Name", exact=True).fill("Taco Time West")
    page.get_by_role("button", name="Rename").click()
    expect(page.locator(".messages")).to_contain_text("Renamed to “Taco Time West”.")
    expect(title).to_have_text("Acme Messaging Production > Taco Time West")


def test_escape_closes_menus_and_keeps_focus(sign_in, live_server):
    user, _production = build_account()
    page = sign_in(user)
    page.goto(live_server.url + "/projects/")
    summary = page.locator(".projects-menu-button")
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".projects-menu-panel")).to_be_visible()
    expect(page.locator("#projects-menu-q")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator(".projects-menu-panel")).to_be_hidden()
    expect(summary).to_be_focused()
    # Clicking elsewhere closes it too.
    summary.click()
    expect(page.locator(".projects-menu-panel")).to_be_visible()
    page.mouse.click(1400, 850)  # elsewhere: far from the menu
    expect(page.locator(".projects-menu-panel")).to_be_hidden()


def test_keyboard_only_creation(sign_in, live_server):
    user, production = build_account()
    page = sign_in(user)
    page.goto(live_server.url + f"/projects/{production.public_id}/subprojects/")
    opener = page.get_by_role("link", name="CREATE SUBPROJECT")
    opener.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Create subproject")
    expect(dialog.get_by_label("Name", exact=True)).to_be_focused()
    # Escape closes the dialog and gives focus back to the button that opened it.
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog.get_by_label("Name", exact=True)).to_be_focused()
    page.keyboard.type("Keyboard customer")
    page.keyboard.press("Enter")
    new_row = page.locator("table.subprojects tbody tr").first
    expect(new_row).to_contain_text("Keyboard customer")
    # Focus lands on the new row, not on <body>: the keyboard goes on from there.
    expect(new_row).to_be_focused()
    page.keyboard.press("Tab")
    expect(new_row.get_by_role("checkbox", name="Select Keyboard customer")).to_be_focused()
    page.keyboard.press("Tab")
    expect(new_row.get_by_role("link", name="Keyboard customer", exact=True)).to_be_focused()
    assert Project.objects.filter(name="Keyboard customer", parent=production).count() == 1


def test_without_javascript(browser, live_server, sign_in):
    user, production = build_account()
    context = browser.new_context(java_script_enabled=False)
    try:
        page = sign_in(user, ctx=context)
        page.goto(live_server.url + f"/projects/{production.public_id}/subprojects/")
        # The menu is a native <details>: it opens and its search is a plain GET form.
        page.locator(".projects-menu-button").click()
        search = page.locator("#projects-menu-q")
        search.fill("staging")
        search.press("Enter")
        expect(page.get_by_role("heading", name="Projects menu")).to_be_visible()
        expect(page.locator("main li.menu-row")).to_have_count(1)
        page.go_back()
        # CREATE SUBPROJECT leads to a page with the same form.
        page.get_by_role("link", name="CREATE SUBPROJECT").click()
        expect(page.get_by_role("heading", name="Create subproject")).to_be_visible()
        page.get_by_label("Name", exact=True).fill("No script customer")
        page.get_by_role("button", name="CREATE").click()
        first_row = page.locator("table.subprojects tbody tr").first
        expect(first_row).to_contain_text("No script customer")
        expect(first_row).to_contain_text("create a corresponding Service API")
    finally:
        context.close()


def test_a_viewer_has_no_create_button(sign_in, live_server):
    _user, production = build_account()
    viewer = MembershipFactory(account=production.account, role=Role.VIEWER)
    GrantFactory(membership=viewer, project=production)
    page = sign_in(viewer.user)
    page.goto(live_server.url + f"/projects/{production.public_id}/subprojects/")
    expect(page.locator("table.subprojects tbody tr")).to_have_count(2)
    expect(page.get_by_role("link", name="CREATE SUBPROJECT")).to_have_count(0)
