"""Two simultaneous PATCHes of one subproject, one renaming it, one relabelling it,
both take effect (PostgreSQL). Before the services locked the row they read and saved
only the fields they changed, one change was lost in most trials (17 of 20)."""

import pytest
from django.db import connection
from django.test import Client

from projects.models import Project
from tests.factories import AccountFactory, ProjectFactory
from tests.support.api_client import call, key_header
from tests.support.concurrency import run_together

TRIALS = 20


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs concurrent writers: run with DATABASE_URL=postgres://... (CI does)",
)
def test_a_rename_and_a_relabel_at_once_both_take_effect():
    parent = ProjectFactory(account=AccountFactory())
    auth = key_header(parent)
    lost = []
    for trial in range(TRIALS):
        subproject = ProjectFactory(parent=parent, name="Before", labels={"old": "1"})
        url = f"/api/v1/subprojects/{subproject.public_id}"
        bodies = [{"displayName": f"Renamed {trial}"}, {"labels": {"trial": str(trial)}}]
        statuses = []
        run_together(
            2,
            lambda i, url=url, bodies=bodies, statuses=statuses: statuses.append(
                call(Client(), "patch", url, auth, bodies[i]).status_code
            ),
        )
        assert statuses == [200, 200]
        stored = Project.objects.get(pk=subproject.pk)
        if (stored.name, stored.labels) != (f"Renamed {trial}", {"trial": str(trial)}):
            lost.append((trial, stored.name, stored.labels))
    assert lost == []
