"""JSON request bodies: read one (`read_json`), or read and validate it with a pydantic
model (`parse_body`), answering 400 INVALID_ARGUMENT that names what is wrong.

Each body is described once, by a `Body` model: the view validates with it and the
OpenAPI document takes its schema from it (core.api.openapi.body_schema). A model's
docstring and its fields' descriptions are the document's words.
"""

import json
import re
from typing import ClassVar

import pydantic
from django.core.exceptions import RequestDataTooBig

from .errors import ApiError, invalid_argument

# A UTF-16 surrogate (U+D800 to U+DFFF) in a UTF-8 body: as a JSON escape (\uD800), or
# as the bytes ED A0 80 to ED BF BF, which json.loads decodes with "surrogatepass".
_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]|\xed[\xa0-\xbf]")


JSON = "application/json"


def read_json(request) -> dict:
    """The request body as a JSON object, or 400 INVALID_ARGUMENT saying what is wrong;
    a body sent as anything but Content-Type application/json (a form, no type) is 415,
    so that a client that forgot the header learns it at once. No body at all is no
    JSON object (400)."""
    if request.body and request.content_type != JSON:  # without its parameters (charset)
        sent = request.content_type[:100] or "no Content-Type"
        raise ApiError(
            415,
            "INVALID_ARGUMENT",
            f"Send the body as JSON with Content-Type: {JSON} (this request has {sent}).",
        )
    try:
        body = request.body or b"null"
        data = json.loads(body)
        # Escapes like "\ud800" decode to lone surrogates, which no database or response
        # can encode: refuse them here rather than fail half-way through a write. A UTF-8
        # body is checked only if it holds a surrogate (encoding 1,000 usage records again
        # cost a millisecond); json.loads also takes UTF-16 and UTF-32.
        if json.detect_encoding(body) != "utf-8" or _SURROGATE.search(body):
            json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise invalid_argument(
            "The request body contains an invalid Unicode escape (a lone surrogate)."
        ) from None
    except RequestDataTooBig:
        raise invalid_argument("The request body is too large.") from None
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: deep nesting
        raise invalid_argument("The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise invalid_argument("The request body must be a JSON object.")
    return data


IGNORED = "Read-only: a value sent here is ignored."


def _list_ignored(schema: dict, model: type["Body"]) -> None:
    for name in model.ignored:
        schema["properties"][name] = {"readOnly": True, "description": IGNORED}


class Body(pydantic.BaseModel):
    """A JSON request body: unknown fields are refused. The names in `ignored` (a
    resource's read-only fields, which a contract says are ignored in requests) are
    accepted with any value and dropped before validation; the schema lists them as
    such, without a type."""

    model_config = pydantic.ConfigDict(extra="forbid", json_schema_extra=_list_ignored)
    ignored: ClassVar[tuple[str, ...]] = ()
    # Optional fields this server adds to a published contract's body (documented in
    # the served OpenAPI document; tests/api/test_openapi.py holds the rest to the contract).
    added: ClassVar[tuple[str, ...]] = ()


def parse_body(request, model: type[Body]):
    """Validate the JSON body with a Body model (strictly: no conversions, so that a
    number is not taken for a name); errors name the field."""
    data = read_json(request)
    data = {name: value for name, value in data.items() if name not in model.ignored}
    try:
        return model.model_validate(data, strict=True)
    except pydantic.ValidationError as e:
        first = e.errors(include_url=False)[0]
        field = ".".join(str(part) for part in first["loc"]) or "body"
        if first["type"] == "extra_forbidden":
            raise invalid_argument(f"{field}: unknown field.") from None
        raise invalid_argument(f"{field}: {first['msg']}.") from None
