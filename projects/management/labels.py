from django.core.management.base import CommandError


def parse_labels(pairs: list[str]) -> dict[str, str]:
    """Turn repeated `--label KEY=VALUE` options into a labels map."""
    labels = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise CommandError(f"A label must look like KEY=VALUE, not {pair!r}.")
        labels[key] = value
    return labels


def add_label_argument(parser) -> None:
    parser.add_argument(
        "--label", action="append", default=[], metavar="KEY=VALUE", help="repeatable"
    )
