"""No admin URL filters on a stored hash (a key's secret_hash, a user's password):
bisecting `?secret_hash__startswith=` would read the hash one character at a time."""

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import RequestFactory

from core.admin_lookups import SECRET_FIELDS
from projects import services

ADMIN = f"/{settings.ADMIN_URL}"


@pytest.fixture
def key(project):
    key, _ = services.access_key_create(project=project, display_name="automation")
    return key


@pytest.mark.parametrize(
    "url",
    [
        "projects/accesskey/?secret_hash__startswith={prefix}",
        "projects/accesskey/?secret_hash={hash}",
        "projects/accesskey/?secret_hash__regex=^{prefix}",
        "projects/accesskey/?secret_hash__gt={prefix}",
        "projects/project/?access_keys__secret_hash__startswith={prefix}",
        "accounts/user/?password__startswith=md5",
        "accounts/membership/?user__password__startswith=md5",
        "projects/accesskey/?created_by__password__startswith=md5",
    ],
)
def test_lookups_on_hashes_are_refused(client_for, operator, key, url):
    url = url.format(prefix=key.secret_hash[:2], hash=key.secret_hash)
    response = client_for(operator).get(ADMIN + url)
    assert response.status_code == 400  # DisallowedModelAdminLookup
    assert key.secret_hash not in response.content.decode()


def test_other_filters_still_work(client_for, operator, key):
    client = client_for(operator)
    assert client.get(ADMIN + "projects/accesskey/?state=active").status_code == 200
    response = client.get(ADMIN + f"projects/accesskey/?q={key.key_id}")
    assert response.status_code == 200 and key.key_id in response.content.decode()


def _secret_paths(model, depth=2, prefix=""):
    """Every lookup path from `model` to a secret field, through up to `depth` relations."""
    for field in model._meta.get_fields():
        name = getattr(field, "name", "")
        if name in SECRET_FIELDS:
            yield prefix + name
        elif field.is_relation and field.related_model and depth:
            yield from _secret_paths(field.related_model, depth - 1, f"{prefix}{name}__")


def test_every_registered_admin_refuses_every_path_to_a_hash(operator):
    request = RequestFactory().get("/")
    request.user = operator
    checked = 0
    for model, model_admin in admin.site._registry.items():
        for path in _secret_paths(model):
            for lookup in (path, f"{path}__startswith", f"{path}__contains"):
                assert not model_admin.lookup_allowed(lookup, "x", request), (model, lookup)
                checked += 1
    assert checked > 20
