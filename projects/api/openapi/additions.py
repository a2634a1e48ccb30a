"""What we serve beyond the two published contracts: the security schemes (our token
URL), the token endpoint, suspend, resume and restore, and the Audit Events API, in the
contracts' style. Request bodies are our models' schemas (projects.api.bodies)."""

from core.api.openapi import body_schema, errors, json_body, list_schema, ok
from core.api.pagination import PAGE_PARAMETERS
from projects.api.bodies import RestoreSubproject, ResumeSubproject, SuspendSubproject

TAGS = [
    {"name": "Audit Events", "description": "Who changed what, when, from where."},
    {"name": "Authentication", "description": "Bearer tokens for access keys."},
]

SECURITY_SCHEMES = {
    "Basic": {
        "type": "http",
        "scheme": "basic",
        "description": "HTTP Basic with the access key's Key ID as user name and its Key "
        "Secret as password.",
    },
    "OAuth2": {
        "type": "oauth2",
        "description": "Exchange a Key ID and Key Secret for a bearer token at "
        "POST /api/oauth2/token (client credentials grant; also served at /oauth2/token).",
        # Made absolute for each request: OpenAPI 3.1 wants a full URL here.
        "flows": {"clientCredentials": {"tokenUrl": "/api/oauth2/token", "scopes": {}}},
    },
}

# RFC 6749's form and answers (section 4.4), parsed by hand in projects.api.oauth so
# that every refusal has OAuth's own shape: not a body of ours, so written here. Under
# the document's one server (/api), so that generated clients reach it; the same view
# answers at /oauth2/token.
TOKEN_PATH = {
    "post": {
        "summary": "Get a bearer token",
        "description": "OAuth2 client credentials grant (RFC 6749 section 4.4): send the "
        "Key ID and Key Secret as HTTP Basic credentials (the Key ID may be repeated as "
        "client_id in the body), or as client_id and client_secret form fields. The token "
        "(RFC 6750 b64token characters) works as `Authorization: Bearer ...` on every API "
        "operation until it expires or its key is revoked; a refused token is challenged "
        'with `WWW-Authenticate: Bearer error="invalid_token"`. A token can do exactly '
        "what its key can (the key's permissions, set when it is created): a token cannot "
        "ask for other scopes, so the answer names none and a `scope` is refused with "
        "invalid_scope. Also served at /oauth2/token.",
        "operationId": "OAuth2_Token",
        "tags": ["Authentication"],
        "security": [{"Basic": []}, {}],
        "requestBody": {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "required": ["grant_type"],
                        "properties": {
                            "grant_type": {"type": "string", "enum": ["client_credentials"]},
                            "client_id": {
                                "type": "string",
                                "description": "The Key ID; with HTTP Basic, the same "
                                "as its user name.",
                            },
                            "client_secret": {
                                "type": "string",
                                "description": "The Key Secret; not with HTTP Basic.",
                            },
                            "scope": {
                                "type": "string",
                                "maxLength": 0,
                                "description": "Leave it out (or empty): any scope is "
                                "refused with invalid_scope.",
                            },
                        },
                    }
                }
            },
        },
        "responses": {
            "200": {
                "description": "A bearer token.",
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["access_token", "token_type", "expires_in"],
                            "properties": {
                                "access_token": {"type": "string"},
                                "token_type": {"type": "string", "enum": ["bearer"]},
                                "expires_in": {"type": "integer"},
                            },
                        }
                    }
                },
            },
            "400": {"$ref": "#/components/responses/OAuth2Error"},
            "401": {"$ref": "#/components/responses/OAuth2Error"},
            # core.api.middleware answers these in OAuth's shape under /oauth2 too.
            "405": {"$ref": "#/components/responses/OAuth2Error"},
            "500": {"$ref": "#/components/responses/OAuth2Error"},
            "503": {"$ref": "#/components/responses/OAuth2Error"},
        },
    },
}

OAUTH2_ERROR = {
    "description": "An OAuth2 error (RFC 6749 section 5.2): invalid_request, "
    "invalid_client, unsupported_grant_type, invalid_scope, unauthorized_client (a "
    "suspended project's key).",
    # One schema, so that a generated client has one type for every OAuth2 error.
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OAuth2Error"}}},
}
OAUTH2_ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {"type": "string"},
        "error_description": {"type": "string"},
    },
}


def _subproject_method(verb: str, description: str, body) -> dict:
    """A custom method on a subproject (`{subprojectId}:verb`), answering the Subproject;
    its optional body validated by the model `body`."""
    return {
        "post": {
            "summary": f"{verb.capitalize()} a subproject",
            "description": description,
            "operationId": f"SubprojectService_{verb.capitalize()}Subproject",
            "tags": ["Subprojects Service"],
            "parameters": [{"$ref": "#/components/parameters/subprojectId"}],
            "requestBody": json_body(body_schema(body), required=False),
            "responses": {
                "200": ok("Subproject", "The subproject, with its new state."),
                # The Subprojects contract's names for its error responses.
                "400": {"$ref": "#/components/responses/InvalidArgument"},
                "401": {"$ref": "#/components/responses/Unauthenticated"},
                "403": {"$ref": "#/components/responses/PermissionDenied"},
                "404": {"$ref": "#/components/responses/NotFound"},
            },
        }
    }


