"""The base of management commands that change data through the services."""

from django.core.management.base import BaseCommand, CommandError

from .actors import Actor
from .errors import ServiceError


class ServiceCommand(BaseCommand):
    """Acts as `self.actor` (the command, by name); a service's refusal (core.errors)
    becomes a CommandError with its message: the commands' one mapper."""

    @property
    def actor(self) -> Actor:
        return Actor.for_command(self.__module__.rsplit(".", 1)[-1])

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except ServiceError as error:
            raise CommandError(" ".join(error.messages)) from None

    def get_or_fail(self, queryset, what: str, **lookup):
        """The one row matching `lookup`, or a CommandError naming what was not found."""
        found = queryset.filter(**lookup).first()
        if found is None:
            value = next(iter(lookup.values()))
            raise CommandError(f"No {what} has the ID {value!r}.")
        return found
