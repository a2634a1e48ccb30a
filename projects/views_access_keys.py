"""Dashboard views of access keys: create (secret shown once) and revoke.

The list itself is the details panel's Access keys section
({% access_keys_section project %} in projects/templatetags/access_keys.py).

The secret exists in plain text only in the response that shows it. Between the POST
that creates the key and that page, it waits in the session (so that a reload of the
POST cannot create a second key); the page pops it, so a reload says "already shown".
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_http_methods

from . import services
from .access import get_project_for_write
from .models import AccessKey, Project
from .validation import NAME_MAX_LENGTH


class AccessKeyForm(forms.Form):
    display_name = forms.CharField(
        label="Name",
        max_length=NAME_MAX_LENGTH,
        help_text="Say what uses it, e.g. “Billing service (production)”. "
        "Unique within this project.",
    )


def _session_key(project: Project) -> str:
    return f"access-key-secret:{project.public_id}"


def details_url(project: Project) -> str:
    """The details panel, at its Access keys section."""
    try:
        return reverse("project_detail", args=[project.public_id]) + "#access-keys"
    except NoReverseMatch:  # the details page comes from the dashboard branch
        return f"/projects/{project.public_id}/#access-keys"


def _add_service_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for message in error.message_dict.get("display_name", []):
            form.add_error("display_name", message)
        return
    codes = {e.code for e in error.error_list}
    field = "display_name" if services.ALREADY_EXISTS in codes else None
    for message in error.messages:
        form.add_error(field, message)


@never_cache
@require_http_methods(["GET", "POST"])
@sensitive_variables("secret")
def access_key_create(request, public_id):
    project = get_project_for_write(request.user, public_id)
    form = AccessKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            key, secret = services.access_key_create(
                project=project, display_name=form.cleaned_data["display_name"], actor=request.user
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            request.session[_session_key(project)] = {"key_id": key.key_id, "secret": secret}
            return redirect("access_key_created", project.public_id)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "projects/access_keys/create.html",
        {"project": project, "form": form, "back_url": details_url(project)},
        status=status,
    )


@never_cache
@require_http_methods(["GET"])
@sensitive_variables()  # all: the template frames below hold the secret too
def access_key_created(request, public_id):
    """Shows the new key's secret once: the session gives it up on first display."""
    project = get_project_for_write(request.user, public_id)
    shown = request.session.pop(_session_key(project), None)
    key = None
    if shown is not None:
        key = AccessKey.objects.filter(project=project, key_id=shown["key_id"]).first()
    return render(
        request,
        "projects/access_keys/created.html",
        {
            "project": project,
            "key": key,
            "secret": shown["secret"] if key is not None else None,
            "back_url": details_url(project),
        },
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
