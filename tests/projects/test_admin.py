import pytest

from core.actors import Actor
from projects import services
from projects.models import Project
from tests.factories import AccountFactory, MembershipFactory, ProjectFactory


@pytest.fixture
def admin_client(client, operator):
    client.force_login(operator)
    return client


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_project_changelist_runs_a_fixed_number_of_queries(admin_client, db):
    account = AccountFactory()
    parents = ProjectFactory.create_batch(10, account=account)
    few = _count_queries(admin_client, "/admin/projects/project/")
    for i in range(490):
        ProjectFactory(parent=parents[i % 10])
    assert Project.objects.count() == 500
    many = _count_queries(admin_client, "/admin/projects/project/?all=")
    assert many == few


def test_membership_and_grant_changelists_are_fixed(admin_client, db):
    account = AccountFactory()
    MembershipFactory(account=account)
    few = _count_queries(admin_client, "/admin/accounts/membership/")
    MembershipFactory.create_batch(50, account=account)
    assert _count_queries(admin_client, "/admin/accounts/membership/") == few


def test_search_by_project_id_and_name(admin_client, project, subproject):
    response = admin_client.get(f"/admin/projects/project/?q={subproject.public_id}")
    assert response.context["cl"].result_count == 1
    response = admin_client.get("/admin/projects/project/?q=Taco")
    assert list(response.context["cl"].result_list) == [subproject]


def test_filters_by_kind_and_removal(admin_client, project, subproject):
    ProjectFactory(parent=project, name="Gone", removed=True)
    sub_only = admin_client.get("/admin/projects/project/?kind=sub")
    assert {p.name for p in sub_only.context["cl"].result_list} == {"Taco Time", "Gone"}
    removed = admin_client.get("/admin/projects/project/?removed=yes")
    assert [p.name for p in removed.context["cl"].result_list] == ["Gone"]


def test_filters_by_suspension_and_keys_by_state(admin_client, project, subproject):
    platform = Actor.for_command("suspend_project")
    services.project_suspend(project=subproject, reason="Unpaid", actor=platform)
    kept, _ = services.access_key_create(project=project, display_name="Kept")
    revoked, _ = services.access_key_create(project=project, display_name="Revoked")
    services.access_key_revoke(key=revoked)

    def shown(url):
        return {row.pk for row in admin_client.get(url).context["cl"].result_list}

    assert shown("/admin/projects/project/?suspended=platform") == {subproject.pk}
    assert shown("/admin/projects/project/?suspended=customer") == set()
    assert shown("/admin/projects/project/?suspended=no") == {project.pk}
    assert shown("/admin/projects/accesskey/?state=active") == {kept.pk}
    assert shown("/admin/projects/accesskey/?state=revoked") == {revoked.pk}
    assert shown("/admin/projects/accesskey/") == {kept.pk, revoked.pk}


def test_admin_creates_a_subproject_through_the_service(admin_client, project, operator):
    response = admin_client.post(
        "/admin/projects/project/add/",
        {
            "account": project.account_id,
            "parent": project.pk,
            "name": "  Added by an operator ",
            "labels": "{}",
            "grants-TOTAL_FORMS": "0",
            "grants-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["errors"]
    created = Project.objects.get(name="Added by an operator")
    assert created.parent == project
    assert created.created_by == operator


def test_admin_refuses_a_subproject_of_a_subproject(admin_client, subproject):
    response = admin_client.post(
        "/admin/projects/project/add/",
        {
            "account": subproject.account_id,
            "parent": subproject.pk,
            "name": "Grandchild",
            "labels": "{}",
            "grants-TOTAL_FORMS": "0",
            "grants-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "cannot have subprojects" in response.content.decode()
    assert not Project.objects.filter(name="Grandchild").exists()


def test_admin_refuses_a_subproject_in_another_account(admin_client, project):
    response = admin_client.post(
        "/admin/projects/project/add/",
        {
            "account": AccountFactory().pk,
            "parent": project.pk,
            "name": "Cross",
            "labels": "{}",
            "grants-TOTAL_FORMS": "0",
            "grants-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "same account" in response.content.decode()


def test_remove_action(admin_client, subproject):
    admin_client.post(
        "/admin/projects/project/",
        {"action": "remove_subprojects", "_selected_action": [subproject.pk]},
    )
    subproject.refresh_from_db()
    assert subproject.removed_at is not None


def test_change_page_shows_subprojects_inline(admin_client, project, subproject):
    response = admin_client.get(f"/admin/projects/project/{project.pk}/change/")
    assert response.status_code == 200
    assert "Taco Time" in response.content.decode()


def test_customers_cannot_open_the_admin(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/admin/projects/project/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def _change_form_data(response) -> dict:
    """What the admin's change form posts back unchanged: its fields and its inlines'
    management forms (no inline row changed)."""
    data = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        data[name] = form[name].value() if not isinstance(value, bool) else value
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management[name].value()
        for inline_form in formset.formset.forms:
            for name in inline_form.fields:
                value = inline_form[name].value()
                if value is not None:
                    data[inline_form.add_prefix(name)] = value
    return {k: v for k, v in data.items() if v is not False}


def test_what_customers_see_is_set_in_the_admin_through_the_service(
    admin_client, project, subproject
):
    """The operators' admin shows a top-level project's "What your customers see" and
    saves it through projects.services.project_customers_see (audited), as the
    dashboard's Settings do; a subproject has no such setting."""
    from audit.models import AuditEvent

    url = f"/admin/projects/project/{project.pk}/change/"
    response = admin_client.get(url)
    assert "What your customers see" in response.content.decode()
    data = _change_form_data(response)
    data["customers_see_bills"] = "on"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    project.refresh_from_db()
    assert project.customers_see_bills and not project.customers_see_labels
    entry = AuditEvent.objects.filter(action="project.customers_see").get()
    assert entry.project_id == project.public_id and entry.source == "admin"
    page = admin_client.get(f"/admin/projects/project/{subproject.pk}/change/")
    assert "What your customers see" not in page.content.decode()
    assert "customers_see_bills" not in page.context["adminform"].form.fields
