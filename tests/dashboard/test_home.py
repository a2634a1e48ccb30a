from tests.factories import ProjectFactory


def test_home_without_any_project_goes_to_projects_page(client_for, db):
    from tests.factories import MembershipFactory

    user = MembershipFactory().user  # a member granted nothing yet
    response = client_for(user).get("/")
    assert response.status_code == 302
    assert response["Location"] == "/projects/"


def test_home_without_current_project_makes_the_first_one_current(client_for, member, project):
    client = client_for(member)
    member.current_project = None  # e.g. granted since signing in
    member.save(update_fields=["current_project"])
    assert client.get("/")["Location"] == f"/projects/{project.public_id}/subprojects/"
    member.refresh_from_db()
    assert member.current_project_id == project.pk


def test_home_lands_on_the_current_projects_subprojects(client_for, member, project):
    client = client_for(member)
    client.get(f"/projects/{project.public_id}/")
    member.refresh_from_db()
    assert member.current_project_id == project.pk
    response = client.get("/")
    assert response["Location"] == f"/projects/{project.public_id}/subprojects/"


def test_home_lands_on_a_current_subprojects_details(client_for, member, subproject):
    client = client_for(member)
    client.get(f"/projects/{subproject.public_id}/")
    assert client.get("/")["Location"] == f"/projects/{subproject.public_id}/"


def test_home_replaces_a_current_project_no_longer_visible(client_for, member, account, project):
    client = client_for(member)
    other = ProjectFactory(account=account)
    member.current_project = other  # e.g. the grant was withdrawn since
    member.save()
    assert client.get("/")["Location"] == f"/projects/{project.public_id}/subprojects/"
    member.refresh_from_db()
    assert member.current_project_id == project.pk


def test_visiting_the_same_project_again_writes_nothing(
    client_for, member, project, django_assert_num_queries
):
    client = client_for(member)
    client.get(f"/projects/{project.public_id}/")
    # session, user, project, access keys: no UPDATE of the current project
    with django_assert_num_queries(4):
        client.get(f"/projects/{project.public_id}/")
