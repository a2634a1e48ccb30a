"""Suspend and resume on the details panel: /projects/{id}/suspend/ and /resume/."""

import pytest
from django.test import Client

from accounts.models import Role
from audit.models import AuditEvent
from core.actors import Actor
from projects import services
from tests.factories import GrantFactory, MembershipFactory, ProjectFactory

PLATFORM = Actor.for_command("suspend_project")


def suspend(client, project, reason="Unpaid invoice"):
    return client.post(f"/projects/{project.public_id}/suspend/", {"reason": reason})


def resume(client, project):
    return client.post(f"/projects/{project.public_id}/resume/")


def details(client, project) -> str:
    response = client.get(f"/projects/{project.public_id}/")
    assert response.status_code == 200
    return response.content.decode()


def test_an_admin_suspends_and_resumes(client_for, admin_user, project):
    client = client_for(admin_user)
    response = suspend(client, project, "  Unpaid invoice ")
    assert response.status_code == 302 and response["Location"] == f"/projects/{project.public_id}/"
    project.refresh_from_db()
    assert project.suspend_reason == "Unpaid invoice" and not project.suspended_by_platform
    event = AuditEvent.objects.get(action="project.suspend")
    assert (event.actor_type, event.actor_label, event.source, event.address) == (
        "user",
        admin_user.email,
        "dashboard",
        "127.0.0.1",
    )
    body = details(client, project)
    assert "Suspended" in body and "Unpaid invoice" in body and "Resume" in body
    assert resume(client, project).status_code == 302
    project.refresh_from_db()
    assert not project.is_suspended
    assert AuditEvent.objects.filter(action="project.resume").count() == 1


def test_a_member_of_the_parent_suspends_its_subprojects(client_for, member, project, subproject):
    client = client_for(member)
    assert suspend(client, subproject).status_code == 302
    subproject.refresh_from_db()
    assert subproject.is_suspended
    # Not the project they are granted itself: that is the account admins' decision.
    assert suspend(client, project).status_code == 403
    assert "Suspend</button>" not in details(client, project)
    project.refresh_from_db()
    assert not project.is_suspended


def test_a_member_granted_only_a_subproject_cannot_suspend_it(client_for, account, subproject):
    membership = MembershipFactory(account=account, role=Role.MEMBER)
    GrantFactory(membership=membership, project=subproject)
    client = client_for(membership.user)
    assert "Suspend</button>" not in details(client, subproject)
    assert suspend(client, subproject).status_code == 403
    subproject.refresh_from_db()
    assert not subproject.is_suspended


def test_viewers_cannot_and_outsiders_get_404(client_for, viewer, outsider, project, subproject):
    viewing = client_for(viewer)
    assert suspend(viewing, subproject).status_code == 403
    services.project_suspend(project=subproject, reason="Unpaid", actor=PLATFORM)
    assert resume(viewing, subproject).status_code == 403
    body = details(viewing, subproject)
    assert "Unpaid" in body and "Resume</button>" not in body  # readable, not writable
    other = Client()
    other.force_login(outsider)
    assert suspend(other, project).status_code == 404
    assert resume(other, subproject).status_code == 404
    assert not AuditEvent.objects.filter(source="dashboard").exclude(action="user.sign_in")


def test_a_reason_is_required(client_for, admin_user, subproject):
    client = client_for(admin_user)
    for reason, message in [
        ("", "Reason cannot be empty."),
        ("   ", "Reason cannot be empty."),
        ("x" * 256, "Reason can be at most 255 characters"),
        ("a\u202eb", "Reason cannot contain a bidirectional control character"),
    ]:
        response = suspend(client, subproject, reason)
        assert response.status_code == 400
        assert message in response.content.decode()
    subproject.refresh_from_db()
    assert not subproject.is_suspended
    assert not AuditEvent.objects.filter(action="subproject.suspend").exists()


def test_customers_cannot_lift_or_change_a_platform_suspension(client_for, admin_user, subproject):
    services.project_suspend(project=subproject, reason="Fraud review", actor=PLATFORM)
    client = client_for(admin_user)
    body = details(client, subproject)
    assert "suspended by the platform" in body and "Resume</button>" not in body
    response = resume(client, subproject)
    assert response.status_code == 302
    follow = client.get(response["Location"]).content.decode()
    assert "only the platform can resume it" in follow
    assert suspend(client, subproject, "Mine").status_code == 400
    subproject.refresh_from_db()
    assert subproject.suspended_by_platform and subproject.suspend_reason == "Fraud review"


