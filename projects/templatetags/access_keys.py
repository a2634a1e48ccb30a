"""{% access_keys_section project %}: the Access keys section of the details panel.

A tag rather than context from the details view, so that the page that includes it
needs no change and the section's query lives with the section.
"""

from django import template
from django.conf import settings

from projects.access import can_write

register = template.Library()


@register.inclusion_tag("projects/includes/access_keys_section.html")
def access_keys_section(project):
    """The project's keys that are not revoked (one query), and what the user may do.

    `project` comes from get_project_for_user, annotated with the user's role.
    """
    keys = list(
        project.access_keys.filter(revoked_at__isnull=True).order_by("created_at", "key_id")
    )
    limit = settings.ACCESS_KEYS_PER_PROJECT
    active = sum(1 for key in keys if not key.is_expired())
    return {
        "project": project,
        "access_keys": keys,
        "can_write": can_write(project),
        "limit": limit,
        "limit_reached": active >= limit,
    }
