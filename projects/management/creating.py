"""What the create_* commands share: `COMMAND <where> <name> [options]`, and labels."""

from django.core.management.base import CommandError

from core.commands import RowCommand
from core.validation import NAME_MAX_LENGTH

# The name rule (core.validation.clean_display_name), as the commands' help says it.
NAME_RULE = (
    f"1-{NAME_MAX_LENGTH} characters after trimming, without control or "
    "bidirectional-override characters"
)


def parse_labels(pairs: list[str]) -> dict[str, str]:
    """Turn repeated `--label KEY=VALUE` options into a labels map."""
    labels = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise CommandError(f"A label must look like KEY=VALUE, not {pair!r}.")
        labels[key] = value
    return labels


class CreateCommand(RowCommand):
    """Creates something in the row its first argument names (RowCommand: `row`, `rows`,
    `what`), with a name (`name_help`) and the options `add_more` adds."""

    name_help = "display name"

    def add_options(self, parser):
        parser.add_argument("name", help=self.name_help)
        self.add_more(parser)

    def add_more(self, parser):
        pass


class CreateProjectCommand(CreateCommand):
    """Creates a project in the row (an account, a parent), with `--label`s, and prints
    its Project ID: `create(row, name, labels)` calls the service."""

    def add_more(self, parser):
        parser.add_argument(
            "--label", action="append", default=[], metavar="KEY=VALUE", help="repeatable"
        )

    def act(self, row, *, name, label, **options):
        self.stdout.write(self.create(row, name, parse_labels(label)).public_id)

    def create(self, row, name: str, labels: dict):
        raise NotImplementedError
