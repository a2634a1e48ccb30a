"""The request bodies of the Subprojects and Access Keys APIs: each described once, by
the model the view validates it with (core.api.bodies.Body), from which /api/openapi.json
takes its schema (projects.api.openapi). tests/api/test_openapi.py holds the schemas of
the two published contracts' bodies to what the contracts accept.

Names and labels are checked by the services (core.validation, projects.validation),
for the dashboard and the API alike, and the API answers with their messages: the
models state those limits for the document only (`json_schema_extra`) instead of
checking them a second time in other words.
"""

from typing import Literal

import pydantic

from core.api.bodies import Body
from core.validation import NAME_MAX_LENGTH
from projects import scopes
from projects.validation import LABEL_PART_MAX_LENGTH, LABELS_MAX_COUNT

NAME = {"minLength": 1, "maxLength": NAME_MAX_LENGTH}
_LABEL_PART = {"minLength": 1, "maxLength": LABEL_PART_MAX_LENGTH}
LABELS = {
    "maxProperties": LABELS_MAX_COUNT,
    "additionalProperties": {"type": "string", **_LABEL_PART},
    "propertyNames": _LABEL_PART,
}
LABELS_TEXT = (
    "A map of labels. String, key-value pairs that are completely customizable to allow "
    'for your metadata. Both the key and the value can be modified. Examples: `"region": '
    '"US-Northwest"` or `"phoneNumber": "14051234567"`'
)


class SubprojectBody(Body):
    # The read-only fields of a Subproject: the contract says a value sent in a request
    # body is ignored, so they are dropped before validation instead of being refused.
    ignored = (
        "subprojectId",
        "parentProjectId",
        "createTime",
        "updateTime",
        "deleted",
        "state",
        "suspendReason",
    )


class CreateSubproject(SubprojectBody):
    """The request to create a new subproject."""

    displayName: str = pydantic.Field(
        description="The display name of the subproject. You cannot have a null value. It "
        "does not have to be unique.",
        examples=["Taco Time"],
        json_schema_extra=NAME,
    )
    labels: dict[str, str] = pydantic.Field(
        default_factory=dict, description=LABELS_TEXT, json_schema_extra=LABELS
    )


class UpdateSubproject(SubprojectBody):
    # Both fields optional; an explicit null is refused (defaults are not validated, so
    # a missing field stays None while `"displayName": null` fails the str type).

    displayName: str = pydantic.Field(  # type: ignore[assignment]
        None,
        description="Nonempty, non-unique display name of the subproject.",
        examples=["Not Yo Momma's Cookin'"],
        json_schema_extra=NAME,
    )
    labels: dict[str, str] = pydantic.Field(  # type: ignore[assignment]
        None, description=LABELS_TEXT, json_schema_extra=LABELS
    )


class SuspendSubproject(Body):
    reason: str = pydantic.Field(
        description="Why: shown with the subproject and to programs whose keys are refused.",
        json_schema_extra=NAME,
    )


class ResumeSubproject(Body):
    pass


class RestoreSubproject(Body):
    pass


KEY_NAME_TEXT = (
    "Required. The display name for this Access Key. It must be unique for the resource "
    "tied to the key."
)
Permission = Literal[scopes.PERMISSIONS]  # type: ignore[valid-type]


class CreateAccessKey(Body):
    """Create Access Key request."""

    added = ("permissions",)

    displayName: str = pydantic.Field(description=KEY_NAME_TEXT)
    permissions: list[Permission] = pydantic.Field(  # type: ignore[assignment]
        None,
        description="An addition to the contract: the new key's scope. Leave it out for a "
        "key that may do everything (as every key of the contract). Otherwise "
        "`<resource>:read` or `<resource>:write` (write includes read) for resources "
        f"{', '.join(scopes.RESOURCES)}; a request outside the scope answers 403 "
        "PERMISSION_DENIED naming the permission it lacks. A key can only create keys "
        "within its own scope.",
        min_length=1,
        examples=[["subprojects:read", "usage:read"]],
    )


class UpdateAccessKey(Body):
    """Update Access Key request."""

    displayName: str = pydantic.Field(description=KEY_NAME_TEXT)
