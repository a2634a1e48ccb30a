"""bench/auth_cost.py judges authentication against the same request with its
credentials removed but the route's project still found ("finds project",
bench.support.unauthenticated.finding_project). That baseline is only fair if it finds
the very project the key lookup reads, with the same fields, and serves the same
answer: checked here."""

import base64

from bench.support.unauthenticated import finding_project
from projects import services
from projects.api import auth
from projects.models import AccessKey


def _fixed(key):
    return auth.Principal(key=AccessKey.objects.select_related("project").get(pk=key.pk))


def test_finds_the_project_the_key_lookup_reads(project, subproject):
    key, _ = services.access_key_create(project=project, display_name="k")
    for target in (project, subproject):
        read = auth.key_by_sql(key.key_id, project.created_at, target.public_id).target
        found = finding_project(_fixed(key), target.public_id).project
        assert found.pk == read.pk == target.pk
        fields = [f.attname for f in type(found)._meta.concrete_fields]
        assert [getattr(found, f) for f in fields] == [getattr(read, f) for f in fields]
    # A subproject comes with its parent, as from the key lookup (Project.suspension).
    assert finding_project(_fixed(key), subproject.public_id).project.parent.pk == project.pk


def test_a_request_with_the_baseline_answers_as_the_authenticated_one(client, project, monkeypatch):
    key, secret = services.access_key_create(project=project, display_name="k")
    path = f"/api/v1/projects/{project.public_id}/accessKeys"
    basic = base64.b64encode(f"{key.key_id}:{secret}".encode()).decode()
    authenticated = client.get(path, headers={"Authorization": f"Basic {basic}"})
    fixed = _fixed(key)
    monkeypatch.setattr(
        auth, "authenticate", lambda request, target=None: finding_project(fixed, target)
    )
    baseline = client.get(path)
    assert authenticated.status_code == baseline.status_code == 200
    assert baseline.json() == authenticated.json()
