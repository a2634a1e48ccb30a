"""A subproject's details page: the Service API step, access keys explained and rotated,
the labels editor; and the profile's time zone. At both widths."""

import re

import pytest
from playwright.sync_api import expect

from projects import services
from projects.models import AccessKey, Project
from tests.browser.checks import check_screen
from tests.browser.conftest import BOTH_WIDTHS, PHONE

pytestmark = pytest.mark.browser


@BOTH_WIDTHS
def test_the_service_api_step_until_dismissed(sign_in, live_server, member, subproject, viewport):
    page = sign_in(member)
    page.goto(f"{live_server.url}/projects/{subproject.public_id}/")
    reminder = page.get_by_role("region", name="Next step: create a Service API")
    expect(reminder).to_be_visible()
    link = reminder.get_by_role("link", name=re.compile("Create a Service API"))
    expect(link).to_have_attribute("href", "https://dashboard.sinch.com/sms/api/services")
    check_screen(page, "details with the Service API step")
    reminder.get_by_role("button", name="Done, hide this").click()
    expect(page.get_by_role("heading", name="General settings")).to_be_visible()
    expect(reminder).to_have_count(0)
    page.reload()
    expect(reminder).to_have_count(0)


@BOTH_WIDTHS
def test_access_keys_explained_and_rotated(
    sign_in, live_server, member, project, subproject, viewport, screenshot
):
    services.access_key_create(project=subproject, display_name="Billing")
    page = sign_in(member)
    page.goto(f"{live_server.url}/projects/{subproject.public_id}/")
    section = page.locator("#access-keys")
    expect(section).to_contain_text("Keys created here reach this subproject only.")
    expect(section).to_contain_text("Keys of its parent project, Acme Production, reach it too.")
    section.get_by_role("link", name="Rotate access key Billing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rotate access key “Billing”")
    check_screen(page, "rotate page")
    page.get_by_role("button", name="Create the new key").click()
    expect(page.locator("[data-key-secret]")).to_have_text(re.compile(r"^csk_"))
    expect(page.get_by_text("still works")).to_be_visible()
    check_screen(page, "rotated key, secret shown once")
    if viewport != PHONE:
        screenshot(page, "10-access-key-rotated")
    page.get_by_role("link", name="Back to access keys").click()
    rows = section.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Replaced by")
    expect(rows.nth(1)).to_contain_text("Replaces “Billing”")
    expect(section.locator("td[data-label='Last used']")).to_have_count(2)
    check_screen(page, "both keys listed")
    if viewport == PHONE:
        screenshot(page, "5-details-panel-phone")
    section.get_by_role("link", name="Learn more about access keys").click()
    expect(page.get_by_role("heading", name="About access keys")).to_be_visible()
    check_screen(page, "about access keys")
    assert AccessKey.objects.active().count() == 2


@BOTH_WIDTHS
def test_the_labels_editor(sign_in, live_server, member, subproject, viewport, screenshot):
    Project.objects.filter(pk=subproject.pk).update(labels={"region": "EU"})
    page = sign_in(member)
    page.goto(f"{live_server.url}/projects/{subproject.public_id}/")
    editor = page.get_by_role("group", name="Labels")
    expect(editor).to_be_visible()
    expect(page.locator("textarea[name=labels]")).to_be_hidden()  # the no-JS text box
    names, values = editor.get_by_label("Label name"), editor.get_by_label("Label value")
    expect(names).to_have_count(2)  # region, and an empty row
    names.nth(1).fill("tier")
    values.nth(1).fill("gold")
    editor.get_by_role("button", name="Add label").click()
    expect(names.nth(2)).to_be_focused()
    names.nth(2).fill("region")  # twice: refused, on that row
    values.nth(2).fill("US")
    page.get_by_role("button", name="Save labels").click()
    expect(editor).to_contain_text("Some labels need a fix")
    bad_row = editor.locator("li.label-row.has-error")
    expect(bad_row).to_have_count(1)
    expect(bad_row).to_contain_text("The label “region” appears twice")
    expect(bad_row.get_by_label("Label name")).to_have_attribute("aria-invalid", "true")
    check_screen(page, "labels editor with an error")
    if viewport != PHONE:
        page.evaluate("document.querySelector('.labels-editor').scrollIntoView({block: 'center'})")
        screenshot(page, "11-labels-editor")
    bad_row.get_by_role("button", name="Remove this label").click()
    page.get_by_role("button", name="Save labels").click()
    expect(page.locator(".messages")).to_contain_text("Labels saved.")
    assert Project.objects.get(pk=subproject.pk).labels == {"region": "EU", "tier": "gold"}


@BOTH_WIDTHS
def test_choosing_a_time_zone(sign_in, live_server, member, subproject, viewport):
    page = sign_in(member)
    page.goto(f"{live_server.url}/accounts/profile/")
    check_screen(page, "profile")
    page.get_by_label("Time zone").fill("Asia/Tokyo")
    page.get_by_role("button", name="Save time zone").click()
    expect(page.locator(".messages")).to_contain_text("Times are now shown in Asia/Tokyo.")
    page.goto(f"{live_server.url}/projects/{subproject.public_id}/")
    expect(page.get_by_text(re.compile(r"Created .* JST"))).to_be_visible()
