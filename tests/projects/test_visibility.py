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


def personas(account, project, subproject):
    """Every way of holding something in `account`, by name: (user, as a request loads it)."""
    from accounts.models import Role, User
    from tests.factories import AccountFactory

    sibling = ProjectFactory(parent=project, name="Sibling")
    other = ProjectFactory(account=account, name="Other")
    ProjectFactory(parent=other, name="Other's child")
    ProjectFactory(parent=project, name="Removed", removed=True)

    def membership(role, *grants):
        m = MembershipFactory(account=account, role=role)
        for granted in grants:
            GrantFactory(membership=m, project=granted)
        return m.user

    two_accounts = membership("member", subproject)
    MembershipFactory(user=two_accounts, account=AccountFactory(), role="admin")
    made = {
        "admin": membership("admin"),
        "admin with grants": membership("admin", project, sibling),
        "member of a project": membership("member", project),
        "viewer of a project": membership("viewer", project),
        "customer of a subproject": membership("viewer", subproject),
        "member of a project and its subproject": membership("member", project, subproject),
        "member of subprojects of two parents": membership("member", sibling, other),
        "member without grants": membership("member"),
        "admin elsewhere, member here": two_accounts,
        "outsider": MembershipFactory(role=Role.ADMIN).user,
    }
    return {name: User.objects.for_session().get(pk=user.pk) for name, user in made.items()}


def test_the_menu_the_project_pages_and_visible_to_agree(account, project, subproject):
    """visible_to, get_project_for_user and the Projects menu's parts all follow
    projects.models.sees, for every way of holding something."""
    from django.http import Http404

    from projects.access import get_project_for_user
    from projects.menu import menu_projects

    everything = list(Project.objects.all())
    for name, user in personas(account, project, subproject).items():
        visible = set(Project.objects.visible_to(user))
        alive = {p for p in visible if p.removed_at is None}
        # Searched (every name has an "e", an "i" or an "o"): every alive one they see.
        found = {p for q in "eio" for p in menu_projects(user, q)}
        assert found == alive, name
        # Opened: the menu's entry points, the projects seen but not through a parent.
        entry = {p for p in alive if p.parent_id is None or p.parent not in visible}
        assert set(menu_projects(user)) == entry, name
        for candidate in everything:
            try:
                opened = get_project_for_user(user, candidate.public_id, include_removed=True)
            except Http404:
                assert candidate not in visible, (name, candidate.name)
            else:
                assert candidate in visible, (name, candidate.name)
                parent_seen = candidate.parent_id is not None and candidate.parent in visible
                assert opened.parent_visible == parent_seen, (name, candidate.name)
