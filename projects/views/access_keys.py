"""Dashboard views of access keys: create (secret shown once), rotate and revoke.

The list itself is the details panel's Access keys section, whose keys the details view
puts in the context (projects/views/details.py).

The secret exists in plain text only in the response to the POST that creates the key:
that response is the page showing it (never cached), and the secret is stored nowhere,
not even in the session. The form's one-time token (core/form_tokens.py) makes a
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

from core import form_tokens
from core.actors import Actor
from core.forms import submit
from projects import services
from projects.access import get_project_for_write
from projects.forms import AccessKeyForm, RotateKeyForm
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
    request.current_project = project  # the navigation's project (not remembered)
    form = AccessKeyForm(request.POST or None)

    def make(data):
        return services.access_key_create(
            project=project,
            display_name=data["display_name"],
            actor=Actor.for_user(request),
            expires_at=form.expires_at(timezone.now()),
            permissions=form.permissions(),
        )

    if request.method == "POST":
        response = _create_once(request, project, form, "access-key-create", make)
        if response:
            return response
    status = 400 if form.is_bound else 200
    return render(
        request,
        "projects/access_keys/create.html",
        {"project": project, "form": form, "back_url": keys_url(project)},
        status=status,
    )


@sensitive_variables()
def _create_once(request, project, form, purpose, make, *, replaced=None):
    """Validate `form` and run `make(cleaned_data)` (which creates a key and returns it
    with its secret) once per form token, and answer with the page that shows the
    secret; a replay of the form gets the "already created" page. None when the form is
    invalid or the service refused: the errors are on the form."""
    created = {}

    @sensitive_variables()
    def create_once(data):
        @sensitive_variables()
        def create():
            created["key"], created["secret"] = make(data)
            return created["key"].key_id  # the Key ID only: a replay never sees the secret

        return form_tokens.create_once(request.user, purpose, data["token"], create)

    try:
        submitted = submit(form, create_once)
    except form_tokens.InProgress:
        return _created_page(request, project, replaced=replaced)
    if not submitted:
        return None
    outcome = submitted.result
    if outcome.replayed:
        return _created_page(request, project, key_id=outcome.result, replaced=replaced)
    return _created_page(
        request, project, key=created["key"], secret=created["secret"], replaced=replaced
    )


def _created_page(request, project, *, key=None, secret=None, key_id=None, replaced=None):
    """The new key with its secret; or, for a replayed form, that it was already shown.
    `replaced`: the key it rotates, which keeps working until it is revoked."""
    if key is None and key_id is not None:
        key = project.access_keys.filter(key_id=key_id).first()
    context = {
        "project": project,
        "key": key,
        "secret": secret,
        "replaced": replaced,
        "back_url": keys_url(project),
    }
    return render(request, "projects/access_keys/created.html", context)


def _active_key(project, key_id):
    key = project.access_keys.listed().filter(key_id=str(key_id)).first()
    if key is None:
        raise Http404("No such access key.")
    return key


@never_cache
@require_http_methods(["GET", "POST"])
@sensitive_variables()  # all: the template frames below hold the secret too
def access_key_rotate(request, public_id, key_id):
    """GET: what rotating does, and the new key's name. POST: create the successor and
    answer with its secret, shown this once; the old key keeps working until revoked."""
    project = get_project_for_write(request.user, public_id)
    request.current_project = project  # the navigation's project (not remembered)
    old = _active_key(project, key_id)
    form = RotateKeyForm(request.POST or None, initial={"display_name": services.rotated_name(old)})

    def make(data):
        actor = Actor.for_user(request)
        return services.access_key_rotate(key=old, display_name=data["display_name"], actor=actor)

    if request.method == "POST":
        response = _create_once(request, project, form, "access-key-rotate", make, replaced=old)
        if response:
            return response
    status = 400 if form.is_bound else 200
    context = {"project": project, "key": old, "form": form, "back_url": keys_url(project)}
    return render(request, "projects/access_keys/rotate.html", context, status=status)


@require_http_methods(["GET", "POST"])
def access_key_revoke(request, public_id, key_id):
    project = get_project_for_write(request.user, public_id)
    request.current_project = project  # the navigation's project (not remembered)
    key = _active_key(project, key_id)
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
