"""Dashboard views of access keys: create (secret shown once) and revoke.

The list itself is the details panel's Access keys section
({% access_keys_section project %} in projects/templatetags/access_keys.py).

The secret exists in plain text only in the response to the POST that creates the key:
that response is the page showing it (never cached), and the secret is stored nowhere,
not even in the session. The form's one-time token (projects/form_tokens.py) makes a
reload of that POST, or a double click, find the key already created: it shows the
"already shown" page instead of creating a second key.
"""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_http_methods

from . import form_tokens, services
from .access import get_project_for_write
from .models import Project
from .validation import NAME_MAX_LENGTH


class AccessKeyForm(form_tokens.OneTimeTokenForm):
    display_name = forms.CharField(
        label="Name",
        max_length=NAME_MAX_LENGTH,
        help_text="Say what uses it, e.g. “Billing service (production)”. "
        "Unique within this project.",
    )
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

    def expires_at(self, now):
        """The chosen expiry counted from `now`, or None for a key that never expires."""
        days = self.cleaned_data.get("expires")
        return None if days is None else now + timedelta(days=days)


def details_url(project: Project) -> str:
    """The details panel, at its Access keys section."""
    try:
        return reverse("project_detail", args=[project.public_id]) + "#access-keys"
    except NoReverseMatch:  # the details page comes from the dashboard branch
        return f"/projects/{project.public_id}/#access-keys"


# The service's field names, and the form's fields that show their errors.
_SERVICE_FIELDS = {"display_name": "display_name", "expires_at": "expires"}


def _add_service_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, field_messages in error.message_dict.items():
            form.add_error(_SERVICE_FIELDS.get(name), field_messages)
        return
    codes = {e.code for e in error.error_list}
    field = "display_name" if services.ALREADY_EXISTS in codes else None
    for message in error.messages:
        form.add_error(field, message)


@never_cache
@require_http_methods(["GET", "POST"])
@sensitive_variables()  # all: the template frames below hold the secret too
def access_key_create(request, public_id):
    """GET: the form. POST: create the key and answer with its secret, shown this once."""
    project = get_project_for_write(request.user, public_id)
    form = AccessKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        claim = form_tokens.claim(request.user, "access-key-create", form.cleaned_data["token"])
        if not claim.won:
            return _created_page(request, project, key_id=claim.earlier)
        try:
            key, secret = services.access_key_create(
                project=project,
                display_name=form.cleaned_data["display_name"],
                actor=request.user,
                expires_at=form.expires_at(timezone.now()),
            )
        except ValidationError as error:
            claim.release()
            _add_service_errors(form, error)
        else:
            claim.record(key.key_id)  # the Key ID only: a replay never sees the secret
            return _created_page(request, project, key=key, secret=secret)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "projects/access_keys/create.html",
        {"project": project, "form": form, "back_url": details_url(project)},
        status=status,
    )


def _created_page(request, project, *, key=None, secret=None, key_id=None):
    """The new key with its secret; or, for a replayed form, that it was already shown."""
    if key is None and key_id not in (None, form_tokens.PENDING):
        key = project.access_keys.filter(key_id=key_id).first()
    return render(
        request,
        "projects/access_keys/created.html",
        {"project": project, "key": key, "secret": secret, "back_url": details_url(project)},
    )


@require_http_methods(["GET", "POST"])
def access_key_revoke(request, public_id, key_id):
    project = get_project_for_write(request.user, public_id)
    key = project.access_keys.filter(key_id=str(key_id), revoked_at__isnull=True).first()
    if key is None:
        raise Http404("No such access key.")
    if request.method == "POST":
        services.access_key_revoke(key=key, actor=request.user)
        messages.success(
            request, f"Access key “{key.display_name}” is revoked: it no longer authenticates."
        )
        return redirect(details_url(project))
    return render(
        request,
        "projects/access_keys/revoke.html",
        {"project": project, "key": key, "back_url": details_url(project)},
    )
