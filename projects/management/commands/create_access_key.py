from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.views.decorators.debug import sensitive_variables

from projects import services
from projects.models import Project


class Command(BaseCommand):
    help = (
        "Create an access key for a project or subproject and print its Key ID and Key "
        "Secret. The secret is printed this once and stored only as a hash: keep it. "
        "Rules: the project must exist and not be removed; at most 10 active keys per "
        "project; the name is unique among the project's keys, 1-255 characters after "
        "trimming, without control or bidirectional-override characters. A top-level "
        "project's key also works on its subprojects."
    )

    def add_arguments(self, parser):
        parser.add_argument("project_id", help="Project ID of the project or subproject")
        parser.add_argument("name", help="display name of the key, unique in the project")

    @sensitive_variables("secret")
    def handle(self, *args, project_id, name, **options):
        try:
            project = Project.objects.get(public_id=project_id)
        except Project.DoesNotExist:
            raise CommandError(f"No project has the ID {project_id!r}.") from None
        try:
            key, secret = services.access_key_create(project=project, display_name=name)
        except ValidationError as e:
            raise CommandError(" ".join(e.messages)) from None
        self.stdout.write(f"Key ID:     {key.key_id}")
        self.stdout.write(f"Key Secret: {secret}")
        self.stderr.write("The secret is shown only this once; it cannot be retrieved later.")
