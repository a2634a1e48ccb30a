"""Typed refusals: what a service raises when it will not do what was asked.

Services raise one of these, carrying the message for the person who asked and, where
one field is at fault, that field's name (the service's own name for it). Each interface
has exactly one function that turns them into its own answer:

- dashboard forms: `core.forms.add_service_error`
- the JSON API: `core.api.errors.from_service_error`
- the admin: `core.admin_errors` (ServiceErrorsAdminMixin, report)
- commands: `core.commands.ServiceCommand` (a CommandError with the message)

They subclass ValidationError, so Django's own machinery (model forms in the admin,
`full_clean`) still sees them as input that the person can correct.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class ServiceError(ValidationError):
    """Base of every refusal; `code` says which kind it is."""

    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message, code=self.code)
        self.field = field


class InvalidValue(ServiceError):
    """A value is not acceptable (an empty name, a bad label, an expiry in the past).

    Holds one message per field at fault, as `message_dict`; `field` and `message` are
    the first of them, for interfaces that answer with one line.
    """

    def __init__(self, message: str | None = None, *, field: str | None = None, errors=None):
        if errors is None:
            errors = {field or NON_FIELD_ERRORS: [message]}
        ValidationError.__init__(
            self,
            {
                name: [ValidationError(m, code=self.code) for m in msgs]
                for name, msgs in errors.items()
            },
        )
        first = next(iter(errors))
        self.field = None if first == NON_FIELD_ERRORS else first
        self.message = errors[first][0]


class InvalidItems(InvalidValue):
    """Some items of a batch are not acceptable, so none of the batch is taken.

    `details` lists every fault as {"index", "field", "message"} (index in the batch,
    from 0), so that the sender can fix them all at once; `message` sums them up.
    """

    def __init__(self, message: str, *, details: list[dict]):
        super().__init__(message)
        self.details = details


class AlreadyExists(ServiceError):
    """Something with this identity exists (an access key's name in its project)."""

    code = "already_exists"


class LimitReached(ServiceError):
    """A count limit is reached (10 active access keys)."""

    code = "limit_reached"


class InvalidParent(ServiceError):
    """The parent named for a subproject cannot have it (a subproject, removed, …)."""

    code = "invalid_parent"

    def __init__(self, message: str, *, field: str | None = "parent"):
        super().__init__(message, field=field)


class WrongState(ServiceError):
    """The object's state does not allow it (removed, past its restore window, …)."""

    code = "wrong_state"


class NotAllowed(ServiceError):
    """This actor may not do this, whatever the input (e.g. lift a platform suspension)."""

    code = "not_allowed"


def typed(error: ValidationError) -> ServiceError:
    """The ServiceError that a model's ValidationError stands for.

    Model validation (`full_clean`) gathers errors into one dict: a typed error raised in
    `clean()` (say InvalidParent) is kept as it is, a unique constraint whose
    `violation_error_code` is "already_exists" becomes AlreadyExists, and everything
    else (field values) becomes one InvalidValue with every field's messages.
    """
    if isinstance(error, ServiceError):
        return error
    if not hasattr(error, "error_dict"):
        return InvalidValue(errors={NON_FIELD_ERRORS: error.messages})
    for name, errors in error.error_dict.items():
        field = None if name == NON_FIELD_ERRORS else name
        for item in errors:
            if isinstance(item, ServiceError):
                return item
            if item.code == AlreadyExists.code:
                message = item.message % item.params if item.params else item.message
                return AlreadyExists(message, field=field)
    return InvalidValue(errors=error.message_dict)
