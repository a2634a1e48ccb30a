"""GET /api/internal/v1/projects/{projectId}/limits: may the platform send for it?"""

import pytest

from billing import limits, services
from projects import services as project_services
from tests.billing.conftest import THIS, add_usage
from tests.factories import ProjectFactory


@pytest.fixture
def platform(db):
    from usage import services as usage_services

    _, secret = usage_services.platform_token_create(name="sms gateway")
    return f"Bearer {secret}"


def check(client, project, auth):
    public_id = getattr(project, "public_id", project)
    return client.get(
        f"/api/internal/v1/projects/{public_id}/limits", headers={"Authorization": auth}
    )


def test_a_blocking_limit_stops_that_subproject_only(client, project, subproject, platform):
    sibling = ProjectFactory(parent=project, name="Sibling")
    services.spend_limit_set(project=subproject, amount="1.00", mode="block")
    services.spend_limit_set(project=sibling, amount="1.00", mode="block")
    add_usage(subproject, 100, month=THIS)  # 4.50 EUR: over
    add_usage(sibling, 10, month=THIS)  # 0.45 EUR: under
    limits.evaluate_projects([subproject.public_id, sibling.public_id])

    blocked = check(client, subproject, platform).json()
    assert blocked["sendingAllowed"] is False and blocked["reason"] == "SPEND_LIMIT_REACHED"
    assert blocked["spendLimit"] == {"mode": "BLOCK", "percentUsed": "450.0", "exceeded": True}
    assert check(client, sibling, platform).json()["sendingAllowed"] is True
    assert check(client, project, platform).json() == {
        "projectId": project.public_id,
        "sendingAllowed": True,
        "reason": "",
        "message": "",
        "spendLimit": None,
    }


def test_a_notifying_limit_never_blocks(client, subproject, platform):
    services.spend_limit_set(project=subproject, amount="1.00", mode="notify")
    add_usage(subproject, 100, month=THIS)
    limits.evaluate_projects([subproject.public_id])
    body = check(client, subproject, platform).json()
    assert body["sendingAllowed"] is True and body["spendLimit"]["exceeded"] is True


def test_raising_the_limit_unblocks(client, subproject, platform):
    services.spend_limit_set(project=subproject, amount="1.00", mode="block")
    add_usage(subproject, 100, month=THIS)
    limits.evaluate_projects([subproject.public_id])
    services.spend_limit_set(project=subproject, amount="100.00", mode="block")
    assert check(client, subproject, platform).json()["sendingAllowed"] is True


def test_suspended_and_removed_projects_may_not_send_and_say_why(
    client, project, subproject, platform
):
    project_services.project_suspend(project=project, reason="Invoice unpaid")
    parent = check(client, project, platform).json()
    child = check(client, subproject, platform).json()
    assert (parent["reason"], child["reason"]) == ("SUSPENDED", "PARENT_SUSPENDED")
    assert "Invoice unpaid" in parent["message"] and "Invoice unpaid" in child["message"]
    removed = ProjectFactory(parent=ProjectFactory(), removed=True)
    assert check(client, removed, platform).json()["reason"] == "REMOVED"


def test_two_queries(client, subproject, platform, django_assert_num_queries):
    services.spend_limit_set(project=subproject, amount="1.00", mode="block")
    check(client, subproject, platform)  # the token's last use recorded once
    with django_assert_num_queries(2):  # the token; the project, its parent, its limit
        assert check(client, subproject, platform).status_code == 200


def test_unknown_projects_are_404(client, platform):
    for public_id in ("01ARZ3NDEKTSV4RRFFQ69G5FAV", "nope"):
        response = check(client, public_id, platform)
        assert response.status_code == 404 and response.json()["error"]["status"] == "NOT_FOUND"


def test_customer_keys_are_refused(client, project, subproject):
    from tests.support.api_client import key_header

    response = check(client, subproject, key_header(project))
    assert response.status_code == 401
