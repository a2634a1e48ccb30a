"""What an API without credentials still does per request: read the project its route
names. bench/auth_cost.py compares authentication against it as well as against reading
nothing: the key lookup reads the route's project in the same query (projects.api.auth),
so against an API that must read it anyway, authentication costs only its own work."""

import copy


def reading_project(principal, target):
    """`principal` (a fixed one, its key's project loaded) with its key's project read
    again from the database by the Project ID the route names, as a route without
    credentials would find it."""
    from projects.api.auth import Principal
    from projects.models import Project

    key = copy.copy(principal.key)
    key.project = Project.objects.select_related("parent").get(public_id=target)
    return Principal(key=key)
