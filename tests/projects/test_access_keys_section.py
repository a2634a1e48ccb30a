"""The Access keys section of the details panel."""

import re

import pytest

from projects import services


def render_section(client_for, user, project):
    """The details page's Access keys section, as `user` sees it."""
    response = client_for(user).get(f"/projects/{project.public_id}/")
    assert response.status_code == 200
    html = response.content.decode()
    return re.search(r'<section[^>]*id="access-keys".*?</section>', html, re.S).group(0)


@pytest.fixture
def keys(project):
    first, _ = services.access_key_create(project=project, display_name="Billing <prod>")
    revoked, _ = services.access_key_create(project=project, display_name="Old one")
    services.access_key_revoke(key=revoked)
    return first


def test_member_sees_keys_with_create_and_revoke(client_for, member, project, keys):
    html = render_section(client_for, member, project)
    assert "Access keys" in html
    assert "Billing &lt;prod&gt;" in html
    assert f'data-copy="{keys.key_id}"' in html
    assert "Old one" not in html
    assert f"/projects/{project.public_id}/keys/new/" in html
    assert f"/projects/{project.public_id}/keys/{keys.key_id}/revoke/" in html
    assert "Never" in html  # last used, expires


def test_viewer_sees_the_list_without_create_or_revoke(client_for, viewer, project, keys):
    html = render_section(client_for, viewer, project)
    assert keys.key_id in html
    assert "Create access key" not in html
    assert "/revoke/" not in html


def test_no_secret_or_hash_is_rendered(client_for, admin_user, project, keys):
    html = render_section(client_for, admin_user, project)
    assert keys.secret_hash not in html
    assert "csk_" not in html


def test_the_keys_cost_one_query_whatever_their_number(
    client_for, admin_user, project, django_assert_num_queries
):
    services.access_key_create(project=project, display_name="k-first")
    client = client_for(admin_user)
    url = f"/projects/{project.public_id}/"
    client.get(url)  # the project becomes the current one
    with django_assert_num_queries(4) as one_key:
        client.get(url)
    for i in range(9):
        services.access_key_create(project=project, display_name=f"k{i}")
    with django_assert_num_queries(len(one_key)):
        html = client.get(url).content.decode()
    assert "revoke one to create another" in html
    assert "Create access key" not in html


def test_after_revoking_the_only_key_it_says_none_is_active(client_for, member, project):
    key, _ = services.access_key_create(project=project, display_name="the revoked one")
    services.access_key_revoke(key=key)
    html = render_section(client_for, member, project)
    assert "No active access keys" in html
    assert "the revoked one" not in html


def test_a_subprojects_section_says_its_parents_keys_reach_it(client_for, member, subproject):
    html = render_section(client_for, member, subproject)
    assert "Keys created here reach <strong>this subproject only</strong>." in html
    assert "Keys of its parent project, <bdi>Acme Production</bdi>, reach it too." in html
    assert '<a href="/help/access-keys/">Learn more about access keys</a>' in html


def test_a_parents_section_says_its_keys_reach_every_subproject(client_for, member, project):
    services.subproject_create(parent=project, name="one")
    html = render_section(client_for, member, project)
    assert "<strong>and every one of its subprojects</strong> (1 now)" in html
    assert '<a href="/help/access-keys/">Learn more about access keys</a>' in html


def test_the_help_page_explains_scope_and_rotation(client_for, viewer):
    response = client_for(viewer).get("/help/access-keys/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "reaches that project and <strong>all of its subprojects</strong>" in body
    assert "<h2>Rotating a key</h2>" in body and "At most 10 active keys" in body


def test_the_limit_counts_the_keys_active_counts(client_for, member, project, settings):
    """Listed: the keys that are not revoked (listed()); counted against the limit: the
    active ones (active(), as the service counts when creating a key)."""
    from datetime import timedelta

    from django.utils import timezone

    from projects.models import AccessKey

    settings.ACCESS_KEYS_PER_PROJECT = 3
    for name in ("one", "two", "expired"):
        services.access_key_create(project=project, display_name=name)
    AccessKey.objects.filter(display_name="expired").update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    revoked, _ = services.access_key_create(project=project, display_name="revoked")
    services.access_key_revoke(key=revoked)
    assert project.access_keys.active().count() == 2
    html = render_section(client_for, member, project)
    assert "expired" in html and "(expired)" in html and "revoked" not in html
    assert "revoke one to create another" not in html  # 2 active of 3
    services.access_key_create(project=project, display_name="three")
    html = render_section(client_for, member, project)
    assert "3 of 3 keys: revoke one to create another." in html
