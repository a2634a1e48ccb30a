import pytest

from projects import services
from projects.models import AccessKey
from tests.factories import ProjectFactory


@pytest.fixture
def admin_client(client, operator):
    client.force_login(operator)
    return client


@pytest.fixture
def key_and_secret(project):
    return services.access_key_create(project=project, display_name="Billing")


def test_changelist_and_page_never_show_secret_or_hash(admin_client, project, key_and_secret):
    key, secret = key_and_secret
    pages = [
        admin_client.get("/admin/projects/accesskey/"),
        admin_client.get(f"/admin/projects/accesskey/{key.pk}/change/"),
        admin_client.get(f"/admin/projects/project/{project.pk}/change/"),
    ]
    for page in pages:
        assert page.status_code == 200
        html = page.content.decode()
        assert key.key_id in html
        assert secret not in html and key.secret_hash not in html
    assert "secret_hash" not in pages[1].content.decode()


def test_cannot_add_change_or_delete(admin_client, key_and_secret):
    key, _ = key_and_secret
    assert admin_client.get("/admin/projects/accesskey/add/").status_code == 403
    assert admin_client.get(f"/admin/projects/accesskey/{key.pk}/delete/").status_code == 403
    admin_client.post(f"/admin/projects/accesskey/{key.pk}/change/", {"display_name": "hacked"})
    assert AccessKey.objects.get(pk=key.pk).display_name == "Billing"


def test_search_by_key_id_and_project_id(admin_client, project, key_and_secret):
    key, _ = key_and_secret
    other = ProjectFactory()
    services.access_key_create(project=other, display_name="Elsewhere")
    for term in (key.key_id, project.public_id, "Billing"):
        html = admin_client.get("/admin/projects/accesskey/", {"q": term}).content.decode()
        assert "Billing" in html and "Elsewhere" not in html, term


def test_revoke_action(admin_client, key_and_secret):
    key, _ = key_and_secret
    response = admin_client.post(
        "/admin/projects/accesskey/",
        {"action": "revoke_keys", "_selected_action": [key.pk]},
        follow=True,
    )
    assert "1 access key(s) revoked" in response.content.decode()
    assert AccessKey.objects.get(pk=key.pk).is_revoked


def test_changelist_query_count_is_fixed(admin_client, project):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert admin_client.get("/admin/projects/accesskey/").status_code == 200
        return len(ctx.captured_queries)

    services.access_key_create(project=project, display_name="one")
    few = count()
    for i in range(20):
        services.access_key_create(project=ProjectFactory(parent=project), display_name=f"k{i}")
    assert count() == few
