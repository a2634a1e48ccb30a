from django.utils.html import escape

from tests.factories import (
    NASTY_NAME,
    GrantFactory,
    MembershipFactory,
    ProjectFactory,
    bulk_projects,
)


def rows(response):
    return response.content.decode().count('<li class="menu-row')


def test_menu_is_in_the_top_bar_of_every_page(client_for, member, project):
    body = client_for(member).get("/projects/").content.decode()
    assert 'class="dropdown projects-menu"' in body
    assert "Search by name or Project ID" in body
    assert f"/projects/{project.public_id}/subprojects/" in body


def test_menu_lists_top_level_projects_with_options(client_for, admin_user, project, subproject):
    body = client_for(admin_user).get("/projects/menu/?partial=1").content.decode()
    assert "Acme Production" in body
    assert "Taco Time" not in body  # reached through its parent's Subprojects
    assert f'href="/projects/{project.public_id}/">Details</a>' in body
    assert f'href="/projects/{project.public_id}/subprojects/">Subprojects</a>' in body
    assert 'aria-label="Options for Acme Production"' in body


def test_current_project_is_first_with_a_tick(client_for, admin_user, project, account):
    ProjectFactory(account=account, name="AAA first by name")
    client = client_for(admin_user)
    client.get(f"/projects/{project.public_id}/")
    body = client.get("/projects/menu/?partial=1").content.decode()
    assert body.index("Acme Production") < body.index("AAA first by name")
    assert 'class="menu-row is-current"' in body
    assert "✓" in body and "(current project)" in body


def test_customer_granted_one_subproject_finds_it_in_the_menu(account, project, subproject):
    from django.test import Client

    customer = MembershipFactory(account=account, role="viewer")
    GrantFactory(membership=customer, project=subproject)
    client = Client()
    client.force_login(customer.user)
    body = client.get("/projects/menu/?partial=1").content.decode()
    assert "<bdi>Acme Production</bdi> &gt; <bdi>Taco Time</bdi>" in body and "Taco Time" in body


def test_search_by_name(client_for, admin_user, project, subproject, account):
    ProjectFactory(account=account, name="Other")
    body = client_for(admin_user).get("/projects/menu/?partial=1&q=taco").content.decode()
    assert "Taco Time" in body
    assert "Other" not in body


def test_search_by_full_or_partial_project_id(client_for, admin_user, project, subproject):
    client = client_for(admin_user)
    body = client.get(f"/projects/menu/?partial=1&q={subproject.public_id}").content.decode()
    assert "<bdi>Acme Production</bdi> &gt; <bdi>Taco Time</bdi>" in body
    assert (
        rows(client.get(f"/projects/menu/?partial=1&q=%20{subproject.public_id.lower()}%20")) == 1
    )


def test_search_without_match_says_so(client_for, admin_user, project):
    body = client_for(admin_user).get("/projects/menu/?partial=1&q=zzz").content.decode()
    assert "No project matches" in body


def test_menu_page_works_without_javascript(client_for, member, project):
    response = client_for(member).get("/projects/menu/?q=acme")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Projects menu</h1>" in body and "Acme Production" in body


def test_outsider_sees_nothing_of_ours(client_for, outsider, project, subproject):
    client = client_for(outsider)
    for q in ("", "acme", project.public_id, subproject.public_id):
        body = client.get(f"/projects/menu/?partial=1&q={q}").content.decode()
        assert "Acme" not in body and "Taco" not in body


def test_viewer_sees_no_write_controls(client_for, viewer, project):
    body = client_for(viewer).get("/projects/menu/?partial=1").content.decode()
    assert "Acme Production" in body
    assert '<form method="post"' not in body


def test_names_are_escaped(client_for, admin_user, account):
    ProjectFactory(account=account, name=NASTY_NAME)
    body = client_for(admin_user).get("/projects/menu/?partial=1").content.decode()
    assert "<script>alert" not in body
    assert escape(NASTY_NAME) in body


def test_menu_with_5000_projects_sends_20_rows_in_fixed_queries(
    client_for, admin_user, account, django_assert_num_queries
):
    bulk_projects(account, 5000)
    client = client_for(admin_user)
    # session, user, the menu's one query
    with django_assert_num_queries(3):
        response = client.get("/projects/menu/?partial=1")
    assert rows(response) == 20
    assert "Show all projects" in response.content.decode()
    with django_assert_num_queries(3):
        response = client.get("/projects/menu/?partial=1&q=Project%20499")
    assert rows(response) == 11  # Project 499, 4990..4999


def test_search_results_are_sorted_by_name_whatever_the_case(client_for, admin_user, account):
    client = client_for(admin_user)  # before the projects exist: none of them is current
    for name in ("Zeta shop", "acme shop", "Beta shop"):
        ProjectFactory(account=account, name=name)
    body = client.get("/projects/menu/?partial=1&q=shop").content.decode()
    assert body.index("acme shop") < body.index("Beta shop") < body.index("Zeta shop")


def test_search_lists_matches_by_name_with_the_current_one_ticked_in_place(
    client_for, admin_user, project, account
):
    ProjectFactory(account=account, name="AAA Acme first by name")
    client = client_for(admin_user)
    client.get(f"/projects/{project.public_id}/")  # "Acme Production" becomes current
    body = client.get("/projects/menu/?partial=1&q=acme").content.decode()
    assert body.index("AAA Acme first by name") < body.index("Acme Production")
    assert body.count('class="menu-row is-current"') == 1
    assert '<span class="visually-hidden"> (current project)</span>' in body


def test_search_rows_of_subprojects_escape_both_names_and_offer_their_options(
    client_for, admin_user, account
):
    parent = ProjectFactory(account=account, name=f"{NASTY_NAME} parent")
    child = ProjectFactory(account=account, parent=parent, name=f"{NASTY_NAME} child")
    body = client_for(admin_user).get("/projects/menu/?partial=1&q=child").content.decode()
    assert "<script>alert" not in body
    assert f"<bdi>{escape(parent.name)}</bdi> &gt; <bdi>{escape(child.name)}</bdi>" in body
    assert f'aria-label="Options for {escape(child.name)}"' in body
    # A subproject opens on its details and has no Subprojects or Billing of its own.
    assert f'<a class="menu-row-link" href="/projects/{child.public_id}/">' in body
    assert f'href="/projects/{child.public_id}/usage/">Usage</a>' in body
    assert "Subprojects</a>" not in body and "Billing</a>" not in body


def test_search_takes_the_text_literally_in_any_letter_case(client_for, admin_user, account):
    ProjectFactory(account=account, name="Promo 50% off_now")
    ProjectFactory(account=account, name="Promo 500 offXnow")
    client = client_for(admin_user)
    for q, found in [("50%25", 1), ("F_N", 1), ("PROMO", 2), ("promo 5", 2), ("%25", 1)]:
        assert rows(client.get(f"/projects/menu/?partial=1&q={q}")) == found, q
