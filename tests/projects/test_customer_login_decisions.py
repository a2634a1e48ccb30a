"""A customer login (a grant on one subproject, even as a member) uses its subproject
but never removes, restores, suspends or resumes it: the ASP decides that. One rule
(projects.models.decides), asked by the dashboard and by the services whatever the
interface; the subproject's own key is refused the same by the services."""

import pytest

from accounts.models import Role
from core.actors import Actor, Kind, Source
from core.errors import NotAllowed
from projects import services
from projects.models import Project
from tests.factories import GrantFactory, MembershipFactory, ProjectFactory


@pytest.fixture(params=[Role.MEMBER, Role.VIEWER])
def customer(request, account, subproject):
    membership = MembershipFactory(account=account, role=request.param)
    GrantFactory(membership=membership, project=subproject)
    return membership.user


def as_user(user) -> Actor:
    return Actor(Kind.USER, str(user.pk), Source.DASHBOARD, "203.0.113.9", user)


def as_key(project) -> Actor:
    key, _ = services.access_key_create(project=project, display_name="k")
    return Actor(Kind.ACCESS_KEY, key.key_id, Source.API)


def stored(project) -> Project:
    return Project.objects.get(pk=project.pk)


def test_the_dashboard_refuses_every_decision(client_for, customer, subproject):
    client = client_for(customer)
    page = client.get(f"/projects/{subproject.public_id}/")
    assert page.status_code == 200  # they use it
    assert f"/projects/{subproject.public_id}/remove/" not in page.content.decode()
    base = f"/projects/{subproject.public_id}"
    assert client.get(f"{base}/remove/").status_code == 403
    assert client.post(f"{base}/remove/").status_code == 403
    assert client.post(f"{base}/suspend/", {"reason": "mine"}).status_code == 403
    assert not stored(subproject).is_removed and not stored(subproject).is_suspended

    services.project_suspend(project=subproject, reason="Unpaid")
    assert client.post(f"{base}/resume/").status_code == 403
    assert stored(subproject).is_suspended
    services.subproject_remove(subproject=subproject)
    assert client.post(f"{base}/restore/").status_code == 403
    assert stored(subproject).is_removed


def test_the_services_refuse_a_customer_login(customer, subproject):
    actor = as_user(customer)
    with pytest.raises(NotAllowed):
        services.subproject_remove(subproject=subproject, actor=actor)
    with pytest.raises(NotAllowed):
        services.project_suspend(project=subproject, reason="mine", actor=actor)
    services.project_suspend(project=subproject, reason="Unpaid")
    with pytest.raises(NotAllowed):
        services.project_resume(project=subproject, actor=actor)
    services.subproject_remove(subproject=subproject)
    with pytest.raises(NotAllowed):
        services.subproject_restore(subproject=subproject, actor=actor)
    assert stored(subproject).is_removed and stored(subproject).is_suspended


def test_the_services_refuse_the_subprojects_own_key(project, subproject):
    actor = as_key(subproject)
    with pytest.raises(NotAllowed):
        services.subproject_remove(subproject=subproject, actor=actor)
    with pytest.raises(NotAllowed):
        services.project_suspend(project=subproject, reason="mine", actor=actor)
    with pytest.raises(NotAllowed):
        services.subprojects_remove(parent=project, public_ids=[subproject.public_id], actor=actor)
    assert not stored(subproject).is_removed and not stored(subproject).is_suspended


def test_a_sibling_key_and_a_member_of_another_project_are_refused(account, project, subproject):
    sibling = ProjectFactory(parent=project)
    other = ProjectFactory(account=account)
    membership = MembershipFactory(account=account, role=Role.MEMBER)
    GrantFactory(membership=membership, project=other)
    for actor in (as_key(sibling), as_key(other), as_user(membership.user)):
        with pytest.raises(NotAllowed):
            services.subproject_remove(subproject=subproject, actor=actor)
    assert not stored(subproject).is_removed


def test_the_asp_decides(project, subproject, member, admin_user):
    for actor in (as_user(member), as_user(admin_user), as_key(project)):
        services.project_suspend(project=subproject, reason="Unpaid", actor=actor)
        services.project_resume(project=subproject, actor=actor)
        services.subproject_remove(subproject=subproject, actor=actor)
        services.subproject_restore(subproject=subproject, actor=actor)
    assert not stored(subproject).is_removed and not stored(subproject).is_suspended


def test_a_member_does_not_suspend_a_top_level_project(project, member, admin_user):
    with pytest.raises(NotAllowed):
        services.project_suspend(project=project, reason="Mine", actor=as_user(member))
    services.project_suspend(project=project, reason="Unpaid", actor=as_user(admin_user))
    assert stored(project).is_suspended
