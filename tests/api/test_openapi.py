"""GET /api/openapi.json: what we serve, documented; what is documented, served."""

import re

import pytest
import schemathesis
from django.test import Client
from django.urls import URLPattern, URLResolver, resolve

from api import openapi
from api import urls as api_urls
from api.openapi import document
from billing.api import bodies as billing_bodies
from core.api.bodies import Body
from core.api.openapi import body_schema
from core.api.views import unknown_path
from projects.api import access_keys, bodies, subprojects
from projects.api.openapi.contracts import ACCESS_KEYS_CONTRACT, SUBPROJECTS_CONTRACT, load
from usage.api import bodies as usage_bodies

METHODS = ("get", "post", "put", "patch", "delete")
# Routes that answer 404 for what is not served (an unknown path, an unknown `{id}:verb`).
FALLBACKS = (unknown_path, subprojects.unknown_custom_method)


@pytest.fixture
def served_document(db):
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return response.json()


def test_is_public_and_describes_both_contracts_and_the_token_endpoint(served_document):
    assert served_document["servers"] == [{"url": "/api"}]
    assert set(served_document["paths"]) >= {
        "/v1/projects/{parentProjectId}/subprojects",
        "/v1/subprojects/{subprojectId}",
        "/v1/projects/{projectId}/accessKeys",
        "/v1/projects/{projectId}/accessKeys/{accessKeyId}",
        "/oauth2/token",
    }
    # One server for every path: generators ignore a path's own `servers`.
    assert not [t for t, item in served_document["paths"].items() if "servers" in item]
    token_url = served_document["components"]["securitySchemes"]["OAuth2"]["flows"]
    assert token_url["clientCredentials"]["tokenUrl"] == "http://testserver/api/oauth2/token"
    post = served_document["paths"]["/v1/projects/{parentProjectId}/subprojects"]["post"]
    assert "Idempotency-Key" in [p.get("name") for p in post["parameters"]]


def test_is_a_valid_openapi_document(served_document):
    schema = schemathesis.openapi.from_dict(served_document)
    schema.validate()
    operations = [result.ok() for result in schema.get_all_operations()]
    # 5 subprojects (and their 5 deprecated /v1alpha1 twins), suspend, resume and
    # restore, 5 access keys, audit events, the token, the Usage API and the internal
    # usage ingest, billing's 2 statements, a subproject's 2 statements and 3 spend-limit
    # operations and the internal sending check; the events list and 9 webhook endpoint
    # operations
    assert len(operations) == 40


def _documented() -> dict[str, set[str]]:
    found = {}
    for template, item in document()["paths"].items():
        prefix = item.get("servers", [{"url": "/api"}])[0]["url"].rstrip("/")
        found[prefix + template] = {m for m in METHODS if m in item}
    return found


def _concrete(template: str) -> str:
    return re.sub(r"\{\w+\}", "01ARZ3NDEKTSV4RRFFQ69G5FAV", template)


def _served_methods(client, url) -> set[str]:
    """Methods a URL answers without credentials with anything but 405."""
    return {m for m in METHODS if getattr(client, m)(url).status_code != 405}


@pytest.mark.django_db
def test_every_documented_operation_is_served(client):
    for template, methods in _documented().items():
        url = _concrete(template)
        assert resolve(url).func not in FALLBACKS, template
        assert methods <= _served_methods(client, url), template


def _routes(patterns, prefix="/api/"):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.callback not in FALLBACKS:
            yield prefix + str(pattern.pattern)


@pytest.mark.django_db
def test_every_served_api_route_is_documented(client):
    documented = {re.sub(r"\{\w+\}", "{}", t): m for t, m in _documented().items()}
    for route in _routes(api_urls.urlpatterns):
        if route == "/api/openapi.json":
            continue
        template = re.sub(r"<(?:\w+:)?\w+>", "{}", route)
        assert template in documented, f"{route} is served but not in /api/openapi.json"
        url = template.replace("{}", "01ARZ3NDEKTSV4RRFFQ69G5FAV")
        assert _served_methods(client, url) == documented[template], route


def test_access_key_operations_document_the_400s_they_give():
    paths = document()["paths"]
    single = paths["/v1/projects/{projectId}/accessKeys/{accessKeyId}"]
    for operation in (
        paths["/v1/projects/{projectId}/accessKeys"]["get"],
        single["patch"],
        single["delete"],
    ):
        assert "400" in operation["responses"]
    names = [p["name"] for p in single["delete"]["parameters"]]
    assert access_keys.ALLOW_SELF_DELETE in names


def test_the_committed_document_is_what_generate_openapi_writes():
    assert openapi.DOCUMENT.read_text(encoding="utf-8") == openapi.render(
        openapi.build_document()
    ), "api/openapi.json is stale: run manage.py generate_openapi"


