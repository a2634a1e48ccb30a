"""What an ASP's customer sees of its own subproject's history.

An ASP's customer is a login granted a subproject without seeing its parent, or the
subproject's own access key. The audit trail's CustomerView (audit.models) says how it
sees entries; here is who its own people and keys are, so that those stay named.
"""

from accounts.models import Role
from audit.models import CustomerView

from .models import AccessKey, Project, ProjectGrant


def customer_view(subproject: Project) -> CustomerView:
    """The CustomerView of `subproject`'s customer. Three small queries."""
    parent_grants = ProjectGrant.objects.filter(project_id=subproject.parent_id)
    own_users = (
        ProjectGrant.objects.filter(project=subproject)
        .exclude(membership__role=Role.ADMIN)
        .exclude(membership__in=parent_grants.values("membership"))
        .values_list("membership__user_id", flat=True)
    )
    own_keys = AccessKey.objects.filter(project=subproject).values_list("key_id", flat=True)
    asp = Project.objects.filter(pk=subproject.pk).values_list("account__name", flat=True)
    return CustomerView(
        asp_name=asp.first() or "",
        own_users=frozenset(str(pk) for pk in own_users),
        own_keys=frozenset(key.lower() for key in own_keys),
    )


def is_customer_login(project: Project) -> bool:
    """Whether the user `project` was loaded for (projects.access) is its customer: a
    subproject whose parent they do not see."""
    return project.is_subproject and not getattr(project, "parent_visible", False)
