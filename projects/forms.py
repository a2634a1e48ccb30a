"""Small forms for the dashboard's project pages. The rules themselves live in
projects/validation.py and the services; core.forms.add_service_error shows a service's
refusal on a form."""

from dataclasses import dataclass
from datetime import timedelta
from itertools import zip_longest

from django import forms
from django.core.exceptions import ValidationError

from core.form_tokens import OneTimeTokenForm

from . import scopes
from .validation import NAME_MAX_LENGTH, clean_display_name, clean_labels


def _name_field():
    # required=False: clean_display_name gives the message ("Name cannot be empty."),
    # and the browser's own check still runs thanks to the `required` attribute. No
    # maxlength: browsers count UTF-16 units, so an emoji name would be cut short.
    return forms.CharField(
        label="Name",
        required=False,
        strip=False,
        widget=forms.TextInput(
            attrs={
                "required": True,
                "autocomplete": "off",
                "dir": "auto",
            }
        ),
    )


class NameForm(forms.Form):
    name = _name_field()

    def clean_name(self):
        return clean_display_name(self.cleaned_data.get("name") or "")


class SubprojectCreateForm(NameForm, OneTimeTokenForm):
    """The Create subproject dialog (and its page without JavaScript).

    Its one-time token makes a second POST of the same form (a double click, a reload
    after a slow answer) find the first one's result instead of creating another
    subproject (core/form_tokens.py).
    """


def labels_to_text(labels: dict) -> str:
    # Sorted: PostgreSQL's jsonb does not keep the order the labels were written in.
    return "\n".join(f"{key}={value}" for key, value in sorted(labels.items()))


@dataclass
class LabelRow:
    """One row of the labels editor: a name, a value, and what is wrong with them."""

    key: str = ""
    value: str = ""
    error: str = ""


class LabelsForm(forms.Form):
    """The labels of a project, sent either way:

    - as rows of name and value fields (`label_key`, `label_value`, repeated): the
      editor static/js/app.js shows; an error is put on the row at fault;
    - as one text box of `name=value` lines (`labels`): the form without JavaScript,
      whose inputs are the only ones enabled then.
    """

    labels = forms.CharField(
        label="Labels",
        required=False,
        strip=False,
        help_text="One label a line, written name=value. Leave empty for no labels.",
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto", "spellcheck": "false"}),
    )

    def __init__(self, data=None, *, labels=None, **kwargs):
        if data is None:
            kwargs.setdefault("initial", {"labels": labels_to_text(labels or {})})
        super().__init__(data, **kwargs)
        self.rows_posted = data is not None and "label_key" in data
        if self.rows_posted:
            keys, values = data.getlist("label_key"), data.getlist("label_value")
            self.rows = [LabelRow(k, v) for k, v in zip_longest(keys, values, fillvalue="")]
        else:
            self.rows = [LabelRow(k, v) for k, v in sorted((labels or {}).items())]

    @property
    def editor_rows(self) -> list[LabelRow]:
        """The rows to show: those sent or saved, and an empty one to type into."""
        return [*self.rows, LabelRow()] if not self.rows_posted or not self.rows else self.rows

    def clean_labels(self):
        if self.rows_posted:
            return self._labels_from_rows()
        text = self.cleaned_data.get("labels") or ""
        parsed = {}
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            key, sep, value = line.partition("=")
            key, value = key.strip(), value.strip()
            if not sep:
                raise ValidationError(f"Line {number}: write each label as name=value.")
            if key in parsed:
                raise ValidationError(f"Line {number}: the label “{key}” appears twice.")
            parsed[key] = value
        return clean_labels(parsed)

    def _labels_from_rows(self) -> dict[str, str]:
        """The rows' labels (rows left empty are dropped); each row's mistake is set on
        that row, and the form then refuses with one message above the rows."""
        parsed = {}
        for row in self.rows:
            key, value = row.key.strip(), row.value.strip()
            if not key and not value:
                continue
            if not key:
                row.error = "Give this label a name, or empty its value to drop it."
            elif key in parsed:
                row.error = f"The label “{key}” appears twice: keep one of them."
            else:
                try:
                    parsed.update(clean_labels({key: value}))
                except ValidationError as error:
                    row.error = error.messages[0]
        if any(row.error for row in self.rows):
            raise ValidationError("Some labels need a fix: see the rows marked below.")
        return clean_labels(parsed)  # the rules on the whole map (how many)