SUSPEND_PATH = _subproject_method(
    "suspend",
    "Suspend a subproject (an unpaid bill, abuse): until it is resumed, its access keys and "
    "their bearer tokens are refused with 403 PERMISSION_DENIED, saying so. Its data, keys "
    "and usage stay. Only the parent project's key may (a subproject's own key gets 403). "
    "`reason` is required (1-255 characters). Suspending a suspended subproject changes "
    "its reason; a suspension by the platform cannot be changed (403). A deleted "
    "subproject cannot be suspended (400 FAILED_PRECONDITION).",
    SuspendSubproject,
)
RESUME_PATH = _subproject_method(
    "resume",
    "Lift a subproject's suspension: its keys work again on the next request. Only the "
    "parent project's key may; a suspension by the platform can only be lifted by the "
    "platform (403). Resuming an active subproject changes nothing. No body, or `{}`.",
    ResumeSubproject,
)

RESTORE_PATH = _subproject_method(
    "restore",
    "Undo a delete: within the restore window (30 days after the delete; the Subproject's "
    "`deleted` is true meanwhile) the subproject is listed again and its access keys work "
    "on the next request, as they were; restoring one that is not deleted changes nothing. "
    "Past the window it answers 400 FAILED_PRECONDITION; once purged it is unknown (404). "
    "Only the parent project's key may (a subproject's own key gets 403). No body, or `{}`.",
    RestoreSubproject,
)

AUDIT_EVENT_SCHEMAS = {
    "AuditEvent": {
        "type": "object",
        "description": "One change: who made it, through which interface, from where, to "
        "what, with the changed fields before and after (never a secret).",
        "required": [
            "time",
            "action",
            "actor",
            "source",
            "clientAddress",
            "projectId",
            "targetId",
            "changes",
        ],
        "properties": {
            "time": {"type": "string", "format": "date-time", "description": "UTC."},
            "action": {
                "type": "string",
                "description": 'What was done, e.g. "subproject.create", "access_key.revoke".',
            },
            "actor": {
                "type": "object",
                "required": ["type", "id"],
                "properties": {
                    "type": {
                        "type": "string",
                        "enum": [
                            "user",
                            "access_key",
                            "platform_token",
                            "command",
                            "operator",
                            "system",
                            "staff",
                        ],
                    },
                    "id": {
                        "type": "string",
                        "description": "A user's email at the time, a Key ID, a platform "
                        "token's ID or a command's name; empty for an operator, and for "
                        "\"staff\": the ASP's people and keys as a subproject's own key "
                        "reads them (it sees no spend-limit entry, no address, and no "
                        "labels unless the ASP shows them).",
                    },
                },
            },
            "source": {
                "type": "string",
                "enum": ["dashboard", "api", "admin", "command", "internal"],
            },
            "clientAddress": {
                "type": "string",
                "description": "The client's IP address; empty for the platform's own changes.",
            },
            "projectId": {"type": "string", "description": "The project or subproject."},
            "targetId": {"type": "string", "description": "A Project ID or a Key ID."},
            "changes": {
                "type": "object",
                "description": "Each changed field's value before and after.",
                "additionalProperties": {
                    "type": "object",
                    "properties": {"before": {}, "after": {}},
                },
            },
        },
    },
    "ListAuditEventsResponse": list_schema("auditEvents", "AuditEvent"),
}

AUDIT_EVENTS_PATH = {
    "get": {
        "summary": "List audit events",
        "description": "The project's audit trail, newest first: for a top-level project, "
        "its own entries and its subprojects' (removed and purged ones included); for a "
        "subproject, its own. A subproject's key reads only its subproject's. An ID "
        "outside the key's scope answers 403, as an unknown one does.",
        "operationId": "AuditEventService_ListAuditEvents",
        "tags": ["Audit Events"],
        "parameters": [
            {
                "name": "projectId",
                "in": "path",
                "required": True,
                "description": "A Project ID the key reaches.",
                "schema": {"type": "string"},
            },
            *PAGE_PARAMETERS,
        ],
        "responses": {"200": ok("ListAuditEventsResponse"), **errors(400, 401, 403)},
    }
}

PATHS = {
    "/v1/subprojects/{subprojectId}:suspend": SUSPEND_PATH,
    "/v1/subprojects/{subprojectId}:resume": RESUME_PATH,
    "/v1/subprojects/{subprojectId}:restore": RESTORE_PATH,
    "/v1/projects/{projectId}/auditEvents": AUDIT_EVENTS_PATH,
    "/oauth2/token": TOKEN_PATH,  # /api/oauth2/token
}
