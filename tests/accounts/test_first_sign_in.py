"""Signing in: the first project the user can see becomes current when there is none
(so the Projects menu has a ticked project from the start), and a first sign-in takes
the browser's time zone."""

from accounts.models import Role
from tests.factories import PASSWORD, GrantFactory, MembershipFactory, ProjectFactory


def sign_in(client, user, **extra):
    return client.post("/accounts/login/", {"username": user.email, "password": PASSWORD, **extra})


def test_an_admin_starts_on_the_oldest_top_level_project(client, admin_user, project, account):
    ProjectFactory(account=account, name="Newer")
    ProjectFactory(parent=project, name="A subproject")
    response = sign_in(client, admin_user)
    assert response.status_code == 302
    admin_user.refresh_from_db()
    assert admin_user.current_project_id == project.pk
    # The top bar names it; the menu's rows (read when it opens) tick it, first.
    body = client.get("/projects/").content.decode()
    assert '<span class="projects-menu-current"><bdi>Acme Production</bdi></span>' in body
    rows = client.get("/projects/menu/?partial=1").content.decode()
    assert rows.index('<li class="menu-row is-current">') < rows.index("Newer")


def test_a_customer_starts_on_their_one_subproject(client, account, project, subproject):
    ProjectFactory(account=account, name="Not theirs")
    customer = MembershipFactory(account=account, role=Role.VIEWER)
    GrantFactory(membership=customer, project=subproject)
    sign_in(client, customer.user)
    customer.user.refresh_from_db()
    assert customer.user.current_project_id == subproject.pk
    assert client.get("/")["Location"] == f"/projects/{subproject.public_id}/"


def test_a_member_starts_on_a_granted_project(client, member, project, account):
    ProjectFactory(account=account, name="Older but not granted")
    sign_in(client, member)
    member.refresh_from_db()
    assert member.current_project_id == project.pk


def test_a_current_project_still_visible_is_kept(client, admin_user, project, account):
    newer = ProjectFactory(account=account, name="Newer")
    admin_user.current_project = newer
    admin_user.save(update_fields=["current_project"])
    sign_in(client, admin_user)
    admin_user.refresh_from_db()
    assert admin_user.current_project_id == newer.pk


def test_a_current_project_gone_is_replaced(client, member, project, account):
    gone = ProjectFactory(parent=project, name="Removed since", removed=True)
    member.current_project = gone
    member.save(update_fields=["current_project"])
    sign_in(client, member)
    member.refresh_from_db()
    assert member.current_project_id == project.pk


def test_nothing_to_see_leaves_it_empty(client, db):
    user = MembershipFactory().user
    sign_in(client, user)
    user.refresh_from_db()
    assert user.current_project_id is None
    body = client.get("/projects/").content.decode()
    assert "Choose a project" in body


def test_the_first_sign_in_takes_the_browsers_time_zone(client, member):
    sign_in(client, member, browser_time_zone="America/Sao_Paulo")
    member.refresh_from_db()
    assert member.time_zone == "America/Sao_Paulo"


def test_later_sign_ins_never_change_it(client, member):
    sign_in(client, member, browser_time_zone="Asia/Tokyo")
    client.post("/accounts/logout/")
    sign_in(client, member, browser_time_zone="Europe/Paris")
    member.refresh_from_db()
    assert member.time_zone == "Asia/Tokyo"


def test_no_or_a_bad_zone_leaves_utc(client, member, admin_user):
    sign_in(client, member)  # without JavaScript: nothing sent
    member.refresh_from_db()
    assert member.time_zone == "UTC"
    client.post("/accounts/logout/")
    sign_in(client, admin_user, browser_time_zone="<script>")
    admin_user.refresh_from_db()
    assert admin_user.time_zone == "UTC"


def test_the_sign_in_page_carries_the_field(client, db):
    body = client.get("/accounts/login/").content.decode()
    assert '<input type="hidden" name="browser_time_zone" value="" data-browser-time-zone>' in body
