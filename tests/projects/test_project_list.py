from django.utils.html import escape

from tests.factories import NASTY_NAME, ProjectFactory, bulk_projects
from tests.support.pages import link


def test_member_sees_granted_projects_only(client_for, member, project, account):
    ProjectFactory(account=account, name="Hidden from member")
    body = client_for(member).get("/projects/").content.decode()
    assert "Acme Production" in body
    assert "Hidden from member" not in body
    assert f"/projects/{project.public_id}/subprojects/" in body


def test_outsider_sees_none(client_for, outsider, project):
    body = client_for(outsider).get("/projects/").content.decode()
    assert "Acme Production" not in body
    assert "You have no projects yet" in body


def test_viewer_sees_the_list_without_write_controls(client_for, viewer, project):
    body = client_for(viewer).get("/projects/").content.decode()
    assert "Acme Production" in body
    assert "CREATE SUBPROJECT" not in body


def main(response):
    """The page itself, without the top bar (whose menu lists projects too)."""
    return response.content.decode().split('<main id="main"')[1]


def test_total_and_sort_by_name_or_creation(client_for, admin_user, project, account):
    ProjectFactory(account=account, name="beta")
    ProjectFactory(account=account, name="Zulu")
    client = client_for(admin_user)
    body = main(client.get("/projects/"))
    assert "<strong>3 projects</strong>" in body
    assert body.index("Acme Production") < body.index("beta") < body.index("Zulu")
    body = main(client.get("/projects/?sort=-name"))
    assert body.index("Zulu") < body.index("beta") < body.index("Acme Production")
    body = main(client.get("/projects/?sort=-created"))
    assert body.index("Zulu") < body.index("beta") < body.index("Acme Production")
    body = main(client.get("/projects/?sort=created"))
    assert body.index("Acme Production") < body.index("beta") < body.index("Zulu")


def test_an_unknown_sort_is_refused_with_a_message(client_for, admin_user, project):
    response = client_for(admin_user).get("/projects/?sort=secret")
    assert response.status_code == 400
    assert "cannot be sorted that way" in response.content.decode()
    assert "Acme Production" in main(response)


def test_search_by_name_or_id(client_for, admin_user, project, account):
    ProjectFactory(account=account, name="Other")
    client = client_for(admin_user)
    body = main(client.get("/projects/?q=acme"))
    assert "Acme Production" in body and "Other" not in body
    body = main(client.get(f"/projects/?q={project.public_id}"))
    assert "Acme Production" in body and "Other" not in body
    assert "No project matches" in client.get("/projects/?q=nothing").content.decode()


def test_names_are_escaped(client_for, admin_user, account):
    ProjectFactory(account=account, name=NASTY_NAME)
    body = client_for(admin_user).get("/projects/").content.decode()
    assert "<script>alert" not in body
    assert escape(NASTY_NAME) in body


def test_5000_projects_in_pages_of_50_with_fixed_queries(
    client_for, admin_user, account, django_assert_num_queries
):
    bulk_projects(account, 5000)
    client = client_for(admin_user)
    # session, user, count, page, menu: on every page, in every sort
    with django_assert_num_queries(5):
        body = client.get("/projects/?sort=-created").content.decode()
    assert "<strong>5,000 projects</strong>" in body
    for _ in range(2):
        with django_assert_num_queries(5):
            body = client.get(link(body, "Next")).content.decode()
    assert body.count("<tr") == 51  # header + 50
    assert "101\u2013150 of 5,000 projects" in body
    with django_assert_num_queries(5):
        body = client.get(link(body, "Last")).content.decode()
    assert "4,951\u20135,000 of 5,000 projects" in body and link(body, "Next") is None


def test_operator_without_projects_is_pointed_to_the_admin(client_for, operator):
    from django.conf import settings

    body = client_for(operator).get("/projects/").content.decode()
    admin = f'href="/{settings.ADMIN_URL}"'
    assert f"{admin}>admin site</a>" in body  # the empty state
    assert f'role="menuitem" {admin}>Admin site</a>' in body  # the user menu
    assert "Ask an admin" not in body


def test_others_get_no_admin_link(client_for, db):
    from django.conf import settings

    from tests.factories import UserFactory

    body = client_for(UserFactory()).get("/projects/").content.decode()
    assert f'href="/{settings.ADMIN_URL}"' not in body
    assert "Ask an admin of your account" in body


def test_download_csv_of_the_filtered_list(client_for, member, project, subproject, account):
    from tests.support.pages import csv_rows

    ProjectFactory(account=account, name="Hidden from member")
    exported = csv_rows(client_for(member).get("/projects.csv?q=acme"))
    assert [(r["name"], r["project_id"], r["account"]) for r in exported] == [
        ("Acme Production", project.public_id, "Acme Messaging")
    ]
    assert (
        'href="/projects.csv?q=acme" download'
        in client_for(member).get("/projects/?q=acme").content.decode()
    )