def test_a_suspended_parent_shows_on_its_subprojects(client_for, admin_user, project, subproject):
    services.project_suspend(project=project, reason="Unpaid bill", actor=PLATFORM)
    client = client_for(admin_user)
    body = details(client, subproject)
    assert "Its parent project" in body and "Unpaid bill" in body
    assert "Suspend</button>" in body  # its own state is its own
    listing = client.get(f"/projects/{project.public_id}/subprojects/").content.decode()
    assert "is suspended by the platform" in listing


@pytest.mark.parametrize("where", ["menu", "projects page", "subprojects list", "details"])
def test_the_badge_and_reason_appear_wherever_the_project_does(
    client_for, admin_user, project, subproject, where
):
    services.project_suspend(project=subproject, reason="Unpaid <invoice>", actor=PLATFORM)
    client = client_for(admin_user)
    url = {
        "menu": "/projects/menu/?q=Taco",
        "projects page": "/projects/?q=Taco",
        "subprojects list": f"/projects/{project.public_id}/subprojects/",
        "details": f"/projects/{subproject.public_id}/",
    }[where]
    body = client.get(url).content.decode()
    assert 'class="badge badge-suspended">Suspended</span>' in body
    assert "Unpaid &lt;invoice&gt;" in body and "Unpaid <invoice>" not in body


@pytest.mark.parametrize("where", ["menu", "projects page"])
def test_a_suspended_parents_subprojects_say_so_in_lists(
    client_for, admin_user, project, subproject, where
):
    """Project.suspension: a suspended parent suspends its subprojects in effect."""
    services.project_suspend(project=project, reason="Parent <unpaid>", actor=PLATFORM)
    url = {"menu": "/projects/menu/?q=Taco", "projects page": "/projects/?q=Taco"}[where]
    body = client_for(admin_user).get(url).content.decode()
    assert (
        '<span class="suspend-reason" title="Its parent project is suspended: '
        'Parent &lt;unpaid&gt;">Parent suspended: <bdi>Parent &lt;unpaid&gt;</bdi></span>'
    ) in body


def test_the_subprojects_list_badges_only_their_own_suspension(
    client_for, admin_user, project, subproject
):
    """Its header says the parent is suspended; each row says only its own."""
    services.project_suspend(project=project, reason="Parent unpaid", actor=PLATFORM)
    sibling = ProjectFactory(parent=project, name="Sibling")
    services.project_suspend(project=sibling, reason="Own reason", actor=PLATFORM)
    body = client_for(admin_user).get(f"/projects/{project.public_id}/subprojects/")
    body = body.content.decode()
    assert "Parent suspended" not in body
    assert 'title="Own reason"><bdi>Own reason</bdi></span>' in body


def test_forms_need_csrf(admin_user, project):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    assert suspend(client, project).status_code == 403
    assert 'name="csrfmiddlewaretoken"' in details(client, project)
    project.refresh_from_db()
    assert not project.is_suspended


def test_get_is_not_allowed(client_for, admin_user, project):
    client = client_for(admin_user)
    assert client.get(f"/projects/{project.public_id}/suspend/").status_code == 405


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/projects/{parent}/subprojects/", 4),  # as tests/test_subproject_list.py
        ("/projects/?q=Customer", 5),  # as tests/test_project_list.py
        ("/projects/menu/?partial=1&q=Customer", 3),  # as tests/test_projects_menu.py
    ],
)
def test_lists_keep_their_query_count_with_suspended_rows(
    client_for, admin_user, project, django_assert_num_queries, url, queries
):
    services.project_suspend(project=project, reason="Parent unpaid", actor=PLATFORM)
    for i in range(30):
        sub = ProjectFactory(parent=project, name=f"Customer {i}")
        if i % 2:
            services.project_suspend(project=sub, reason=f"Reason {i}", actor=PLATFORM)
    client = client_for(admin_user)
    url = url.format(parent=project.public_id)
    client.get(url)
    with django_assert_num_queries(queries):
        body = client.get(url).content.decode()
    assert body.count("badge-suspended") >= 10
