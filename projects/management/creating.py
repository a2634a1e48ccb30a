"""What the create_* commands share: `COMMAND <where> <name> [options]`, and labels."""

from django.core.management.base import CommandError

from core.commands import ServiceCommand


def parse_labels(pairs: list[str]) -> dict[str, str]:
    """Turn repeated `--label KEY=VALUE` options into a labels map."""
    labels = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise CommandError(f"A label must look like KEY=VALUE, not {pair!r}.")
        labels[key] = value
    return labels


class CreateCommand(ServiceCommand):
    """A positional ID saying where to create (`where`: its name and help), a name, and
    the options `add_options` adds (`--label` when `labels` is true)."""

    where: tuple[str, str]
    name_help = "display name"
    labels = False

    def add_arguments(self, parser):
        parser.add_argument(self.where[0], help=self.where[1])
        parser.add_argument("name", help=self.name_help)
        if self.labels:
            parser.add_argument(
                "--label", action="append", default=[], metavar="KEY=VALUE", help="repeatable"
            )
        self.add_options(parser)

    def add_options(self, parser):
        pass
