from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.errors import AlreadyExists, LimitReached
from projects import services
from projects.models import AccessKey


def test_create_returns_the_secret_once_and_stores_only_a_hash(project):
    key, secret = services.access_key_create(project=project, display_name=" Production ")
    stored = AccessKey.objects.get(pk=key.pk)
    assert stored.display_name == "Production"
    assert secret not in {stored.secret_hash, stored.key_id}
    assert stored.secret_hash and len(stored.secret_hash) == 64


def test_names_are_unique_per_project_among_live_keys(project, subproject):
    key, _ = services.access_key_create(project=project, display_name="CI")
    with pytest.raises(ValidationError) as excinfo:
        services.access_key_create(project=project, display_name="CI")
    assert excinfo.value.error_list[0].code == AlreadyExists.code
    services.access_key_create(project=subproject, display_name="CI")  # other project: fine
    services.access_key_revoke(key=key)
    services.access_key_create(project=project, display_name="CI")  # the old one is revoked


def test_at_most_ten_active_keys(project, settings):
    keys = [services.access_key_create(project=project, display_name=f"k{i}")[0] for i in range(10)]
    with pytest.raises(ValidationError) as excinfo:
        services.access_key_create(project=project, display_name="eleventh")
    assert excinfo.value.error_list[0].code == LimitReached.code
    assert "Revoke one" in excinfo.value.messages[0]
    services.access_key_revoke(key=keys[0])
    services.access_key_create(project=project, display_name="eleventh")


def test_expired_keys_do_not_count_towards_the_limit(project):
    soon = timezone.now() + timedelta(days=1)
    for i in range(10):
        services.access_key_create(project=project, display_name=f"k{i}", expires_at=soon)
    AccessKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    fresh, _ = services.access_key_create(project=project, display_name="fresh")
    assert list(project.access_keys.active()) == [fresh]
    assert project.access_keys.count() == 11


def test_an_expiry_in_the_future_is_kept(project):
    soon = timezone.now() + timedelta(days=7)
    key, _ = services.access_key_create(project=project, display_name="ci", expires_at=soon)
    stored = AccessKey.objects.get(pk=key.pk)
    assert stored.expires_at == soon and not stored.is_expired()


@pytest.mark.parametrize("offset", [timedelta(0), -timedelta(seconds=1), -timedelta(days=30)])
def test_an_expiry_not_in_the_future_is_refused(project, offset):
    with pytest.raises(ValidationError) as excinfo:
        services.access_key_create(
            project=project, display_name="ci", expires_at=timezone.now() + offset
        )
    assert excinfo.value.message_dict == {"expires_at": ["The expiry must be in the future."]}
    assert not AccessKey.objects.exists()


def test_bad_names_are_refused(project):
    with pytest.raises(ValidationError, match="cannot be empty"):
        services.access_key_create(project=project, display_name="  ")
    with pytest.raises(ValidationError, match="bidirectional"):
        services.access_key_create(project=project, display_name="a\u202eb")
    assert not AccessKey.objects.exists()


def test_rename_checks_uniqueness(project):
    first, _ = services.access_key_create(project=project, display_name="one")
    services.access_key_create(project=project, display_name="two")
    with pytest.raises(ValidationError):
        services.access_key_rename(key=first, display_name="two")
    services.access_key_rename(key=first, display_name="uno")
    assert AccessKey.objects.get(pk=first.pk).display_name == "uno"


def test_no_keys_for_a_removed_subproject(subproject):
    services.subproject_remove(subproject=subproject)
    with pytest.raises(ValidationError, match="removed"):
        services.access_key_create(project=subproject, display_name="late")