@pytest.mark.django_db
def test_v1alpha1_is_the_same_api_marked_deprecated(client):
    paths = document()["paths"]
    alias = paths["/v1alpha1/subprojects/{subprojectId}"]
    assert alias["get"]["deprecated"] is True
    responses = dict(alias["get"]["responses"])
    responses["200"] = {k: v for k, v in responses["200"].items() if k != "headers"}
    assert responses == paths["/v1/subprojects/{subprojectId}"]["get"]["responses"]
    assert resolve("/api/v1alpha1/subprojects/01ARZ3NDEKTSV4RRFFQ69G5FAV").func is not unknown_path


# --- Request bodies: described once, by the models the views validate with ------------

# Keywords that only describe; the others say what a schema accepts.
_WORDS = {"description", "example", "examples", "title"}


def _accepts(schema):
    """What a schema accepts: the schema without its words."""
    if isinstance(schema, dict):
        return {key: _accepts(value) for key, value in schema.items() if key not in _WORDS}
    if isinstance(schema, list):
        return [_accepts(value) for value in schema]
    return schema


def _json_body(doc: dict, path: str, method: str) -> dict:
    schema = doc["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
    if "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _required(schema: dict) -> list[str]:
    """The contract's required fields: listed, or said in words ("Required. …": the
    access-keys contract, generated from protobuf, says it only so)."""
    said = [
        name
        for name, spec in schema.get("properties", {}).items()
        if spec.get("description", "").startswith("Required.")
    ]
    return sorted({*schema.get("required", []), *said})


@pytest.mark.parametrize(
    ("contract", "path", "method", "model", "resource"),
    [
        (
            SUBPROJECTS_CONTRACT,
            "/v1/projects/{parentProjectId}/subprojects",
            "post",
            bodies.CreateSubproject,
            "Subproject",
        ),
        (
            SUBPROJECTS_CONTRACT,
            "/v1/subprojects/{subprojectId}",
            "patch",
            bodies.UpdateSubproject,
            "Subproject",
        ),
        (
            ACCESS_KEYS_CONTRACT,
            "/v1/projects/{projectId}/accessKeys",
            "post",
            bodies.CreateAccessKey,
            "AccessKey",
        ),
        (
            ACCESS_KEYS_CONTRACT,
            "/v1/projects/{projectId}/accessKeys/{accessKeyId}",
            "patch",
            bodies.UpdateAccessKey,
            "AccessKey",
        ),
    ],
)
def test_a_contract_body_is_our_model_accepting_what_the_contract_accepts(
    contract, path, method, model, resource
):
    """The contract stays the reference: our model (the served schema) has the same
    fields, each accepting the same values, and requires the same ones. It differs only
    by refusing unknown fields and by taking the resource's read-only fields with any
    value, ignored, as the contract promises."""
    published = load(contract)
    theirs = _json_body(published, path, method)
    ours = body_schema(model)
    served = document()
    assert _json_body(served, path, method) == ours
    alias = "/v1alpha1/" + path.removeprefix("/v1/")
    if alias in served["paths"]:
        assert _json_body(served, alias, method) == ours

    contract_fields = {
        name: spec
        for name, spec in ours["properties"].items()
        if name not in model.ignored and name not in model.added
    }
    assert _accepts(contract_fields) == _accepts(theirs["properties"])
    assert sorted(ours.get("required", [])) == _required(theirs)
    # Our additions are optional: a request made by the contract stays valid.
    assert not set(model.added) & set(ours.get("required", []))
    assert ours["type"] == theirs["type"] == "object"

    assert ours["additionalProperties"] is False and "additionalProperties" not in theirs
    read_only = {
        name
        for name, spec in served["components"]["schemas"][resource]["properties"].items()
        if spec.get("readOnly")
    }
    assert set(model.ignored) == read_only
    for name in model.ignored:
        assert _accepts(ours["properties"][name]) == {"readOnly": True}  # any value


def _models(base=Body):
    for model in base.__subclasses__():
        yield model
        yield from _models(model)


def test_every_json_request_body_in_the_document_is_a_models_schema():
    schemas = {}
    for model in _models():
        schemas[model.__name__] = body_schema(model, schemas)
    # (Every app's bodies are loaded: the views import them.)
    assert {bodies.CreateSubproject, billing_bodies.PutSpendLimitRequest} <= set(_models())
    assert usage_bodies.BatchRecordUsageRequest in set(_models())
    doc = document()
    found = 0
    for path, item in doc["paths"].items():
        for method in METHODS:
            body = item.get(method, {}).get("requestBody")
            if body is None or "application/json" not in body["content"]:
                continue
            found += 1
            schema = _json_body(doc, path, method)
            assert schema in schemas.values(), f"{method} {path}: not a model's schema"
    # subprojects create and update (and their /v1alpha1 twins), suspend, resume,
    # restore, access keys create and update, the usage ingest, the spend limit; webhook
    # endpoints create, update and replay
    assert found == 14
    for name in ("UsageRecord", "BatchRecordUsageRequest", "PutSpendLimitRequest"):
        assert doc["components"]["schemas"][name] == schemas[name]
