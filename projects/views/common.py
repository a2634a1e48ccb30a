from accounts.models import User
from projects.models import Project

PER_PAGE = 50


def remember_current(request, project: Project) -> None:
    """Visiting a project makes it the user's current one (saved only when it changes)."""
    user = request.user
    if user.current_project_id != project.pk:
        User.objects.filter(pk=user.pk).update(current_project=project)
        user.current_project_id = project.pk


def can_see(user, project_id) -> bool:
    return Project.objects.visible_to(user).alive().filter(pk=project_id).exists()
