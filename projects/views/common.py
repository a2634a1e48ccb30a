"""Dashboard views: thin functions, one per page or action.

Each one reaches its project through projects.access (404 for outsiders, 403 for
viewers on writes) and changes data only through projects.services, acting as
`Actor.for_user(request)`; a service's refusal is shown with forms.add_service_error.
"""

from accounts.models import User
from projects.models import Project

PER_PAGE = 50


def remember_current(request, project: Project) -> None:
    """Visiting a project makes it the user's current one (saved only when it changes)."""
    user = request.user
    if user.current_project_id != project.pk:
        User.objects.filter(pk=user.pk).update(current_project=project)
        user.current_project_id = project.pk
