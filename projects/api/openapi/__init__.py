"""This app's part of /api/openapi.json (the `api` package merges every app's part):
the Subprojects and Access Keys APIs from the two published contracts (copied into
projects/api/contracts; adjusted in .contracts), and our additions (.additions): the
Audit Events API, suspend and resume, and the token endpoint. Every request body of
ours is described by its model (projects.api.bodies), whose schema the document takes.

Where we serve more or are stricter than the contracts say:

- the token endpoint, at `/oauth2/token` under the document's server `/api` (the same
  view answers at `/oauth2/token`);
- one `Basic` and one `OAuth2` security scheme, whose token URL is ours;
- `Idempotency-Key` on creating a subproject;
- request bodies refuse unknown fields; the read-only fields of a Subproject are
  listed as accepted and ignored, as the contract promises; an access key's
  displayName is required, as the contract says in words;
- subproject error responses use the `Error` schema instead of `{}`;
- access-key operations document the 400 answers they give, and `allowSelfDelete`
  (the DELETE's description says so instead of the contract's note); their 401 and 403
  have the Error body the server sends;
- the deprecated `/v1alpha1/...` spelling of the subprojects paths, which the contract
  calls functionally identical, is served and documented as deprecated;
- suspension: a Subproject's `state` and `suspendReason`, and the custom methods
  `POST /v1/subprojects/{subprojectId}:suspend` and `:resume` (v1 only);
- restoring a deleted subproject within its window: `POST /v1/subprojects/{subprojectId}:restore`;
- `GET /v1/projects/{projectId}/auditEvents`, the audit trail, in the contracts' style.
"""

import copy

from core.api.openapi import Fragment

from . import additions
from .contracts import contracts


def fragment() -> Fragment:
    """The two published contracts, adjusted as the package's note says, and our
    additions."""
    doc, tags = contracts()
    doc["components"]["securitySchemes"] = copy.deepcopy(additions.SECURITY_SCHEMES)
    doc["components"]["responses"]["OAuth2Error"] = copy.deepcopy(additions.OAUTH2_ERROR)
    doc["components"]["schemas"].update(copy.deepcopy(additions.AUDIT_EVENT_SCHEMAS))
    doc["components"]["schemas"]["OAuth2Error"] = copy.deepcopy(additions.OAUTH2_ERROR_SCHEMA)
    doc["paths"].update(copy.deepcopy(additions.PATHS))
    return Fragment(paths=doc["paths"], tags=[*tags, *additions.TAGS], components=doc["components"])
