"""The Access keys section that the details panel includes."""

import pytest
from django.template import engines

from projects import services
from projects.access import get_project_for_user


def render_section(user, project):
    project = get_project_for_user(user, project.public_id)
    template = engines["django"].from_string('{% include "projects/includes/access_keys.html" %}')
    return template.render({"project": project})


@pytest.fixture
def keys(project):
    first, _ = services.access_key_create(project=project, display_name="Billing <prod>")
    revoked, _ = services.access_key_create(project=project, display_name="Old one")
    services.access_key_revoke(key=revoked)
    return first


def test_member_sees_keys_with_create_and_revoke(member, project, keys):
    html = render_section(member, project)
    assert "Access keys" in html
    assert "Billing &lt;prod&gt;" in html
    assert f'data-copy="{keys.key_id}"' in html
    assert "Old one" not in html
    assert f"/projects/{project.public_id}/keys/new/" in html
    assert f"/projects/{project.public_id}/keys/{keys.key_id}/revoke/" in html
    assert "Never" in html  # last used, expires


def test_viewer_sees_the_list_without_create_or_revoke(viewer, project, keys):
    html = render_section(viewer, project)
    assert keys.key_id in html
    assert "Create access key" not in html
    assert "/revoke/" not in html


def test_no_secret_or_hash_is_rendered(admin_user, project, keys):
    html = render_section(admin_user, project)
    assert keys.secret_hash not in html
    assert "csk_" not in html


def test_one_query_whatever_the_number_of_keys(admin_user, project, django_assert_num_queries):
    for i in range(10):
        services.access_key_create(project=project, display_name=f"k{i}")
    project = get_project_for_user(admin_user, project.public_id)
    template = engines["django"].from_string('{% include "projects/includes/access_keys.html" %}')
    with django_assert_num_queries(1):
        html = template.render({"project": project})
    assert "revoke one to create another" in html
    assert "Create access key" not in html


def test_after_revoking_the_only_key_it_says_none_is_active(member, project):
    key, _ = services.access_key_create(project=project, display_name="only")
    services.access_key_revoke(key=key)
    html = render_section(member, project)
    assert "No active access keys" in html
    assert "yet" not in html and "only" not in html
