"""GET, PUT, DELETE /api/v1/subprojects/{subprojectId}/spendLimit: the parent's key."""

import pytest

from api.openapi import document
from audit.models import AuditEvent
from billing.models import SpendLimit
from billing.services import MAX_LIMIT_QUANTITY
from tests.billing.conftest import THIS
from tests.support.api_client import call, error_of, key_header


def url(project):
    return f"/api/v1/subprojects/{project.public_id}/spendLimit"


def test_set_read_and_remove(client, project, subproject):
    auth = key_header(project)
    response = call(client, "PUT", url(subproject), auth, {"amount": "100.00", "mode": "BLOCK"})
    assert response.status_code == 200
    assert response.json() == {
        "subprojectId": subproject.public_id,
        "amount": "100.00",
        "currency": "EUR",
        "quantities": {},
        "month": f"{THIS:%Y-%m}",
        "mode": "BLOCK",
        "percentUsed": "0.0",
        "exceeded": False,
        "sendingAllowed": True,
    }
    assert call(client, "GET", url(subproject), auth).json()["amount"] == "100.00"
    changed = call(
        client,
        "PUT",
        url(subproject),
        auth,
        {"quantities": {"sms.outbound": 5000}, "mode": "NOTIFY"},
    )
    assert (
        changed.json()["quantities"] == {"sms.outbound": 5000} and changed.json()["amount"] is None
    )
    assert call(client, "DELETE", url(subproject), auth).json() == {}
    assert error_of(call(client, "GET", url(subproject), auth))[:2] == (404, "NOT_FOUND")
    actions = AuditEvent.objects.filter(source="api").values_list("action", flat=True)
    assert list(actions.order_by("id")) == [
        "spend_limit.set",
        "spend_limit.set",
        "spend_limit.remove",
    ]


def test_a_subproject_key_gets_the_answer_of_an_unknown_id(client, project, subproject):
    auth = key_header(subproject)
    for method, body in (
        ("GET", None),
        ("PUT", {"amount": "1", "mode": "NOTIFY"}),
        ("DELETE", None),
    ):
        assert error_of(call(client, method, url(subproject), auth, body))[:2] == (404, "NOT_FOUND")
    assert not SpendLimit.objects.exists()


def test_a_top_level_project_has_no_spend_limit(client, project):
    response = call(
        client, "PUT", url(project), key_header(project), {"amount": "1", "mode": "NOTIFY"}
    )
    assert error_of(response)[:2] == (404, "NOT_FOUND")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"amount": 100, "mode": "BLOCK"}, "amount"),
        ({"amount": "100", "mode": "block"}, "mode"),
        ({"amount": "-1", "mode": "BLOCK"}, "more than zero"),
        ({"amount": "1.001", "mode": "BLOCK"}, "decimals"),
        ({"mode": "BLOCK"}, "either an amount or quantities"),
        ({"quantities": {"fax": 1}, "mode": "BLOCK"}, "not a metric"),
        ({"amount": "1", "mode": "BLOCK", "colour": "red"}, "colour: unknown field"),
    ],
)
def test_bad_bodies_are_refused_with_a_message(client, project, subproject, body, message):
    response = call(client, "PUT", url(subproject), key_header(project), body)
    status, word, text = error_of(response)
    assert (status, word) == (400, "INVALID_ARGUMENT") and message in text
    assert not SpendLimit.objects.exists()


def test_null_is_leaving_one_out_as_the_document_says(client, project, subproject):
    """The served schema (billing.api.bodies, ADR 0105) says amount and quantities may be
    null, and a quantity at most 10^15: what the API always did; the hand-written schema
    it replaced said neither."""
    schema = document()["components"]["schemas"]["PutSpendLimitRequest"]["properties"]
    for name in ("amount", "quantities"):
        assert {"type": "null"} in schema[name]["anyOf"]
    (quantities,) = [s for s in schema["quantities"]["anyOf"] if s.get("type") == "object"]
    assert quantities["additionalProperties"]["maximum"] == MAX_LIMIT_QUANTITY

    auth = key_header(project)
    body = {"amount": None, "quantities": {"sms.outbound": 5}, "mode": "NOTIFY"}
    response = call(client, "PUT", url(subproject), auth, body)
    assert response.status_code == 200 and response.json()["quantities"] == {"sms.outbound": 5}
    too_many = {"quantities": {"sms.outbound": MAX_LIMIT_QUANTITY + 1}, "mode": "NOTIFY"}
    assert error_of(call(client, "PUT", url(subproject), auth, too_many))[0] == 400


def test_the_audit_trail_spells_modes_as_the_api_does(client, project, subproject):
    auth = key_header(project)
    call(client, "PUT", url(subproject), auth, {"amount": "100.00", "mode": "BLOCK"})
    call(client, "PUT", url(subproject), auth, {"amount": "100.00", "mode": "NOTIFY"})
    events = call(client, "GET", f"/api/v1/projects/{project.public_id}/auditEvents", auth)
    modes = [
        e["changes"]["mode"]
        for e in events.json()["auditEvents"]
        if e["action"] == "spend_limit.set"
    ]
    assert modes == [{"before": "BLOCK", "after": "NOTIFY"}, {"before": None, "after": "BLOCK"}]
