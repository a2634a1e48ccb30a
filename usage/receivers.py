"""Usage hears from projects (which knows nothing of usage)."""

from django.dispatch import receiver

from projects.signals import subprojects_purging

from .services import purged_projects_keep


@receiver(subprojects_purging, dispatch_uid="usage.keep_purged_names")
def keep_purged_names(sender, projects, **kwargs):
    """Subprojects about to be purged keep their names for their usage history."""
    purged_projects_keep(projects)
