"""An account's single sign-on settings (accounts.sso), beside its Members page: its
admins only (team.access: everyone else gets 404). The client secret is never shown
again once saved: the form's field stays empty, and empty keeps it."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from accounts import sso
from accounts.models import Role, SingleSignOn
from core.actors import Actor
from core.forms import perform, submit
from team.access import get_account_for_admin
from team.forms import SingleSignOnForm

KEPT_HELP = "Saved, and never shown again. Leave empty to keep it; paste a new one to replace it."


@sensitive_post_parameters("client_secret")
@require_http_methods(["GET", "POST"])
def sso_settings(request, account_id):
    account = get_account_for_admin(request.user, account_id)
    config = SingleSignOn.objects.filter(account=account).first()
    initial = {"default_role": Role.VIEWER}
    if config is not None:
        initial = {
            "issuer": config.issuer,
            "client_id": config.client_id,
            "domains": "\n".join(config.domains.values_list("domain", flat=True)),
            "default_role": config.default_role,
            "only_sso": config.only_sso,
        }
    form = SingleSignOnForm(request.POST or None, initial=initial)
    if config is not None:
        form.fields["client_secret"].help_text = KEPT_HELP

    def configure(data):
        return sso.sso_configure(account=account, actor=Actor.for_user(request), **data)

    if request.method == "POST" and submit(form, configure):
        messages.success(request, "Single sign-on saved.")
        return redirect("sso_settings", account.public_id)
    context = {
        "account": account,
        "form": form,
        "config": config,
        "redirect_uri": request.build_absolute_uri(reverse("sso_callback")),
    }
    return render(request, "team/sso.html", context, status=400 if form.errors else 200)


@require_POST
def sso_turn_off(request, account_id):
    account = get_account_for_admin(request.user, account_id)
    perform(request, sso.sso_remove, account=account, done="Single sign-on is off.")
    return redirect("sso_settings", account.public_id)
