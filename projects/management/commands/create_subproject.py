from projects import services
from projects.management.creating import NAME_RULE, CreateProjectCommand
from projects.models import Project


class Command(CreateProjectCommand):
    help = (
        "Create a subproject under a top-level project and print its Project ID. "
        "Rules: the parent must be a top-level project that has not been removed "
        "(subprojects cannot have subprojects); the subproject joins the parent's "
        f"account; the name is {NAME_RULE}."
    )
    row = ("parent_id", "Project ID of the parent project")
    rows, what = Project.objects, "project"
    name_help = "display name of the new subproject"

    def create(self, parent, name, labels):
        return services.subproject_create(parent=parent, name=name, labels=labels, actor=self.actor)
