"""Fuzzing every operation of the served OpenAPI document (schemathesis, valid and
invalid requests), with the fields that broke before at their extremes (the usage
ingest's metric, hour and quantity; a spend limit's amount and quantities; statement
months; usage dates): never a server error.

Each request runs in a savepoint rolled back afterwards, so that every one meets the
same data (a parent, three subprojects, keys and a platform token) however many
deletes came before. FUZZ_REQUESTS sets how many requests (the suite's default is
small; `FUZZ_REQUESTS=12000 pytest tests/api/test_fuzz_extremes.py` is the 10,000+
run), on SQLite or, with DATABASE_URL, PostgreSQL.
"""

import json
import os
import string
from urllib.parse import urlencode, urlsplit

import pytest
import schemathesis
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.generation import GenerationMode

from api.openapi import document
from projects import services
from tests.factories import ProjectFactory
from tests.support.api_client import basic
from usage import services as usage_services
from usage.ingest import MAX_QUANTITY
from usage.metrics import CODES

REQUESTS = int(os.environ.get("FUZZ_REQUESTS", "400"))

# Values that broke, or sit at an edge: any JSON value where a string is wanted.
ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=5,
)
HOURS = st.one_of(
    st.sampled_from(
        [
            "9999-12-31T23:00:00-14:00",
            "9999-12-31T23:00:00+14:00",
            "0001-01-01T00:00:00+14:00",
            "0001-01-01T00:00:00-14:00",
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:00:00Z",
            "2026-02-30T10:00:00Z",
            "2026-11-27T10:00:00+23:59",
            "2026-11-27T10:00:00.000000001Z",
            "2026-11-27T10:00:00",
            "",
            "\x00",
        ]
    ),
    st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()),
    ANY_JSON,
)
METRICS = st.one_of(st.sampled_from(CODES), ANY_JSON, st.text(alphabet=string.printable))
QUANTITIES = st.one_of(
    st.sampled_from([0, 1, MAX_QUANTITY, MAX_QUANTITY + 1, -1, 2**63, 2**64, 10**400]),
    st.integers(),
    ANY_JSON,
)
AMOUNTS = st.one_of(
    st.sampled_from(
        [
            "1e26",
            "1E+400",
            "1e-400",
            "-0",
            "NaN",
            "sNaN",
            "Infinity",
            "-Infinity",
            "0.001",
            "99999999999999999999.99",
            "100000000000000000000",
            "9" * 5000,
            "1_000",
            " 1 ",
        ]
    ),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    ANY_JSON,
)


@st.composite
def usage_batches(draw, project_ids):
    def one():
        return st.fixed_dictionaries(
            {
                "recordId": st.one_of(st.text(alphabet=string.ascii_letters, min_size=1), ANY_JSON),
                "projectId": st.one_of(st.sampled_from(project_ids), ANY_JSON),
                "metric": METRICS,
                "hour": HOURS,
                "quantity": QUANTITIES,
            }
        )

    return {"records": draw(st.lists(one(), min_size=1, max_size=5))}


@st.composite
def spend_limits(draw):
    body = draw(
        st.one_of(
            st.fixed_dictionaries(
                {"amount": AMOUNTS, "mode": st.sampled_from(["BLOCK", "NOTIFY"])}
            ),
            st.fixed_dictionaries(
                {
                    "quantities": st.dictionaries(
                        METRICS.filter(lambda m: isinstance(m, str)), QUANTITIES, max_size=3
                    ),
                    "mode": st.one_of(st.sampled_from(["BLOCK", "NOTIFY"]), ANY_JSON),
                }
            ),
            ANY_JSON,
        )
    )
    return body


@pytest.fixture
def world(db):
    parent = ProjectFactory(name="Fuzz parent")
    subs = [ProjectFactory(parent=parent, name=f"Customer {i}") for i in range(3)]
    key, secret = services.access_key_create(project=parent, display_name="fuzz")
    other_key, _ = services.access_key_create(project=parent, display_name="other")
    _, token = usage_services.platform_token_create(name="fuzz")
    return {
        "parent": parent.public_id,
        "subprojects": [s.public_id for s in subs],
        "access_key": other_key.key_id,  # never the key the requests use
        "customer": basic(key.key_id, secret),
        "platform": f"Bearer {token}",
    }


