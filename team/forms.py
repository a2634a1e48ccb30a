"""The Members page's small forms: invite, change role, change grants.

They read and check what was sent; the rules (the last admin, one open invitation per
email, grants within the account) are the services' (accounts, projects and team), whose
refusals core.forms.add_service_error puts on these forms.
"""

import re

from django import forms
from django.core.exceptions import ValidationError

from accounts.models import Role
from core.ids import looks_like_public_id
from projects.models import Project

ROLE_HELP = (
    "Admins manage the team and see every project. Members see and change the projects "
    "they are granted; viewers only see them, and never see secrets."
)
_ID_SEPARATORS = re.compile(r"[\s,;]+")


def project_choice(project: Project) -> tuple[str, str]:
    return project.public_id, project.title


class ProjectIdsField(forms.MultipleChoiceField):
    """Checkboxes of the usual choices, accepting any Project ID (the form's clean()
    checks that each is a project of the account)."""

    def valid_value(self, value):
        return looks_like_public_id(str(value).upper())

    def to_python(self, value):
        return [item.upper() for item in super().to_python(value)]


class ProjectsForm(forms.Form):
    """Which projects: checkboxes for the account's top-level projects (and the
    subprojects already chosen), and subprojects pasted by Project ID. `clean()` turns
    both into the account's Project rows (one query) in `cleaned_data["project_rows"]`."""

    projects = ProjectIdsField(
        label="Projects",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="A project's grant covers its subprojects.",
    )
    subproject_ids = forms.CharField(
        label="Subprojects by Project ID",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text="To grant single subprojects only (an ASP's customer): paste their Project "
        "IDs, separated by spaces.",
    )

    service_fields = {"projects": "projects"}

    def __init__(self, *args, account, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account
        self.fields["projects"].choices = list(choices)

    def clean_subproject_ids(self):
        text = self.cleaned_data.get("subproject_ids") or ""
        ids = [part.upper() for part in _ID_SEPARATORS.split(text.strip()) if part]
        wrong = [part for part in ids if not looks_like_public_id(part)]
        if wrong:
            raise ValidationError(f"“{wrong[0]}” is not a Project ID (26 letters and digits).")
        return ids

    def clean(self):
        cleaned = super().clean()
        wanted = {*cleaned.get("projects", []), *cleaned.get("subproject_ids", [])}
        rows = list(
            Project.objects.alive()
            .filter(account=self.account, public_id__in=wanted)
            .select_related("parent")
            .order_by("created_at", "pk")
        )
        missing = sorted(wanted - {row.public_id for row in rows})
        if missing:
            field = "subproject_ids" if missing[0] in cleaned.get("subproject_ids", []) else None
            self.add_error(field, f"No project of this account has the Project ID {missing[0]}.")
        cleaned["project_rows"] = rows
        return cleaned


class InviteForm(ProjectsForm):
    email = forms.EmailField(
        label="Email",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label="Role", choices=Role.choices, initial=Role.VIEWER, help_text=ROLE_HELP
    )
    # Set when the form is sent from a subproject's details panel ("Invite a customer
    # user"): where to go back to.
    back = forms.CharField(required=False, widget=forms.HiddenInput)

    field_order = ["email", "role", "projects", "subproject_ids", "back"]

    def clean_back(self):
        back = (self.cleaned_data.get("back") or "").upper()
        return back if looks_like_public_id(back) else ""


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=Role.choices, help_text=ROLE_HELP)


class GrantsForm(ProjectsForm):
    pass


class SingleSignOnForm(forms.Form):
    """An account's single sign-on (accounts.sso.sso_configure checks it). The client
    secret is write-only: the field is always empty, and left empty keeps the stored one."""

    issuer = forms.CharField(
        label="Issuer URL",
        max_length=500,
        widget=forms.URLInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        help_text="Your provider's address, as its /.well-known/openid-configuration names "
        "it, e.g. https://accounts.google.com.",
    )
    client_id = forms.CharField(
        label="Client ID",
        max_length=255,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    client_secret = forms.CharField(
        label="Client secret",
        max_length=500,
        required=False,
        strip=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}, render_value=False),
    )
    domains = forms.CharField(
        label="Email domains",
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text="One a line, e.g. example.com. A domain belongs to one account.",
    )
    default_role = forms.ChoiceField(
        label="Role of a first sign-in", choices=Role.choices, help_text=ROLE_HELP
    )
    only_sso = forms.BooleanField(
        label="Only through single sign-on: refuse passwords for these domains",
        required=False,
    )
