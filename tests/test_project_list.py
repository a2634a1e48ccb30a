from django.utils.html import escape

from tests.factories import NASTY_NAME, ProjectFactory, bulk_projects


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
    # session, user, count, page, menu
    with django_assert_num_queries(5):
        response = client.get("/projects/?page=3")
    body = response.content.decode()
    assert body.count("<tr") == 51  # header + 50
    assert "Page 3 of 100" in body


def test_operator_without_projects_is_pointed_to_the_admin(client_for, operator):
    from django.conf import settings

    body = client_for(operator).get("/projects/").content.decode()
    admin = f'href="/{settings.ADMIN_URL}"'
    assert f"{admin}>admin site</a>" in body  # the empty state
    assert f"{admin}>Admin</a>" in body  # the top bar
    assert "Ask an admin" not in body


def test_others_get_no_admin_link(client_for, db):
    from django.conf import settings

    from tests.factories import UserFactory

    body = client_for(UserFactory()).get("/projects/").content.decode()
    assert f'href="/{settings.ADMIN_URL}"' not in body
    assert "Ask an admin of your account" in body
