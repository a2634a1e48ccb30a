"""Dashboard views of access keys: create (secret shown once) and revoke.

The list itself is the details panel's Access keys section, whose keys the details view
puts in the context (projects/views/details.py).

The secret exists in plain text only in the response to the POST that creates the key:
that response is the page showing it (never cached), and the secret is stored nowhere,
not even in the session. The form's one-time token (projects/form_tokens.py) makes a
reload of that POST, or a double click, find the key already created: it shows the
"already shown" page instead of creating a second key.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_http_methods

from core.actors import Actor
from core.errors import ServiceError
from projects import form_tokens, services
from projects.access import get_project_for_write
from projects.forms import AccessKeyForm, add_service_error
from projects.models import Project


def keys_url(project: Project) -> str:
    """The details panel, at its Access keys section."""
    return reverse("project_detail", args=[project.public_id]) + "#access-keys"


@never_cache
@require_http_methods(["GET", "POST"])
@sensitive_variables()  # all: the template frames below hold the secret too
def access_key_create(request, public_id):
    """GET: the form. POST: create the key and answer with its secret, shown this once."""
    project = get_project_for_write(request.user, public_id)
    form = AccessKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = {}

        @sensitive_variables()
        def create():
            key, created["secret"] = services.access_key_create(
                project=project,
                display_name=form.cleaned_data["display_name"],
                actor=Actor.for_user(request),
                expires_at=form.expires_at(timezone.now()),
            )
            created["key"] = key
            return key.key_id  # the Key ID only: a replay never sees the secret

        try:
            outcome = form_tokens.create_once(
                request.user, "access-key-create", form.cleaned_data["token"], create
            )
        except form_tokens.InProgress:
            return _created_page(request, project)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            if outcome.replayed:
                return _created_page(request, project, key_id=outcome.result)
            return _created_page(request, project, key=created["key"], secret=created["secret"])
    status = 400 if form.is_bound else 200
    return render(
        request,
        "projects/access_keys/create.html",
        {"project": project, "form": form, "back_url": keys_url(project)},
        status=status,
    )


def _created_page(request, project, *, key=None, secret=None, key_id=None):
    """The new key with its secret; or, for a replayed form, that it was already shown."""
    if key is None and key_id is not None:
        key = project.access_keys.filter(key_id=key_id).first()
    return render(
        request,
        "projects/access_keys/created.html",
        {"project": project, "key": key, "secret": secret, "back_url": keys_url(project)},
    )


@require_http_methods(["GET", "POST"])
def access_key_revoke(request, public_id, key_id):
    project = get_project_for_write(request.user, public_id)
    key = project.access_keys.filter(key_id=str(key_id), revoked_at__isnull=True).first()
    if key is None:
        raise Http404("No such access key.")
    if request.method == "POST":
        services.access_key_revoke(key=key, actor=Actor.for_user(request))
        messages.success(
            request, f"Access key “{key.display_name}” is revoked: it no longer authenticates."
        )
        return redirect(keys_url(project))
    return render(
        request,
        "projects/access_keys/revoke.html",
        {"project": project, "key": key, "back_url": keys_url(project)},
    )