def _operations():
    schema = schemathesis.openapi.from_dict(document())
    return [result.ok() for result in schema.get_all_operations()]


def _strategy(operation, world):
    """Cases of one operation: schemathesis's (valid and invalid), mostly on the real
    IDs; and the hand-written extremes for the bodies that broke."""
    ids = {
        "parentProjectId": world["parent"],
        "projectId": world["parent"],
        "subprojectId": world["subprojects"][0],
        "accessKeyId": world["access_key"],
    }
    wanted = {p.name: ids[p.name] for p in operation.path_parameters if p.name in ids}
    cases = []
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        cases.append(operation.as_strategy(generation_mode=mode))
        if wanted and len(wanted) == len(list(operation.path_parameters)):
            cases.append(operation.as_strategy(generation_mode=mode, path_parameters=wanted))
    strategy = st.one_of(*cases).map(lambda case: _request(case, world))
    extra = _extremes(operation, world, wanted)
    return st.one_of(strategy, extra) if extra is not None else strategy


def _extremes(operation, world, wanted):
    path, method = operation.path, operation.method.upper()
    if path == "/internal/v1/usage:batchRecord":
        ids = [world["parent"], *world["subprojects"]]
        return usage_batches(ids).map(lambda body: (method, "/api" + path, body, world["platform"]))
    if path.endswith("/spendLimit") and method == "PUT":
        url = f"/api/v1/subprojects/{world['subprojects'][0]}/spendLimit"
        return spend_limits().map(lambda body: (method, url, body, world["customer"]))
    if path.endswith("/statements/{month}"):
        months = st.one_of(
            st.sampled_from(["9999-12", "0001-01", "0000-01", "2026-13", "10000-01"]),
            st.text(max_size=8),
        )
        return months.map(
            lambda m: (
                "GET",
                f"/api/v1/projects/{world['parent']}/statements/{m}",
                None,
                world["customer"],
            )
        )
    if path.endswith("/usage"):
        dates = st.one_of(
            st.sampled_from(["9999-12-31", "0001-01-01", "9999-12-01", "0001-01-31", ""]),
            st.dates().map(str),
            st.text(max_size=12),
        )
        return st.tuples(dates, dates).map(
            lambda d: (
                "GET",
                f"/api/v1/projects/{world['parent']}/usage?"
                + urlencode({"startDate": d[0], "endDate": d[1]}),
                None,
                world["customer"],
            )
        )
    return None


def _request(case, world):
    """(method, url, JSON body or None, Authorization) of a schemathesis case."""
    kwargs = case.as_transport_kwargs(base_url="http://testserver/api")
    url = urlsplit(kwargs["url"])
    path = url.path
    if path.startswith("/api/oauth2/"):
        path = path[len("/api") :]
    query = kwargs.get("params") or {}
    if query:
        path += "?" + urlencode(query, doseq=True)
    auth = world["platform"] if "/internal/" in path else world["customer"]
    body = kwargs.get("json", case.body if not isinstance(case.body, type(None)) else None)
    if "json" not in kwargs and not isinstance(case.body, (dict, list, str, int, float, bool)):
        body = None
    return case.method.upper(), path, body, auth


def test_no_request_is_a_server_error(world):
    client = Client(raise_request_exception=False)
    operations = _operations()
    strategy = st.one_of(*[_strategy(op, world) for op in operations])
    sent, errors = [], []

    @settings(
        max_examples=REQUESTS,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(request=strategy)
    def one(request):
        method, path, body, auth = request
        kwargs = {"headers": {"Authorization": auth}}
        if body is not None:
            kwargs["data"] = json.dumps(body)
            kwargs["content_type"] = "application/json"
        with transaction.atomic():
            response = client.generic(method, path, **kwargs)
            transaction.set_rollback(True)
        sent.append(response.status_code)
        if response.status_code >= 500:
            errors.append((method, path, body, response.status_code, response.content[:300]))

    one()
    print(f"{len(sent):,} requests, {len(errors)} server errors")
    assert len(sent) >= REQUESTS * 0.9
    assert errors == [], errors[:5]
