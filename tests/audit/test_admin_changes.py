"""Every change an operator makes in the admin has its audit entry, with the operator as
actor (issue 21, item 4): users (fields, groups, password, deletion), accounts,
subprojects deleted (the purge's own service: entry and tombstone); and the last-admin
guard holds for deactivating and deleting a user."""

import pytest
from django.contrib.auth.models import Group

from accounts.models import Membership, Role, User
from audit.models import AuditEvent
from projects.models import Project
from tests.factories import PASSWORD, MembershipFactory, UserFactory
from usage.models import PurgedProject

from .helpers import only_event

pytestmark = pytest.mark.django_db

USERS = "/admin/accounts/user/"


@pytest.fixture
def admin_client(client, operator):
    client.force_login(operator)
    return client


def user_form(user, **changes) -> dict:
    data = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "time_zone": user.time_zone,
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "is_superuser": "on" if user.is_superuser else "",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value != ""}


def assert_by_operator(event: AuditEvent, operator) -> None:
    assert (event.source, event.actor_type, event.actor_label) == ("admin", "user", operator.email)


def test_changing_a_users_email_and_making_them_superuser_is_audited(admin_client, operator):
    user = UserFactory(email="before@example.com")
    response = admin_client.post(
        f"{USERS}{user.pk}/change/",
        user_form(user, email="after@example.com", is_staff="on", is_superuser="on"),
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    event = only_event("user.update")
    assert_by_operator(event, operator)
    assert event.target_id == "after@example.com"
    assert event.changes == {
        "email": {"before": "before@example.com", "after": "after@example.com"},
        "is_staff": {"before": False, "after": True},
        "is_superuser": {"before": False, "after": True},
    }
    assert "password" not in str(event.changes)


def test_saving_a_user_unchanged_writes_no_entry(admin_client):
    user = UserFactory()
    admin_client.post(f"{USERS}{user.pk}/change/", user_form(user))
    assert not AuditEvent.objects.filter(action__startswith="user.update").exists()


def test_groups_given_in_the_admin_are_audited(admin_client, operator):
    user = UserFactory()
    group = Group.objects.create(name="Support")
    response = admin_client.post(f"{USERS}{user.pk}/change/", user_form(user, groups=[group.pk]))
    assert response.status_code == 302
    event = only_event("user.access")
    assert_by_operator(event, operator)
    assert event.changes == {"groups": {"before": [], "after": ["Support"]}}


def test_a_user_added_in_the_admin_is_audited(admin_client, operator):
    response = admin_client.post(
        f"{USERS}add/",
        {
            "email": "new@example.com",
            "usable_password": "true",
            "password1": "a long passphrase 0914",
            "password2": "a long passphrase 0914",
        },
    )
    assert response.status_code == 302, response.context["errors"]
    event = only_event("user.create")
    assert_by_operator(event, operator)
    assert event.target_id == "new@example.com"
    assert "password" not in str(event.changes)


def test_a_password_set_in_the_admin_is_audited(admin_client, operator):
    user = UserFactory()
    response = admin_client.post(
        f"{USERS}{user.pk}/password/",
        {
            "set_usable_password": "true",
            "password1": "another passphrase 7781",
            "password2": "another passphrase 7781",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another passphrase 7781")
    event = only_event("user.password_change")
    assert_by_operator(event, operator)
    assert event.target_id == user.email
    assert user.password not in str(event.changes)


def test_a_password_changed_on_the_password_page_is_audited(client_for):
    user = UserFactory()
    client = client_for(user)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "my new passphrase 3301",
            "new_password2": "my new passphrase 3301",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("my new passphrase 3301")
    event = only_event("user.password_change")
    assert (event.source, event.actor_label, event.target_id) == (
        "dashboard",
        user.email,
        user.email,
    )
    # Still signed in here.
    assert client.get("/accounts/profile/").status_code == 200


def test_a_wrong_current_password_is_not_audited_as_a_change(client_for):
    user = UserFactory()
    client_for(user).post(
        "/accounts/password/",
        {"old_password": "wrong", "new_password1": "x1y2z3w4v5", "new_password2": "x1y2z3w4v5"},
    )
    assert not AuditEvent.objects.filter(action="user.password_change").exists()


def test_the_last_admin_cannot_be_deactivated(admin_client, account, admin_user):
    response = admin_client.post(
        f"{USERS}{admin_user.pk}/change/", user_form(admin_user, is_active="")
    )
    assert response.status_code == 302
    admin_user.refresh_from_db()
    assert admin_user.is_active
    assert not AuditEvent.objects.filter(action="user.update").exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("last admin" in m for m in messages), messages


def test_an_admin_with_another_active_admin_can_be_deactivated(
    admin_client, account, admin_user, operator
):
    MembershipFactory(account=account, role=Role.ADMIN)
    admin_client.post(f"{USERS}{admin_user.pk}/change/", user_form(admin_user, is_active=""))
    admin_user.refresh_from_db()
    assert not admin_user.is_active
    assert only_event("user.update").changes == {"is_active": {"before": True, "after": False}}


def test_an_inactive_admin_does_not_count(admin_client, account, admin_user):
    """Another admin membership whose user cannot sign in leaves nobody to run the account."""
    other = MembershipFactory(account=account, role=Role.ADMIN).user
    User.objects.filter(pk=other.pk).update(is_active=False)
    admin_client.post(f"{USERS}{admin_user.pk}/change/", user_form(admin_user, is_active=""))
    admin_user.refresh_from_db()
    assert admin_user.is_active
    # Nor may the last active admin's membership be removed.
    membership = Membership.objects.get(user=admin_user)
    admin_client.post(f"/admin/accounts/membership/{membership.pk}/delete/", {"post": "yes"})
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_the_last_admin_cannot_be_deleted(admin_client, account, admin_user):
    admin_client.post(f"{USERS}{admin_user.pk}/delete/", {"post": "yes"})
    assert User.objects.filter(pk=admin_user.pk).exists()
    admin_client.post(
        USERS, {"action": "delete_selected", "_selected_action": [admin_user.pk], "post": "yes"}
    )
    assert User.objects.filter(pk=admin_user.pk).exists()
    assert not AuditEvent.objects.filter(action="user.delete").exists()


def test_deleting_a_user_is_audited_with_their_memberships(
    admin_client, account, admin_user, operator
):
    leaving = MembershipFactory(account=account, role=Role.MEMBER).user
    admin_client.post(f"{USERS}{leaving.pk}/delete/", {"post": "yes"})
    assert not User.objects.filter(pk=leaving.pk).exists()
    event = only_event("user.delete")
    assert_by_operator(event, operator)
    assert event.target_id == leaving.email
    removed = only_event("membership.remove")
    assert (removed.account_id, removed.target_id) == (account.public_id, leaving.email)


def test_renaming_an_account_is_audited(admin_client, account, operator):
    response = admin_client.post(
        f"/admin/accounts/account/{account.pk}/change/",
        {
            "name": "Acme Renamed",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    event = only_event("account.rename")
    assert_by_operator(event, operator)
    assert event.changes == {"name": {"before": "Acme Messaging", "after": "Acme Renamed"}}


def test_deleting_a_subproject_in_the_admin_is_the_purge(
    admin_client, project, subproject, operator
):
    admin_client.post(f"/admin/projects/project/{subproject.pk}/delete/", {"post": "yes"})
    assert not Project.objects.filter(pk=subproject.pk).exists()
    event = only_event("subproject.purge")
    assert_by_operator(event, operator)
    assert event.project_id == subproject.public_id
    tombstone = PurgedProject.objects.get(public_id=subproject.public_id)
    assert (tombstone.name, tombstone.parent_public_id) == (subproject.name, project.public_id)


def test_deleting_subprojects_in_bulk_is_the_purge(admin_client, project, operator):
    from projects import services

    subs = [services.subproject_create(parent=project, name=f"s{i}") for i in range(2)]
    admin_client.post(
        "/admin/projects/project/",
        {"action": "delete_selected", "_selected_action": [s.pk for s in subs], "post": "yes"},
    )
    assert not Project.objects.filter(pk__in=[s.pk for s in subs]).exists()
    purged = AuditEvent.objects.filter(action="subproject.purge")
    assert sorted(purged.values_list("project_id", flat=True)) == sorted(s.public_id for s in subs)
    assert {e.source for e in purged} == {"admin"}
    assert PurgedProject.objects.count() == 2


def test_a_top_level_project_is_not_deleted_in_the_admin(admin_client, account):
    from tests.factories import ProjectFactory

    lonely = ProjectFactory(account=account, name="No subprojects")
    assert admin_client.get(f"/admin/projects/project/{lonely.pk}/delete/").status_code == 403
    admin_client.post(f"/admin/projects/project/{lonely.pk}/delete/", {"post": "yes"})
    admin_client.post(
        "/admin/projects/project/",
        {"action": "delete_selected", "_selected_action": [lonely.pk], "post": "yes"},
    )
    assert Project.objects.filter(pk=lonely.pk).exists()


def test_password_sign_in_turned_off_in_the_admin_is_audited(admin_client, operator):
    user = UserFactory()
    response = admin_client.post(
        f"{USERS}{user.pk}/password/", {"usable_password": "false", "unset-password": "1"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.has_usable_password()
    event = only_event("user.password_change")
    assert_by_operator(event, operator)
    assert event.changes == {"usable": {"before": None, "after": False}}