class CustomersSeeForm(forms.Form):
    """What a top-level project's ASP shows its customers' logins and keys of their own
    subproject (projects.customers)."""

    labels = forms.BooleanField(
        label="Their subproject's labels",
        required=False,
        help_text="Your notes on each customer (shown read-only to a customer's viewers; "
        "a customer's members may change them). Also in the API for the subproject's own "
        "keys, and in its activity.",
    )
    bills = forms.BooleanField(
        label="Their subproject's bill",
        required=False,
        help_text="Its part of this project's monthly statements (what you pay for it), on "
        "its Billing page and in the API for the subproject's own keys.",
    )


class SuspendForm(forms.Form):
    # Checked by the service (projects.services.project_suspend), one message for all
    # interfaces; required=False so that its message is the one shown.
    reason = forms.CharField(
        label="Reason",
        required=False,
        strip=False,
        help_text="Required. Shown with the Suspended badge, and to programs whose access "
        "keys are refused.",
        widget=forms.TextInput(attrs={"required": True, "autocomplete": "off", "dir": "auto"}),
    )


def _key_name_field():
    # The form's first field, focused when its page opens (it is what the page asks).
    return forms.CharField(
        label="Name",
        max_length=NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autofocus": True}),
        help_text="Say what uses it, e.g. “Billing service (production)”. "
        "Unique within this project.",
    )


class AccessKeyForm(OneTimeTokenForm):
    display_name = _key_name_field()
    expires = forms.TypedChoiceField(
        label="Expires",
        choices=[
            ("", "Never"),
            ("7", "In 7 days"),
            ("30", "In 30 days"),
            ("90", "In 90 days"),
            ("365", "In 1 year"),
        ],
        coerce=int,
        empty_value=None,
        required=False,
        help_text="After that the key no longer authenticates.",
    )

    scope = forms.ChoiceField(
        label="Permissions",
        choices=[
            ("everything", "Everything: every resource, read and write"),
            ("chosen", "Only the permissions chosen below"),
        ],
        initial="everything",
        required=False,  # left out: everything, as before scopes existed
        widget=forms.RadioSelect,
        help_text="A key can be limited to what its program needs; a request outside "
        "its permissions is refused (403).",
    )

    service_fields = {"expires_at": "expires", "permissions": "scope"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for resource, label in scopes.RESOURCES.items():
            self.fields[f"permission_{resource}"] = forms.ChoiceField(
                label=label,
                choices=[("", "No access"), ("read", "Read"), ("write", "Read and write")],
                required=False,
            )

    def permission_fields(self):
        return [self[f"permission_{resource}"] for resource in scopes.RESOURCES]

    def permissions(self) -> list[str] | None:
        """The chosen scope for access_key_create: None for everything."""
        if self.cleaned_data.get("scope") != "chosen":
            return None
        return [
            f"{resource}:{level}"
            for resource in scopes.RESOURCES
            if (level := self.cleaned_data.get(f"permission_{resource}"))
        ]

    def expires_at(self, now):
        """The chosen expiry counted from `now`, or None for a key that never expires."""
        days = self.cleaned_data.get("expires")
        return None if days is None else now + timedelta(days=days)


class RotateKeyForm(OneTimeTokenForm):
    """Rotating a key: the successor's name (the old key's, marked as rotated, unless
    changed). Its one-time token makes a reload find the key already created."""

    display_name = _key_name_field()
