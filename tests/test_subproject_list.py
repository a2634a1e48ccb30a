from django.utils.html import escape

from tests.factories import NASTY_NAME, ProjectFactory, bulk_subprojects


def url(project):
    return f"/projects/{project.public_id}/subprojects/"


def test_lists_subprojects_newest_first_with_id_and_date(client_for, member, project, subproject):
    newer = ProjectFactory(parent=project, name="Newer customer")
    ProjectFactory(parent=project, name="Gone", removed=True)
    response = client_for(member).get(url(project))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Subprojects</h1>" in body
    assert body.index("Newer customer") < body.index("Taco Time")
    assert newer.public_id in body and subproject.public_id in body
    assert subproject.created_at.strftime("%-d %b %Y, %H:%M") in body
    assert "Gone" not in body
    assert "CREATE SUBPROJECT" in body


def test_dates_are_in_the_users_time_zone(client_for, member, project):
    from datetime import UTC, datetime

    from projects.models import Project

    sub = ProjectFactory(parent=project, name="Late")
    Project.objects.filter(pk=sub.pk).update(created_at=datetime(2026, 1, 1, 23, 30, tzinfo=UTC))
    member.time_zone = "Asia/Tokyo"
    member.save()
    body = client_for(member).get(url(project)).content.decode()
    assert "2 Jan 2026, 08:30" in body  # date and time: "newest first" shows


def test_empty_state_explains_subprojects(client_for, member, project):
    body = client_for(member).get(url(project)).content.decode()
    assert "No subprojects yet" in body
    assert "one of your own customers" in body


def test_filter_by_name_or_id(client_for, member, project, subproject):
    other = ProjectFactory(parent=project, name="Other customer")
    client = client_for(member)
    body = client.get(url(project) + "?q=taco").content.decode()
    assert "Taco Time" in body and "Other customer" not in body
    body = client.get(url(project) + f"?q={other.public_id}").content.decode()
    assert "Other customer" in body and "Taco Time" not in body
    assert "No subproject matches" in client.get(url(project) + "?q=zzz").content.decode()


def test_outsider_gets_404(client_for, outsider, project):
    assert client_for(outsider).get(url(project)).status_code == 404


def test_unknown_or_malformed_id_gets_404(client_for, admin_user):
    client = client_for(admin_user)
    assert client.get("/projects/01ARZ3NDEKTSV4RRFFQ69G5FAV/subprojects/").status_code == 404
    assert client.get("/projects/nope/subprojects/").status_code == 404


def test_viewer_sees_no_create_button(client_for, viewer, project, subproject):
    body = client_for(viewer).get(url(project)).content.decode()
    assert "Taco Time" in body
    assert "CREATE SUBPROJECT" not in body
    assert "<dialog" not in body


def test_a_subprojects_page_has_no_list_and_says_why(client_for, member, subproject):
    body = client_for(member).get(url(subproject)).content.decode()
    assert "is itself a subproject" in body
    assert "CREATE SUBPROJECT" not in body


def test_visiting_makes_it_the_current_project(client_for, member, project):
    client_for(member).get(url(project))
    member.refresh_from_db()
    assert member.current_project_id == project.pk


def test_names_are_escaped(client_for, member, project):
    ProjectFactory(parent=project, name=NASTY_NAME)
    body = client_for(member).get(url(project)).content.decode()
    assert "<script>alert" not in body
    assert escape(NASTY_NAME) in body


def test_10000_subprojects_fixed_queries(client_for, member, project, django_assert_num_queries):
    bulk_subprojects(project, 10_000)
    client = client_for(member)
    client.get(url(project))  # becomes the current project
    # session, user, project, count, page of 50, menu
    with django_assert_num_queries(6):
        response = client.get(url(project) + "?page=2")
    body = response.content.decode()
    assert body.count("<tr") == 51
    assert "Page 2 of 200" in body
    with django_assert_num_queries(6):
        client.get(url(project) + "?q=Customer%20999")
