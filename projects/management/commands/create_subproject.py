from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from projects import services
from projects.management.labels import parse_labels
from projects.models import Project


class Command(BaseCommand):
    help = (
        "Create a subproject under a top-level project and print its Project ID. "
        "Rules: the parent must be a top-level project that has not been removed "
        "(subprojects cannot have subprojects); the subproject joins the parent's "
        "account; the name is 1-255 characters after trimming, without control or "
        "bidirectional-override characters."
    )

    def add_arguments(self, parser):
        parser.add_argument("parent_id", help="Project ID of the parent project")
        parser.add_argument("name", help="display name of the new subproject")
        parser.add_argument(
            "--label", action="append", default=[], metavar="KEY=VALUE", help="repeatable"
        )

    def handle(self, *args, parent_id, name, label, **options):
        try:
            parent = Project.objects.get(public_id=parent_id)
        except Project.DoesNotExist:
            raise CommandError(f"No project has the ID {parent_id!r}.") from None
        try:
            subproject = services.subproject_create(
                parent=parent, name=name, labels=parse_labels(label)
            )
        except ValidationError as e:
            raise CommandError(" ".join(e.messages)) from None
        self.stdout.write(subproject.public_id)
