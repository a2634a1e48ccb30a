"""The dashboard's webhook endpoints, a part of a top-level project's Settings: the
list, one endpoint with its delivery log, and the admins' forms (create, edit, enable or
disable, rotate the secret, delete, replay, send a test event).

Every change goes through the services the API calls (webhooks.services for endpoints,
webhooks.delivery for replays and test events), acting as the signed-in user. Who may
do what: webhooks.access (admins manage; members and viewers of the project read; 404
for a subproject, a customer login and outsiders).

A signing secret exists in a page only in the answer to the POST that created or
rotated it (never cached, never in the session); the form's one-time token makes a
reload of that POST find the work done and not show the secret again.
"""

from django.conf import settings
from django.contrib import messages
from django.db.models import OuterRef, Subquery
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import form_tokens
from core.actors import Actor
from core.forms import perform, submit
from core.lists import keyset_list

from . import delivery, services
from .access import can_manage, get_endpoint, get_parent_for_user
from .forms import EndpointCreateForm, EndpointForm, ReplayForm, RotateSecretForm
from .models import Attempt, Endpoint

LOG_PER_PAGE = 50


def list_url(project) -> str:
    return reverse("webhook_list", args=[project.public_id])


def endpoint_url(endpoint: Endpoint) -> str:
    return reverse("webhook_detail", args=[endpoint.project.public_id, endpoint.public_id])


def _parent(request, public_id, *, manage=False):
    project = get_parent_for_user(request.user, public_id, manage=manage)
    request.current_project = project  # the navigation's project (not remembered)
    return project


def _endpoint(request, public_id, endpoint_id, *, manage=False):
    return get_endpoint(_parent(request, public_id, manage=manage), endpoint_id)


def _types_text(endpoint: Endpoint) -> str:
    return ", ".join(endpoint.event_types) if endpoint.event_types else "All event types"


@require_GET
def webhook_list(request, public_id):
    """The project's endpoints, each with its last attempt (one query for them all)."""
    project = _parent(request, public_id)
    last = Attempt.objects.filter(endpoint=OuterRef("pk")).order_by("-at", "-id")
    endpoints = list(
        project.webhook_endpoints.annotate(
            last_at=Subquery(last.values("at")[:1]),
            last_status=Subquery(last.values("status_code")[:1]),
            last_succeeded=Subquery(last.values("succeeded")[:1]),
        ).order_by("created_at", "pk")
    )
    for endpoint in endpoints:
        endpoint.project = project
        endpoint.types_text = _types_text(endpoint)
    limit = settings.WEBHOOK_ENDPOINTS_PER_PROJECT
    context = {
        "project": project,
        "endpoints": endpoints,
        "can_manage": can_manage(project),
        "limit": limit,
        "limit_reached": len(endpoints) >= limit,
    }
    return render(request, "webhooks/endpoint_list.html", context)


@require_GET
def webhook_detail(request, public_id, endpoint_id):
    """One endpoint: its settings, the admins' actions, and its delivery log (newest
    first, in pages by position: the same queries on any page of any size)."""
    endpoint = _endpoint(request, public_id, endpoint_id)
    return _render_detail(request, endpoint)


def _render_detail(request, endpoint, *, replay_form=None, status=200):
    project = endpoint.project
    page = keyset_list(
        request,
        Attempt.objects.filter(endpoint=endpoint).select_related("delivery__event"),
        order=("-at", "-id"),
        context=f"webhook-log:{endpoint.public_id}",
        noun=("attempt", "attempts"),
        per_page=LOG_PER_PAGE,
    )
    endpoint.types_text = _types_text(endpoint)
    context = {
        "project": project,
        "endpoint": endpoint,
        "page": page,
        "attempts": page.rows,
        "can_manage": can_manage(project),
        "replay_form": replay_form or ReplayForm(),
        "test_type": delivery.TEST_TYPE,
        "old_secret_until": endpoint.previous_secret_until
        if len(endpoint.signing_secrets(delivery.now())) > 1
        else None,
    }
    status = 400 if page.error else status
    return render(request, "webhooks/endpoint_detail.html", context, status=status)


@sensitive_variables()
def _once(request, form, purpose, make):
    """Run `make(cleaned_data)` (returning the endpoint and its new secret) once per
    form token: (endpoint, secret) the first time; (endpoint or None, None) for a
    replayed form; None when the form is invalid or the service refused."""
    made = {}

    @sensitive_variables()
    def run(data):
        @sensitive_variables()
        def action():
            made["endpoint"], made["secret"] = make(data)
            return made["endpoint"].public_id

        return form_tokens.create_once(request.user, purpose, data["token"], action)

    try:
        submitted = submit(form, run)
    except form_tokens.InProgress:
        return None, None
    if not submitted:
        return None
    if submitted.result.replayed:
        found = Endpoint.objects.filter(public_id=submitted.result.result).first()
        return found, None
    return made["endpoint"], made["secret"]


