"""Dashboard views: thin functions, one per page or action.

Each one reaches its project through projects.access (404 for outsiders, 403 for
viewers on writes) and changes data only through projects.services, acting as
`Actor.for_user(request)`; a form is handed to its service with core.forms.submit, which
shows a refusal on the form (core.forms.add_service_error).
Long lists are core.lists.keyset_list pages, sorted as the SORTS below allow.
"""

from django.conf import settings

from core.lists import Column, Sorts

# The sort columns of project lists; "sort_name" is Lower("name"), annotated by the
# view, so that "acme" sorts beside "Acme" on SQLite and PostgreSQL alike. Each order
# has an index (projects.models.Project.Meta.indexes).
NAME = Column("name", "Name", ("sort_name", "public_id"), "A to Z", "Z to A")
CREATED = Column(
    "created",
    "Created",
    ("created_at", "public_id"),
    "oldest first",
    "newest first",
    descending_first=True,
)
SUBPROJECT_SORTS = Sorts((NAME, CREATED), default="-created")
PROJECT_SORTS = Sorts((NAME, CREATED), default="name")
REMOVED_SORTS = Sorts(
    (
        Column(
            "removed",
            "Removed",
            ("removed_at", "public_id"),
            "oldest first",
            "newest first",
            descending_first=True,
        ),
    ),
    default="-removed",
)


def service_api_url(public_id: str) -> str:
    """Where to create a subproject's Service API: SERVICE_API_URL, with "{project_id}"
    in it replaced by the subproject's Project ID."""
    return settings.SERVICE_API_URL.replace("{project_id}", public_id)
