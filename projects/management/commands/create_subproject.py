from projects import services
from projects.management.creating import CreateCommand, parse_labels
from projects.models import Project


class Command(CreateCommand):
    help = (
        "Create a subproject under a top-level project and print its Project ID. "
        "Rules: the parent must be a top-level project that has not been removed "
        "(subprojects cannot have subprojects); the subproject joins the parent's "
        "account; the name is 1-255 characters after trimming, without control or "
        "bidirectional-override characters."
    )
    where = ("parent_id", "Project ID of the parent project")
    name_help = "display name of the new subproject"
    labels = True

    def handle(self, *args, parent_id, name, label, **options):
        parent = self.get_or_fail(Project.objects, "project", public_id=parent_id)
        subproject = services.subproject_create(
            parent=parent, name=name, labels=parse_labels(label), actor=self.actor
        )
        self.stdout.write(subproject.public_id)
