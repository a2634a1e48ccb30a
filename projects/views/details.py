from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.current import remember_project
from accounts.models import Role
from core.actors import Actor
from core.forms import perform, submit
from projects import activity, services
from projects.access import (
    can_decide,
    can_write,
    get_project_for_user,
    get_project_for_write,
    get_project_to_decide,
)
from projects.contributions import detail_parts, load_row_flags, page_sections
from projects.customers import LABELS, is_customer_login, may_see
from projects.forms import CustomersSeeForm, LabelsForm, NameForm, SuspendForm
from projects.models import ReminderDismissal

from .common import service_api_url


def _render_details(
    request, project, *, name_form=None, labels_form=None, suspend_form=None, status=200
):
    # The Access keys section: the project's keys that are not revoked, each saying
    # whether it is active (one query), and with the key it replaces or that replaces it
    # (a rotation in progress).
    keys = list(
        project.access_keys.listed()
        .with_active()
        .annotate(requests_30d=activity.requests_in_window())
        .order_by("created_at", "key_id")
    )
    by_pk = {key.pk: key for key in keys}
    for key in keys:
        key.replaced_key = by_pk.get(key.replaces_id)
        if key.replaced_key is not None:
            key.replaced_key.successor = key
    limit = settings.ACCESS_KEYS_PER_PROJECT
    context = {
        "project": project,
        "can_write": can_write(project),
        "name_form": name_form or NameForm(initial={"name": project.name}),
        "labels_form": labels_form or LabelsForm(labels=project.labels),
        "access_keys": keys,
        "limit": limit,
        "limit_reached": sum(key.is_active for key in keys) >= limit,
        "can_decide": can_decide(project),
        "suspend_form": suspend_form or SuspendForm(),
        # The Service API step is the ASP's to take: never shown to its customer's login.
        "service_api_reminder": project.is_subproject
        and not is_customer_login(project)
        and not ReminderDismissal.objects.filter(
            user=request.user, project=project, reminder=ReminderDismissal.SERVICE_API
        ).exists(),
        "service_api_url": service_api_url(project.public_id),
        "parts": detail_parts(),
        "page_sections": page_sections(project),
        # Labels are the ASP's own notes: shown to its customer's login if the ASP says so.
        "show_labels": may_see(project, LABELS, customer=is_customer_login(project)),
        "customers_see_form": CustomersSeeForm(
            initial={
                "labels": project.customers_see_labels,
                "bills": project.customers_see_bills,
            }
        )
        if not project.is_subproject
        else None,
        "can_set_customers_see": _can_set_customers_see(project),
    }
    # A subproject's flags (the spend limit's) are the ASP's: not for its customer.
    if project.is_subproject and not is_customer_login(project):
        load_row_flags(project)
    return render(request, "projects/project_detail.html", context, status=status)


@require_GET
def project_detail(request, public_id):
    """The details panel: title, Project ID, general settings, access keys, removal."""
    project = get_project_for_user(request.user, public_id)
    remember_project(request, project)
    return _render_details(request, project)


def _update(request, public_id, form_class, *, field: str, done: str):
    """Rename or relabel: the one field of `form_class` is saved through the service."""
    project = get_project_for_write(request.user, public_id)
    form = form_class(request.POST)

    def save(data):
        actor = Actor.for_user(request)
        return services.project_update(project=project, **{field: data[field]}, actor=actor)

    if submit(form, save):
        messages.success(request, done.format(name=project.name))
        return redirect("project_detail", project.public_id)
    return _render_details(request, project, **{f"{field}_form": form}, status=400)


@require_POST
def project_rename(request, public_id):
    return _update(request, public_id, NameForm, field="name", done="Renamed to “{name}”.")


@require_POST
def project_labels(request, public_id):
    project = get_project_for_write(request.user, public_id)
    if not may_see(project, LABELS, customer=is_customer_login(project)):
        raise PermissionDenied("This subproject's labels are its provider's.")
    return _update(request, public_id, LabelsForm, field="labels", done="Labels saved.")


def _can_set_customers_see(project) -> bool:
    """The account's admins decide what a top-level project's customers see."""
    return not project.is_subproject and getattr(project, "user_role", None) == Role.ADMIN


@require_POST
def project_customers_see(request, public_id):
    """Save what this top-level project's customers see of their subprojects."""
    project = get_project_for_write(request.user, public_id)
    if not _can_set_customers_see(project):
        raise PermissionDenied("Only the account's admins decide what customers see.")
    form = CustomersSeeForm(request.POST)

    def save(data):
        return services.project_customers_see(
            project=project,
            labels=data["labels"],
            bills=data["bills"],
            actor=Actor.for_user(request),
        )

    if submit(form, save):
        messages.success(request, "Saved what your customers see.")
    return redirect(reverse("project_detail", args=[project.public_id]) + "#settings")


def _after_removal_url(subproject):
    if subproject.parent_visible:
        url = reverse("subproject_list", args=[subproject.parent.public_id])
        return f"{url}?removed={subproject.public_id}"
    return reverse("project_list")


@require_http_methods(["GET", "POST"])
def subproject_remove(request, public_id):
    """GET asks for confirmation, naming the subproject; POST removes it."""
    project = get_project_to_decide(request.user, public_id)
    if request.method == "GET" or not project.is_subproject:
        status = 200 if project.is_subproject else 400
        return render(
            request, "projects/subproject_remove.html", {"project": project}, status=status
        )
    services.subproject_remove(subproject=project, actor=Actor.for_user(request))
    if not project.parent_visible:
        # No Subprojects page to go back to: the message says it (with no Restore there).
        messages.success(
            request,
            f"Subproject “{project.name}” removed. Its access keys no longer work. "
            f"It can be restored for {settings.SUBPROJECT_RESTORE_DAYS} days.",
        )
    # Else the Subprojects page says it once, in its notice with Restore (?removed=).
    return redirect(_after_removal_url(project))


@require_POST
def subproject_restore(request, public_id):
    project = get_project_to_decide(request.user, public_id, include_removed=True)
    done = f"Subproject “{project.name}” restored."
    if not perform(request, services.subproject_restore, subproject=project, done=done):
        return redirect("project_list")
    return redirect("project_detail", project.public_id)


@require_POST
def project_suspend(request, public_id):
    """Suspend with a reason: its access keys are refused until it is resumed."""
    project = get_project_to_decide(request.user, public_id)
    form = SuspendForm(request.POST)

    def suspend(data):
        actor = Actor.for_user(request)
        return services.project_suspend(project=project, reason=data["reason"], actor=actor)

    if submit(form, suspend):
        messages.success(request, f"“{project.name}” is suspended: its access keys are refused.")
        return redirect("project_detail", project.public_id)
    return _render_details(request, project, suspend_form=form, status=400)


@require_POST
def project_resume(request, public_id):
    project = get_project_to_decide(request.user, public_id)
    done = f"“{project.name}” is resumed: its access keys work again."
    perform(request, services.project_resume, project=project, done=done)
    return redirect("project_detail", project.public_id)


@require_POST
def service_api_reminder_dismiss(request, public_id):
    """ "Got it" on a subproject's Service API reminder: it no longer shows to this user
    on this subproject. Anyone who sees the subproject may: it changes nothing but what
    they are shown."""
    project = get_project_for_user(request.user, public_id)
    services.reminder_dismiss(
        user=request.user, project=project, reminder=ReminderDismissal.SERVICE_API
    )
    return redirect("project_detail", project.public_id)
