"""The base of management commands that change data through the services
(ServiceCommand; RowCommand for a command about one row named by its ID), and the
commands' one "No X has the ID …" (get_or_fail)."""

from django.core.management.base import BaseCommand, CommandError, OutputWrapper

from .actors import Actor
from .errors import ServiceError
from .jobs import recorded
from .locks import NotAcquired, exclusively


class ServiceCommand(BaseCommand):
    """Acts as `self.actor` (the command, by name); a service's refusal (core.errors)
    becomes a CommandError with its message: the commands' one mapper.

    `exclusive = True` (scheduled commands that cron starts on every app server): one
    run at a time across all servers (core.locks); a run that finds another one at work
    says so and does nothing, successfully, since the other run does the work.
    """

    exclusive = False
    counts: dict  # a scheduled job's counts, set while it runs

    @property
    def command_name(self) -> str:
        return self.__module__.rsplit(".", 1)[-1]

    @property
    def actor(self) -> Actor:
        return Actor.for_command(self.command_name)

    def execute(self, *args, **options):
        try:
            if not self.exclusive:
                return super().execute(*args, **options)
            # A scheduled job: its run is recorded (core.jobs) for /metrics and the
            # admin; `self.counts` takes what it wants reported ({"deleted": 12}).
            with (
                recorded(self.command_name) as self.counts,
                exclusively(f"command:{self.command_name}"),
            ):
                return super().execute(*args, **options)
        except NotAcquired:
            if options.get("stdout"):  # BaseCommand.execute, which did not run, sets it
                self.stdout = OutputWrapper(options["stdout"])
            self.stdout.write(
                f"Another {self.command_name} is running right now; this run did nothing."
            )
            return None
        except ServiceError as error:
            raise CommandError(" ".join(error.messages)) from None

    def get_or_fail(self, queryset, what: str, **lookup):
        return get_or_fail(queryset, what, **lookup)


def get_or_fail(queryset, what: str, **lookup):
    """The one row matching `lookup`, or a CommandError naming what was not found."""
    found = queryset.filter(**lookup).first()
    if found is None:
        value = next(iter(lookup.values()))
        raise CommandError(f"No {what} has the ID {value!r}.")
    return found


class RowCommand(ServiceCommand):
    """A command about one row, named by its first argument: `row` is that argument's
    name and help; the row is found in `rows` by `lookup` (or the command fails saying
    no `what` has that ID: get_or_fail) and handed to `act(row, **options)`. More
    arguments: `add_options`."""

    row: tuple[str, str]
    rows = None  # a queryset
    what = "row"
    lookup = "public_id"

    def add_arguments(self, parser):
        parser.add_argument(self.row[0], help=self.row[1])
        self.add_options(parser)

    def add_options(self, parser):
        pass

    def handle(self, *args, **options):
        value = options.pop(self.row[0])
        return self.act(self.get_or_fail(self.rows, self.what, **{self.lookup: value}), **options)

    def act(self, row, **options):
        raise NotImplementedError
