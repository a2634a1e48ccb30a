"""The lasting navigation (dashboard.navigation): on every dashboard page, the current
project's sections and the account's pages, the page shown marked aria-current."""

import re

import pytest

from accounts.models import Role
from tests.factories import granted


@pytest.fixture
def customer(account, subproject):
    """An ASP's customer: a viewer granted the subproject alone."""
    return granted(subproject, Role.VIEWER)


def nav_links(response) -> dict[str, tuple[str, bool]]:
    """{label: (href, current)} of the page's navigation."""
    html = response.content.decode()
    nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S)
    assert nav, "the page has no navigation"
    found = re.findall(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>', nav.group(0))
    return {label: (href, bool(current)) for href, current, label in found}


def test_an_admin_reaches_every_section_from_the_landing_page(client_for, admin_user, project):
    client = client_for(admin_user)
    response = client.get("/", follow=True)
    assert response.request["PATH_INFO"] == f"/projects/{project.public_id}/subprojects/"
    links = nav_links(response)
    base = f"/projects/{project.public_id}/"
    assert links == {
        "Details": (base, False),
        "Subprojects": (f"{base}subprojects/", True),
        "Access keys": (f"{base}#access-keys", False),
        "Usage": (f"{base}usage/", False),
        "Billing": (f"{base}billing/", False),
        "Activity": (f"{base}activity/", False),
        "Settings": (f"{base}#settings", False),
        "Members": (f"/accounts/{project.account.public_id}/members/", False),
        "Profile": ("/accounts/profile/", False),
    }
    # Each one answers.
    for href, _ in links.values():
        assert client.get(href.split("#")[0]).status_code == 200, href


@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("usage/", "Usage"),
        ("billing/", "Billing"),
        ("activity/", "Activity"),
        ("", "Details"),
        ("keys/new/", "Access keys"),
        ("subprojects/removed/", "Subprojects"),
    ],
)
def test_the_page_shown_is_marked_current(client_for, admin_user, project, path, label):
    links = nav_links(client_for(admin_user).get(f"/projects/{project.public_id}/{path}"))
    assert [name for name, (_, current) in links.items() if current] == [label]


def test_account_pages_are_marked_current(client_for, admin_user, project):
    client = client_for(admin_user)
    client.get(f"/projects/{project.public_id}/")
    links = nav_links(client.get(f"/accounts/{project.account.public_id}/members/"))
    assert links["Members"][1] and not links["Subprojects"][1]
    assert nav_links(client.get("/accounts/profile/"))["Profile"][1]


def test_the_navigation_follows_the_page_s_project(client_for, admin_user, project, subproject):
    """A subproject's page: its own sections (no Subprojects), Billing for its parent's
    viewers."""
    client = client_for(admin_user)
    client.get(f"/projects/{project.public_id}/")
    links = nav_links(client.get(f"/projects/{subproject.public_id}/activity/"))
    assert "Subprojects" not in links
    assert links["Activity"] == (f"/projects/{subproject.public_id}/activity/", True)
    assert links["Usage"][0] == f"/projects/{subproject.public_id}/usage/"


def test_a_viewer_has_no_members_link(client_for, viewer, project):
    links = nav_links(client_for(viewer).get(f"/projects/{project.public_id}/subprojects/"))
    assert "Members" not in links
    assert {"Subprojects", "Access keys", "Usage", "Billing", "Activity", "Profile"} <= set(links)


def test_a_customer_login_sees_only_its_subproject_s_sections(client_for, customer, subproject):
    client = client_for(customer)
    response = client.get("/", follow=True)
    assert response.request["PATH_INFO"] == f"/projects/{subproject.public_id}/"
    links = nav_links(response)
    assert "Subprojects" not in links and "Billing" not in links and "Members" not in links
    for href, _ in links.values():
        assert client.get(href.split("#")[0]).status_code == 200, href


def test_a_page_without_a_project_still_has_the_account_links(client_for, outsider):
    links = nav_links(client_for(outsider).get("/accounts/profile/"))
    assert links["Profile"] == ("/accounts/profile/", True)
    assert "Details" not in links


def test_no_navigation_when_signed_out(client):
    assert b'class="site-nav"' not in client.get("/accounts/login/").content


def test_one_breadcrumb_style(client_for, admin_user, project, subproject, settings):
    """Breadcrumbs separate their steps with one sign, the right-pointing angle quote
    (not a middle dot or ">"; a subproject's `{Parent} > {Subproject}` title is a name,
    not a step), each step its own link (never one link over a separator)."""
    from projects import services
    from webhooks.services import endpoint_create

    key, _ = services.access_key_create(project=project, display_name="CI")
    settings.WEBHOOK_ALLOW_PRIVATE = True  # (an address that needs no name lookup)
    endpoint, _ = endpoint_create(project=project, url="http://127.0.0.1:9/hooks")
    hooks = f"/projects/{project.public_id}/webhooks/"
    client = client_for(admin_user)
    pages = [
        f"/projects/{subproject.public_id}/",
        f"/projects/{project.public_id}/subprojects/new/",
        f"/projects/{project.public_id}/keys/new/",
        f"/projects/{project.public_id}/keys/{key.key_id}/rotate/",
        f"/projects/{project.public_id}/keys/{key.key_id}/revoke/",
        f"/projects/{project.public_id}/billing/",
        f"/projects/{subproject.public_id}/billing/",
        f"/accounts/{project.account.public_id}/members/invite/",
        f"{hooks}new/",
        f"{hooks}{endpoint.public_id}/rotate/",
        f"{hooks}{endpoint.public_id}/delete/",
    ]
    for url in pages:
        html = client.get(url).content.decode()
        crumb = re.search(r'<p class="breadcrumb">(.*?)</p>', html, re.S)
        assert crumb, url
        text = re.sub(r"<[^>]+>", "", crumb.group(1)).replace(f"{project.name} &gt; ", "")
        assert "·" not in text and "&gt;" not in text and ":" not in text, (url, text)
        links = re.findall(r"<a [^>]*>(.*?)</a>", crumb.group(1), re.S)
        assert not [link for link in links if "\u203a" in link], (url, links)  # (the angle quote)
