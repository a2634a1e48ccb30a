from projects.models import Project
from tests.factories import GrantFactory, MembershipFactory, ProjectFactory


def visible(user):
    return set(Project.objects.visible_to(user).values_list("name", flat=True))


def test_account_admin_sees_every_project(admin_user, project, subproject, account):
    ProjectFactory(account=account, name="Other")
    assert visible(admin_user) == {"Acme Production", "Taco Time", "Other"}


def test_grant_on_a_parent_covers_its_subprojects(member, project, subproject, account):
    ProjectFactory(account=account, name="Not granted")
    assert visible(member) == {"Acme Production", "Taco Time"}


def test_grant_on_one_subproject_shows_only_it(account, project, subproject):
    ProjectFactory(parent=project, name="Sibling")
    customer = MembershipFactory(account=account, role="viewer")
    GrantFactory(membership=customer, project=subproject)
    assert visible(customer.user) == {"Taco Time"}


def test_outsider_sees_nothing_here(outsider, project, subproject):
    assert visible(outsider) == set()


def test_member_without_a_grant_sees_nothing(account, project, subproject):
    lonely = MembershipFactory(account=account, role="member")
    assert visible(lonely.user) == set()


def test_each_project_appears_once_with_overlapping_grants(account, project, subproject):
    membership = MembershipFactory(account=account, role="admin")
    GrantFactory(membership=membership, project=project)
    GrantFactory(membership=membership, project=subproject)
    names = list(Project.objects.visible_to(membership.user).values_list("name", flat=True))
    assert sorted(names) == ["Acme Production", "Taco Time"]


def test_anonymous_sees_nothing(project):
    from django.contrib.auth.models import AnonymousUser

    assert visible(AnonymousUser()) == set()
