"""Parts of the API's OpenAPI document: each app that serves routes under /api describes
them in a Fragment (its paths, tags and components); the top-level `api` package merges
every app's fragment into the one document served at /api/openapi.json.

Request bodies are described once, by the pydantic models the views validate them with
(core.api.bodies.Body): `body_schema` writes a model's JSON Schema for the document.
The helpers below it write the responses every operation repeats.
"""

import copy
from dataclasses import dataclass, field

import pydantic
from pydantic.json_schema import GenerateJsonSchema

SCHEMAS = "#/components/schemas/"
ERROR = {"$ref": SCHEMAS + "Error"}


@dataclass(frozen=True)
class Fragment:
    """One app's part of the document. `components` maps a section ("schemas",
    "responses", "parameters", "securitySchemes") to its entries."""

    paths: dict
    tags: list = field(default_factory=list)
    components: dict = field(default_factory=dict)


def merge(doc: dict, fragment: Fragment, *, where: str) -> None:
    """Add `fragment` to `doc` (copied: fragments are module constants). A path or a
    component defined twice is a mistake in one of the fragments: ValueError."""
    doc.setdefault("tags", []).extend(copy.deepcopy(fragment.tags))
    _add(doc.setdefault("paths", {}), fragment.paths, f"{where}: paths")
    for section, entries in fragment.components.items():
        target = doc.setdefault("components", {}).setdefault(section, {})
        _add(target, entries, f"{where}: components.{section}")


def _add(target: dict, entries: dict, where: str) -> None:
    for name, value in entries.items():
        if name in target:
            raise ValueError(f"{where}: {name!r} is defined twice")
        target[name] = copy.deepcopy(value)


class _BodySchema(GenerateJsonSchema):
    """pydantic's JSON Schema (2020-12, which OpenAPI 3.1 takes as it is) without what
    pydantic makes up: titles from the names ("Displayname") and `default: null` for a
    field one may leave out (it may not be sent as null unless its type says so). A
    model's docstring, its description, is one paragraph: its line breaks go."""

    def field_title_should_be_set(self, schema) -> bool:
        return False

    def model_schema(self, schema):
        json_schema = super().model_schema(schema)
        json_schema.pop("title", None)
        if "description" in json_schema:
            json_schema["description"] = " ".join(json_schema["description"].split())
        return json_schema

    def default_schema(self, schema):
        json_schema = super().default_schema(schema)
        if json_schema.get("default", ...) is None:
            del json_schema["default"]
        return json_schema


def body_schema(model: type[pydantic.BaseModel], schemas: dict | None = None) -> dict:
    """The JSON Schema of request bodies `model` validates. The models it nests go into
    `schemas` (the fragment's components.schemas, under their class names) and are
    referred to there: OpenAPI keeps shared schemas in components, not in `$defs`."""
    schema = model.model_json_schema(ref_template=SCHEMAS + "{model}", schema_generator=_BodySchema)
    for name, definition in schema.pop("$defs", {}).items():
        if schemas is None:
            raise ValueError(f"{model.__name__} nests {name}: give the components' schemas")
        if schemas.setdefault(name, definition) != definition:
            raise ValueError(f"components.schemas: {name!r} is defined twice")
    return schema


def body_schemas(*models: type[pydantic.BaseModel]) -> dict:
    """components.schemas entries for these models, each under its class name (refer to
    it with `ref(name)`), with the models they nest."""
    schemas: dict = {}
    for model in models:
        schemas[model.__name__] = body_schema(model, schemas)
    return schemas


def ref(schema: str) -> dict:
    return {"$ref": SCHEMAS + schema}


def json_body(schema: dict, *, required: bool = True) -> dict:
    """An operation's requestBody: JSON of `schema` (a schema, or `ref(name)`)."""
    return {"required": required, "content": {"application/json": {"schema": schema}}}


def ok(schema: str, description: str = "OK") -> dict:
    """A 200 response answering the components schema `schema`."""
    return {"description": description, "content": {"application/json": {"schema": ref(schema)}}}


def error(description: str) -> dict:
    """A response in the API's error shape, with its own description."""
    return {"description": description, "content": {"application/json": {"schema": ERROR}}}


def errors(*statuses: int) -> dict:
    """The access-keys contract's shared error responses (400Error, 401Error, 403Error,
    404Error …) for these statuses, as our own operations refer to them."""
    return {str(status): {"$ref": f"#/components/responses/{status}Error"} for status in statuses}


def list_schema(items: str, item_schema: str) -> dict:
    """A list endpoint's answer: `items`, an array of `item_schema`, and nextPageToken
    (core.api.pagination)."""
    return {
        "type": "object",
        "required": [items, "nextPageToken"],
        "properties": {
            items: {"type": "array", "items": ref(item_schema)},
            "nextPageToken": {
                "type": "string",
                "description": "The next page's pageToken; empty on the last page.",
            },
        },
    }
