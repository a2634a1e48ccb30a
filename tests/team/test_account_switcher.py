"""A user of two accounts sees one at a time: every dashboard page is scoped to their
current account, and the top bar's switcher changes it (both ways tested)."""

import pytest
from django.test import Client

from accounts.models import Role, User
from tests.factories import GrantFactory, MembershipFactory, ProjectFactory, UserFactory


@pytest.fixture
def two_accounts(account, project, subproject, other_account, other_project):
    """A consultant: admin of Acme Messaging, viewer of Globex's main project."""
    user = UserFactory(email="consultant@example.com")
    MembershipFactory(account=account, user=user, role=Role.ADMIN)
    globex = MembershipFactory(account=other_account, user=user, role=Role.VIEWER)
    GrantFactory(membership=globex, project=other_project)
    ProjectFactory(parent=other_project, name="Globex Customer")
    return User.objects.get(pk=user.pk)


def dashboard_pages(project):
    """The pages that show projects, for a project of the account."""
    return [
        "/",
        "/projects/",
        "/projects/menu/",
        "/projects/menu/?partial=1&q=o",
        f"/projects/{project.public_id}/",
        f"/projects/{project.public_id}/subprojects/",
        f"/projects/{project.public_id}/activity/",
    ]


def text_of(client, url) -> str:
    response = client.get(url, follow=True)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def sees(client, names) -> set:
    found = set()
    for url in ("/projects/", "/projects/menu/", "/projects/?q=o", "/projects/menu/?q=Customer"):
        body = text_of(client, url)
        found |= {name for name in names if name in body}
    return found


NAMES = {"Acme Production", "Taco Time", "Globex Main", "Globex Customer"}


def test_in_one_account_the_other_ones_projects_are_not_there(
    client, two_accounts, project, other_project
):
    client.force_login(two_accounts)
    assert sees(client, NAMES) == {"Acme Production", "Taco Time"}
    for url in dashboard_pages(other_project)[4:]:
        assert client.get(url).status_code == 404, url


def test_switching_shows_the_other_account_only(client, two_accounts, project, other_account):
    client.force_login(two_accounts)
    response = client.post("/accounts/switch/", {"account": other_account.public_id})
    assert response.status_code == 302 and response["Location"] == "/"
    assert "You are now in Globex." in text_of(client, "/")
    assert sees(client, NAMES) == {"Globex Main", "Globex Customer"}
    for url in dashboard_pages(project)[4:]:
        assert client.get(url).status_code == 404, url
    # And back.
    client.post(
        "/accounts/switch/",
        {"account": two_accounts.memberships.get(role="admin").account.public_id},
    )
    assert sees(client, NAMES) == {"Acme Production", "Taco Time"}


def test_the_account_is_remembered_on_the_user_on_every_device(
    two_accounts, other_account, other_project
):
    laptop, phone = Client(), Client()
    laptop.force_login(two_accounts)
    phone.force_login(two_accounts)
    laptop.post("/accounts/switch/", {"account": other_account.public_id})
    assert phone.get(f"/projects/{other_project.public_id}/").status_code == 200


def test_switching_forgets_the_other_accounts_current_project(
    client, two_accounts, project, other_account, other_project
):
    client.force_login(two_accounts)
    client.get(f"/projects/{project.public_id}/")
    client.post("/accounts/switch/", {"account": other_account.public_id})
    two_accounts.refresh_from_db()
    assert (two_accounts.current_account, two_accounts.current_project) == (other_account, None)
    # The dashboard then opens on the first project this account shows them (issue 13).
    assert client.get("/")["Location"] == f"/projects/{other_project.public_id}/subprojects/"


def test_only_ones_own_accounts_can_be_switched_to(client, two_accounts, db):
    from tests.factories import AccountFactory

    stranger = AccountFactory(name="Initech")
    client.force_login(two_accounts)
    assert client.post("/accounts/switch/", {"account": stranger.public_id}).status_code == 404
    assert client.post("/accounts/switch/", {"account": "nonsense"}).status_code == 404
    assert client.get("/accounts/switch/").status_code == 405
    assert User.objects.get(pk=two_accounts.pk).current_account.name == "Acme Messaging"


def test_switching_needs_csrf(two_accounts, other_account):
    client = Client(enforce_csrf_checks=True)
    client.force_login(two_accounts)
    assert client.post("/accounts/switch/", {"account": other_account.public_id}).status_code == 403


def test_the_top_bar_offers_the_other_accounts_and_the_members_page(
    client, two_accounts, account, other_account
):
    client.force_login(two_accounts)
    body = text_of(client, "/projects/")
    assert 'class="dropdown account-switcher"' in body
    assert f'value="{other_account.public_id}"' in body and "<bdi>Globex</bdi>" in body
    assert f'href="/accounts/{account.public_id}/members/"' in body  # admin here
    client.post("/accounts/switch/", {"account": other_account.public_id})
    body = text_of(client, "/projects/")
    assert f'href="/accounts/{other_account.public_id}/members/"' not in body  # viewer there
    assert f'value="{account.public_id}"' in body


@pytest.mark.parametrize("persona", ["member", "viewer", "customer"])
def test_users_of_one_account_who_are_not_admins_get_no_menu(request, db, client_for, persona):
    body = text_of(client_for(request.getfixturevalue(persona)), "/projects/")
    assert "account-switcher" not in body and "/members/" not in body


def test_a_single_account_admin_gets_the_members_link(client_for, admin_user, account):
    body = text_of(client_for(admin_user), "/projects/")
    assert f'href="/accounts/{account.public_id}/members/"' in body
    assert "Switch to" not in body


def test_the_switcher_costs_one_query_only_for_users_of_several_accounts(
    client, two_accounts, member, project, django_assert_num_queries
):
    client.force_login(two_accounts)
    client.get("/projects/")
    # session, user, the page's rows counted and read, the menu, the other accounts
    with django_assert_num_queries(6):
        client.get("/projects/")
    client.force_login(member)
    client.get("/projects/")
    with django_assert_num_queries(5):  # the same without the other accounts
        client.get("/projects/")


def test_a_user_whose_current_account_is_gone_is_moved_to_another(
    client, two_accounts, account, other_account
):
    """An operator removed them from it without the services (say, in the database)."""
    two_accounts.memberships.filter(account=account).delete()
    client.force_login(two_accounts)
    assert sees(client, NAMES) == {"Globex Main", "Globex Customer"}
    assert User.objects.get(pk=two_accounts.pk).current_account == other_account
