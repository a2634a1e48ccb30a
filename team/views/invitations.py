"""Accepting an invitation: the page the email's link opens (no sign-in needed).

The link carries the token in its query string (request logs never record a query
string); the first request moves it into the session and redirects to the same page
without it, so it stays out of the browser's history and Referer headers, as Django's
password reset does. Then:

- signed in as the invited email: an Accept button;
- signed in as someone else: refused, saying so (sign out and open the link again);
- not signed in, the email already a user: sign in first (the token waits in the
  session, which signing in keeps);
- not signed in, a new email: choose a password (Django's validators), which accepts.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from accounts.models import User
from core.actors import Actor, Kind, Source
from core.client import client_address
from core.errors import InvalidValue, ServiceError
from core.forms import add_service_error
from team import services

SESSION_KEY = "invitation_token"


class NewPasswordForm(forms.Form):
    """The new user's password, twice; Django's validators run in the service."""

    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    service_fields = {"password": "password1"}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", "The two passwords differ: type the same one twice.")
        return cleaned


@login_not_required
@never_cache
@sensitive_variables("token")
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def invitation_accept(request):
    if request.method == "GET" and "token" in request.GET:
        request.session[SESSION_KEY] = request.GET["token"]
        return redirect(reverse("invitation_accept"))
    token = request.session.get(SESSION_KEY, "")
    invitation = services.invitation_for_token(token)
    problem = services.invitation_problem(invitation)
    if problem:
        status = 404 if invitation is None else 410
        return render(request, "team/invitation.html", {"problem": problem}, status=status)

    context = {"invitation": invitation, "account": invitation.account}
    user = request.user
    if user.is_authenticated:
        if user.email.lower() != invitation.email:
            context["problem"] = (
                f"This invitation is for {invitation.email}, and you are signed in as "
                f"{user.email}. Sign out, then open the link in the email again."
            )
            context["wrong_user"] = True
            return render(request, "team/invitation.html", context, status=403)
        if request.method == "POST":
            return _accept(request, token, user=user, actor=Actor.for_user(request))
        return render(request, "team/invitation.html", context)

    if User.objects.filter(email__iexact=invitation.email).exists():
        login_url = reverse("login") + "?" + urlencode({"next": reverse("invitation_accept")})
        context["login_url"] = login_url
        return render(request, "team/invitation.html", context)

    form = NewPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actor = Actor(Kind.USER, "", Source.DASHBOARD, client_address(request))
        response = _accept(
            request, token, password=form.cleaned_data["password1"], actor=actor, form=form
        )
        if response is not None:
            return response
    context["form"] = form
    return render(request, "team/invitation.html", context, status=400 if form.errors else 200)


@sensitive_variables("token", "password")
def _accept(request, token, *, user=None, password=None, actor, form=None):
    try:
        membership = services.invitation_accept(
            token=token, user=user, password=password, actor=actor
        )
    except InvalidValue as error:
        if form is None:
            raise
        add_service_error(form, error)
        return None
    except ServiceError as error:
        problem = {"problem": error.message}
        return render(request, "team/invitation.html", problem, status=409)
    request.session.pop(SESSION_KEY, None)
    if user is None:
        login(request, membership.user)
    messages.success(request, f"Welcome to {membership.account.name}.")
    return redirect("home")