def _secret_page(request, project, endpoint, secret, *, rotated=False):
    if endpoint is not None:
        endpoint.project = project
    context = {
        "project": project,
        "endpoint": endpoint,
        "secret": secret,
        "rotated": rotated,
        "old_secret_hours": settings.WEBHOOK_OLD_SECRET_HOURS,
        "back_url": endpoint_url(endpoint) if endpoint is not None else list_url(project),
    }
    return render(request, "webhooks/secret.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
@sensitive_variables()  # all: the template frames below hold the secret too
def webhook_create(request, public_id):
    """GET: the form. POST: create the endpoint, answered with its secret, shown once."""
    project = _parent(request, public_id, manage=True)
    form = EndpointCreateForm(request.POST or None)

    def make(data):
        return services.endpoint_create(
            project=project,
            url=data["url"],
            description=data["description"],
            event_types=data["event_types"],
            enabled=data["enabled"],
            actor=Actor.for_user(request),
        )

    if request.method == "POST":
        done = _once(request, form, "webhook-endpoint-create", make)
        if done is not None:
            return _secret_page(request, project, *done)
    context = {"project": project, "form": form, "back_url": list_url(project), "creating": True}
    status = 400 if form.is_bound else 200
    return render(request, "webhooks/endpoint_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def webhook_edit(request, public_id, endpoint_id):
    endpoint = _endpoint(request, public_id, endpoint_id, manage=True)
    form = EndpointForm(request.POST or None, initial=EndpointForm.initial_for(endpoint))

    def save(data):
        return services.endpoint_update(
            endpoint=endpoint,
            url=data["url"],
            description=data["description"],
            event_types=data["event_types"],
            enabled=data["enabled"],
            actor=Actor.for_user(request),
        )

    if request.method == "POST" and submit(form, save):
        messages.success(request, "Webhook endpoint saved.")
        return redirect(endpoint_url(endpoint))
    context = {"project": endpoint.project, "endpoint": endpoint, "form": form}
    context["back_url"] = endpoint_url(endpoint)
    status = 400 if form.is_bound else 200
    return render(request, "webhooks/endpoint_form.html", context, status=status)


@require_POST
def webhook_enable(request, public_id, endpoint_id):
    """Enable (its waiting events are then delivered, in order) or disable."""
    endpoint = _endpoint(request, public_id, endpoint_id, manage=True)
    enabled = request.POST.get("enabled") == "1"
    done = (
        "Endpoint enabled: its waiting events are delivered, in order."
        if enabled
        else "Endpoint disabled: its events wait until it is enabled again."
    )
    perform(request, services.endpoint_update, endpoint=endpoint, enabled=enabled, done=done)
    return redirect(endpoint_url(endpoint))


@never_cache
@require_http_methods(["GET", "POST"])
@sensitive_variables()
def webhook_rotate(request, public_id, endpoint_id):
    """GET: what rotating does. POST: a new secret, shown once; the old one keeps
    signing beside it for WEBHOOK_OLD_SECRET_HOURS."""
    endpoint = _endpoint(request, public_id, endpoint_id, manage=True)
    form = RotateSecretForm(request.POST or None)

    def make(data):
        return services.endpoint_rotate_secret(endpoint=endpoint, actor=Actor.for_user(request))

    if request.method == "POST":
        done = _once(request, form, "webhook-endpoint-rotate", make)
        if done is not None:
            return _secret_page(request, endpoint.project, *done, rotated=True)
    context = {
        "project": endpoint.project,
        "endpoint": endpoint,
        "form": form,
        "old_secret_hours": settings.WEBHOOK_OLD_SECRET_HOURS,
        "back_url": endpoint_url(endpoint),
    }
    status = 400 if form.is_bound else 200
    return render(request, "webhooks/endpoint_rotate.html", context, status=status)


@require_http_methods(["GET", "POST"])
def webhook_delete(request, public_id, endpoint_id):
    endpoint = _endpoint(request, public_id, endpoint_id, manage=True)
    if request.method == "POST":
        services.endpoint_delete(endpoint=endpoint, actor=Actor.for_user(request))
        messages.success(request, f"Webhook endpoint {endpoint.url} deleted.")
        return redirect(list_url(endpoint.project))
    context = {"project": endpoint.project, "endpoint": endpoint}
    context["back_url"] = endpoint_url(endpoint)
    return render(request, "webhooks/endpoint_delete.html", context)


@require_POST
def webhook_test(request, public_id, endpoint_id):
    endpoint = _endpoint(request, public_id, endpoint_id, manage=True)
    sent = delivery.send_test(endpoint)
    if endpoint.enabled:
        messages.success(request, f"Test event {sent.event_id} sent: see it in the log below.")
    else:
        messages.success(
            request, f"Test event {sent.event_id} queued: it is sent once the endpoint is enabled."
        )
    return redirect(endpoint_url(endpoint))


@require_POST
def webhook_replay(request, public_id, endpoint_id):
    """Deliver again one event (`event_id`, a row of the log) or every event after a
    time (`since`), in sequence, behind what is waiting."""
    endpoint = _endpoint(request, public_id, endpoint_id, manage=True)
    event_id = request.POST.get("event_id")
    if event_id:
        count = delivery.replay(endpoint, event_id=event_id[:30])
        if not count:
            messages.error(request, "No event with this ID that this endpoint receives.")
            return redirect(endpoint_url(endpoint))
        messages.success(request, f"Event {event_id} is delivered again.")
        return redirect(endpoint_url(endpoint))
    form = ReplayForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, endpoint, replay_form=form, status=400)
    count = delivery.replay(endpoint, since=form.cleaned_data["since"])
    noun = "event is" if count == 1 else "events are"
    messages.success(request, f"{count} {noun} delivered again, in sequence.")
    return redirect(endpoint_url(endpoint))
