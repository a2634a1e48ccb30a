"""The Members page of an account and its actions: one small view each.

Account admins only, in their current account (team.access: everyone else gets 404).
Every change goes through the services (accounts.services: roles and removal;
projects.services: grants; team.services: invitations), acting as
Actor.for_user(request); a refusal is shown on the form (core.forms.submit)
or as a message.
"""

from django.contrib import messages
from django.db.models import F, Prefetch
from django.db.models.functions import Lower
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import services as account_services
from accounts import two_factor
from accounts.models import Account, Membership, Role
from core.actors import Actor
from core.forms import perform, submit
from core.lists import Column, Sorts, keyset_list
from projects import services as project_services
from projects.models import Project, ProjectGrant
from team import services
from team.access import get_account_for_admin, get_invitation, get_membership
from team.emails import send_invitation
from team.forms import GrantsForm, InviteForm, RoleForm, project_choice
from team.models import INVITATION_DAYS

PER_PAGE = 100
MEMBER_SORTS = Sorts(
    (Column("email", "Email", ("email", "public_id"), "A to Z", "Z to A"),), "email"
)


def members_url(account: Account) -> str:
    return reverse("member_list", args=[account.public_id])


def _grants_prefetch():
    return Prefetch(
        "grants",
        queryset=ProjectGrant.objects.select_related("project__parent").order_by(
            "project__created_at", "project__pk"
        ),
    )


@require_GET
def member_list(request, account_id):
    """Each member with email, role, grants and last sign-in (100 a page by position,
    sorted by email either way, filtered by email); the pending invitations with Resend
    and Cancel; the Invite button."""
    account = get_account_for_admin(request.user, account_id)
    q = request.GET.get("q", "").strip()
    members = Membership.objects.filter(account=account).annotate(
        email=F("user__email"), has_two_factor=two_factor.has_two_factor_expression("user")
    )
    if q:
        members = members.filter(user__email__icontains=q)
    page = keyset_list(
        request,
        members.select_related("user").prefetch_related(_grants_prefetch()),
        sorts=MEMBER_SORTS,
        context=f"members:{account.public_id}:{q}",
        total=members,  # counted up to core.lists.COUNT_LIMIT
        noun=("member", "members"),
        per_page=PER_PAGE,
    )
    invitations = (
        account.invitations.open()
        .select_related("invited_by")
        .prefetch_related(Prefetch("projects", queryset=Project.objects.select_related("parent")))
        .order_by("-sent_at", "-pk")
    )
    context = {
        "account": account,
        "page": page,
        "q": q,
        "invitations": invitations,
        "invitation_days": INVITATION_DAYS,
    }
    return render(request, "team/member_list.html", context)


@require_POST
def two_factor_policy(request, account_id):
    """Require two-factor sign-in of the account's members, or stop requiring it."""
    account = get_account_for_admin(request.user, account_id)
    required = request.POST.get("require_two_factor") == "on"
    if required and not request.user.is_verified():
        # Turning it on from a session without a code would shut this session out.
        messages.error(
            request,
            "Set up two-factor sign-in for yourself first (Profile, Two-factor sign-in), "
            "and sign in with a code: then you can require it of everyone.",
        )
        return redirect(members_url(account))
    account_services.account_set_two_factor_policy(
        account=account, required=required, actor=Actor.for_user(request)
    )
    messages.success(
        request,
        "Two-factor sign-in is now required of every member."
        if required
        else "Two-factor sign-in is no longer required.",
    )
    return redirect(members_url(account))


def _top_level_choices(account: Account, chosen=()) -> list[tuple[str, str]]:
    """The account's top-level projects by name (in any letter case, as every list),
    and the projects in `chosen` that are not among them (granted subprojects), as
    checkbox choices."""
    top = list(account.projects.alive().filter(parent__isnull=True).order_by(Lower("name"), "pk"))
    listed = {project.public_id for project in top}
    extra = [project for project in chosen if project.public_id not in listed]
    return [project_choice(project) for project in [*top, *extra]]


@require_http_methods(["GET", "POST"])
def member_invite(request, account_id):
    """Invite someone by email with a role and grants; the email carries the link."""
    account = get_account_for_admin(request.user, account_id)
    form = InviteForm(request.POST or None, account=account, choices=_top_level_choices(account))

    def invite(data):
        return services.invitation_create(
            account=account,
            email=data["email"],
            role=data["role"],
            projects=data["project_rows"],
            actor=Actor.for_user(request),
        )

    invited = submit(form, invite) if request.method == "POST" else None
    if invited:
        invitation, token = invited.result
        data = form.cleaned_data
        _sent(request, invitation, token, data["project_rows"])
        if data["back"]:
            return redirect("project_detail", data["back"])
        return redirect(members_url(account))
    status = 400 if form.is_bound else 200
    context = {"account": account, "form": form, "invitation_days": INVITATION_DAYS}
    return render(request, "team/member_invite.html", context, status=status)


