import re
from datetime import timedelta

from django.core.management.base import CommandError
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from projects import services
from projects.management.creating import NAME_RULE, CreateCommand
from projects.models import Project


def _expires_at(days, now):
    """now + `days` days for a positive whole number of days (int, or its text)."""
    text = str(days).strip()
    if isinstance(days, bool) or not re.fullmatch(r"[0-9]+", text) or int(text) == 0:
        raise CommandError(f"--expires-in-days must be a positive whole number, not {days!r}.")
    try:
        return now + timedelta(days=int(text))
    except OverflowError:
        raise CommandError(f"--expires-in-days {text} is too far in the future.") from None


class Command(CreateCommand):
    help = (
        "Create an access key for a project or subproject and print its Key ID and Key "
        "Secret. The secret is printed this once and stored only as a hash: keep it. "
        "With --expires-in-days N the key stops working N days from now (and its expiry "
        "is printed); without it the key never expires. "
        "Rules: the project must exist and not be removed; at most 10 active keys per "
        f"project; the name is unique among the project's keys, {NAME_RULE}. A top-level "
        "project's key also works on its subprojects."
    )

    row = ("project_id", "Project ID of the project or subproject")
    rows, what = Project.objects, "project"
    name_help = "display name of the key, unique in the project"

    def add_more(self, parser):
        parser.add_argument(
            "--expires-in-days",
            metavar="N",
            help="the key expires N days from now (a positive whole number); default: never",
        )

    def handle(self, *args, expires_in_days=None, **options):
        # The expiry is checked before the project is looked up.
        expires_at = None
        if expires_in_days is not None:
            expires_at = _expires_at(expires_in_days, timezone.now())
        return super().handle(*args, expires_at=expires_at, **options)

    @sensitive_variables("secret")
    def act(self, project, *, name, expires_at, **options):
        key, secret = services.access_key_create(
            project=project, display_name=name, expires_at=expires_at, actor=self.actor
        )
        self.stdout.write(f"Key ID:     {key.key_id}")
        self.stdout.write(f"Key Secret: {secret}")
        if key.expires_at is not None:
            self.stdout.write(f"Expires:    {key.expires_at.isoformat()}")
        self.stderr.write("The secret is shown only this once; it cannot be retrieved later.")
