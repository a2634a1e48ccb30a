"""The user's current project: the one the dashboard opens on and the top bar names.

It is remembered on the user (every device) when they open a project
(views.common.remember_project), and chosen at sign-in when there is none yet, or the
one remembered is gone (removed, or no longer visible to them): the first project they
can see (menu.first_project). So the Projects menu has a ticked project from the very
first sign-in.
"""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from accounts.models import User

from .menu import first_project
from .models import Project


def ensure_current_project(user) -> Project | None:
    """The user's current project if they still see it, else the first project they see
    (which becomes current), else None."""
    if user.current_project_id:
        current = (
            Project.objects.visible_to(user)
            .alive()
            .filter(pk=user.current_project_id)
            .only("public_id", "parent_id")
            .first()
        )
        if current is not None:
            return current
    chosen = first_project(user)
    if chosen is not None or user.current_project_id is not None:
        User.objects.filter(pk=user.pk).update(current_project=chosen)
        user.current_project_id = chosen.pk if chosen else None
    return chosen


@receiver(user_logged_in, dispatch_uid="projects.current_project")
def choose_current_project(sender, request, user, **kwargs):
    ensure_current_project(user)
