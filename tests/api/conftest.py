"""Access keys as API callers: `basic(key, secret)` headers and keys for the personas'
project and subproject."""

import pytest
from django.core.cache import cache

from projects import services
from tests.support.api_client import basic


@pytest.fixture(autouse=True)
def _fresh_rate_limits(db):
    cache.clear()


@pytest.fixture
def project_key(project):
    """(key, Authorization header) of a key of the top-level project."""
    key, secret = services.access_key_create(project=project, display_name="automation")
    return key, basic(key.key_id, secret)


@pytest.fixture
def subproject_key(subproject):
    key, secret = services.access_key_create(project=subproject, display_name="customer")
    return key, basic(key.key_id, secret)
