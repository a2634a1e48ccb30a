"""Usage in the admin: read-only, found by Project ID or record ID."""

import pytest

from tests.usage.conftest import ingest, record


@pytest.fixture
def admin_client(client, operator):
    client.force_login(operator)
    return client


@pytest.mark.parametrize("model", ["dailyusage", "monthlyusage", "usagerecord", "purgedproject"])
def test_lists_are_read_only(admin_client, project, model):
    ingest(record(project, 3, record_id="r-admin"))
    response = admin_client.get(f"/admin/usage/{model}/")
    assert response.status_code == 200
    assert admin_client.get(f"/admin/usage/{model}/add/").status_code == 403


def test_search_by_project_id_and_record_id(admin_client, project, subproject):
    ingest(record(project, 3, record_id="r-parent"), record(subproject, 4, record_id="r-sub"))
    body = admin_client.get(
        "/admin/usage/dailyusage/", {"q": subproject.public_id}
    ).content.decode()
    assert subproject.public_id in body and "0 daily usage" not in body
    # A top-level Project ID finds its whole family.
    body = admin_client.get("/admin/usage/monthlyusage/", {"q": project.public_id}).content.decode()
    assert subproject.public_id in body
    body = admin_client.get("/admin/usage/usagerecord/", {"q": "r-sub"}).content.decode()
    assert "r-sub" in body and "r-parent" not in body


def test_not_for_customers(client_for, admin_user):
    response = client_for(admin_user).get("/admin/usage/dailyusage/")
    assert response.status_code == 302