def _sent(request, invitation, token, projects) -> None:
    send_invitation(request, invitation, token, projects)
    messages.success(
        request,
        f"Invitation sent to {invitation.email}. The link works for {INVITATION_DAYS} days.",
    )


@require_POST
def invitation_resend(request, account_id, invitation_id):
    """A new link (the previous one stops working), valid INVITATION_DAYS from now."""
    account = get_account_for_admin(request.user, account_id)
    invitation = get_invitation(account, invitation_id)
    resent = perform(request, services.invitation_resend, invitation=invitation)
    if resent:
        invitation, token = resent.result
        projects = invitation.projects.select_related("parent").order_by("created_at", "pk")
        _sent(request, invitation, token, list(projects))
    return redirect(members_url(account))


@require_POST
def invitation_cancel(request, account_id, invitation_id):
    account = get_account_for_admin(request.user, account_id)
    invitation = get_invitation(account, invitation_id)
    done = f"The invitation to {invitation.email} is cancelled."
    perform(request, services.invitation_cancel, invitation=invitation, done=done)
    return redirect(members_url(account))


def _render_member(request, account, membership, *, role_form=None, grants_form=None, status=200):
    grants = list(
        membership.grants.filter(project__removed_at__isnull=True)
        .select_related("project__parent")
        .order_by("project__created_at", "project__pk")
    )
    granted = [grant.project for grant in grants]
    choices = _top_level_choices(account, granted)
    if grants_form is None:
        grants_form = GrantsForm(
            account=account,
            choices=choices,
            initial={"projects": [project.public_id for project in granted]},
        )
    else:
        grants_form.fields["projects"].choices = choices
    context = {
        "account": account,
        "membership": membership,
        "member": membership.user,
        "is_self": membership.user_id == request.user.pk,
        "granted": granted,
        "role_form": role_form or RoleForm(initial={"role": membership.role}),
        "grants_form": grants_form,
    }
    return render(request, "team/member_detail.html", context, status=status)


@require_GET
def member_detail(request, account_id, member_id):
    """One member: their role, their grants, and removal."""
    account = get_account_for_admin(request.user, account_id)
    membership = get_membership(account, member_id)
    return _render_member(request, account, membership)


@require_POST
def member_role(request, account_id, member_id):
    account = get_account_for_admin(request.user, account_id)
    membership = get_membership(account, member_id)
    form = RoleForm(request.POST)

    def set_role(data):
        actor = Actor.for_user(request)
        return account_services.membership_role_set(
            membership=membership, role=data["role"], actor=actor
        )

    if submit(form, set_role):
        messages.success(
            request, f"{membership.user.email} is now {_role_phrase(membership.role)}."
        )
        if membership.user_id == request.user.pk and membership.role != Role.ADMIN:
            return redirect("home")  # no longer an admin: the page is not theirs now
        return redirect("member_detail", account.public_id, membership.public_id)
    return _render_member(request, account, membership, role_form=form, status=400)


def _role_phrase(role: str) -> str:
    return {Role.ADMIN: "an admin", Role.MEMBER: "a member", Role.VIEWER: "a viewer"}[role]


@require_POST
def member_grants(request, account_id, member_id):
    """Set the projects a member or viewer is granted (added and withdrawn to match)."""
    account = get_account_for_admin(request.user, account_id)
    membership = get_membership(account, member_id)
    form = GrantsForm(request.POST, account=account)

    def set_grants(data):
        actor = Actor.for_user(request)
        return project_services.membership_grants_set(
            membership=membership, projects=data["project_rows"], actor=actor
        )

    if submit(form, set_grants):
        messages.success(request, f"Access of {membership.user.email} saved.")
        return redirect("member_detail", account.public_id, membership.public_id)
    return _render_member(request, account, membership, grants_form=form, status=400)


@require_http_methods(["GET", "POST"])
def member_remove(request, account_id, member_id):
    """GET asks for confirmation, naming the member; POST removes them: their grants go
    and every session of theirs ends at once."""
    account = get_account_for_admin(request.user, account_id)
    membership = get_membership(account, member_id)
    if request.method == "GET":
        return render(
            request, "team/member_remove.html", {"account": account, "membership": membership}
        )
    done = f"{membership.user.email} is removed from {account.name}: signed out everywhere."
    if not perform(request, account_services.membership_remove, membership=membership, done=done):
        return redirect("member_detail", account.public_id, membership.public_id)
    if membership.user_id == request.user.pk:
        return redirect("login")
    return redirect(members_url(account))
