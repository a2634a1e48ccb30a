import pytest

from tests.support.receiver import Receiver
from webhooks import services


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True  # the receiver is plain HTTP on 127.0.0.1
    found = Receiver()
    yield found
    found.close()


@pytest.fixture
def endpoint(receiver, project, database_queue):
    """An endpoint of `project` at the receiver; events queue for the worker."""
    endpoint, secret = services.endpoint_create(project=project, url=receiver.url)
    endpoint.plain_secret = secret
    return endpoint
