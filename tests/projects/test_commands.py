import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Account, Membership, User
from projects.models import Project
from tests.factories import ProjectFactory


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_create_account_with_admin(db):
    account_id = run("create_account", "Acme", "--admin", "boss@example.com").strip()
    account = Account.objects.get(public_id=account_id)
    membership = Membership.objects.get(account=account)
    assert membership.user.email == "boss@example.com"
    assert membership.role == "admin"
    assert not membership.user.has_usable_password()


def test_create_account_refuses_a_bad_email(db):
    with pytest.raises(CommandError, match="valid email"):
        run("create_account", "Acme", "--admin", "not-an-email")
    assert not Account.objects.exists()
    assert not User.objects.exists()


def test_create_project_and_subproject(account):
    project_id = run("create_project", account.public_id, "Prod", "--label", "env=prod").strip()
    project = Project.objects.get(public_id=project_id)
    assert project.labels == {"env": "prod"}
    sub_id = run("create_subproject", project_id, "Taco Time").strip()
    assert Project.objects.get(public_id=sub_id).parent == project


def test_create_subproject_refuses_a_subproject_parent(subproject):
    with pytest.raises(CommandError, match="cannot have subprojects"):
        run("create_subproject", subproject.public_id, "Grandchild")


def test_create_subproject_unknown_parent(db):
    with pytest.raises(CommandError, match="No project has the ID"):
        run("create_subproject", "01HZZZZZZZZZZZZZZZZZZZZZZZ", "Orphan")


def test_create_subproject_bad_name(project):
    with pytest.raises(CommandError, match="cannot be empty"):
        run("create_subproject", project.public_id, "   ")
    with pytest.raises(CommandError, match="KEY=VALUE"):
        run("create_subproject", project.public_id, "Fine", "--label", "novalue")


def test_create_project_unknown_account(db):
    with pytest.raises(CommandError, match="No account"):
        run("create_project", "nope", "Prod")


def test_list_projects_table_and_json(project, subproject):
    ProjectFactory(parent=project, name="Gone", removed=True)
    table = run("list_projects")
    assert "Taco Time" in table and project.public_id in table and "Gone" not in table
    rows = json.loads(run("list_projects", "--json", "--include-removed"))
    assert {r["displayName"] for r in rows} == {"Acme Production", "Taco Time", "Gone"}
    sub = next(r for r in rows if r["displayName"] == "Taco Time")
    assert sub["parentProjectId"] == project.public_id


def test_list_projects_filters(project, subproject):
    rows = json.loads(run("list_projects", "--json", "--parent", project.public_id))
    assert [r["projectId"] for r in rows] == [subproject.public_id]
    with pytest.raises(CommandError, match="No account"):
        run("list_projects", "--account", "01HZZZZZZZZZZZZZZZZZZZZZZZ")


def test_list_projects_empty_json_is_valid(db):
    assert json.loads(run("list_projects", "--json")) == []


def test_demo_is_idempotent(db):
    first = run("demo")
    counts = (Project.objects.count(), User.objects.count(), Membership.objects.count())
    run("demo")
    assert (Project.objects.count(), User.objects.count(), Membership.objects.count()) == counts
    assert "admin@example.com" in first and "Password" in first
    assert Project.objects.filter(parent__isnull=False).count() == 5
    # The admin also administers a second account (the account switcher shows).
    admin = User.objects.get(email="admin@example.com")
    assert sorted(admin.memberships.values_list("account__name", flat=True)) == [
        "Acme Messaging",
        "Burrito Wholesale",
    ]
    viewer = User.objects.get(email="viewer@example.com")
    assert viewer.check_password("demo-console-2026")


def test_purge_command(subproject):
    assert "Purged 0" in run("purge_removed_subprojects")
