"""Removing a benchmark's rows from a database it shares (DATABASE_URL given)."""


def delete_family(parent) -> None:
    """A top-level project, its subprojects, and their usage totals."""
    from projects.models import Project
    from usage.models import DailyUsage, FamilyDailyUsage, MonthlyUsage

    for model in (DailyUsage, MonthlyUsage, FamilyDailyUsage):
        model.objects.filter(family_public_id=parent.public_id).delete()
    Project.objects.filter(parent=parent).delete()
    parent.delete()
