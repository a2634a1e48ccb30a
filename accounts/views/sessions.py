from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from core.actors import Actor

from .. import services
from ..current import set_current_account
from ..models import Membership


@require_POST
def account_switch(request):
    """Show another of the user's accounts (the top bar's switcher): the dashboard
    opens on its Projects page, and nothing of the previous account is shown."""
    membership = (
        Membership.objects.select_related("account")
        .filter(user=request.user, account__public_id=request.POST.get("account", ""))
        .first()
    )
    if membership is None:
        raise Http404("No such account.")
    set_current_account(request.user, membership.account, role=membership.role)
    messages.success(request, f"You are now in {membership.account.name}.")
    return redirect("home")


@require_POST
def sign_out_everywhere(request):
    """End every session of the signed-in user, on every device, this one included."""
    services.user_sign_out_everywhere(user=request.user, actor=Actor.for_user(request))
    logout(request)
    messages.success(request, "You are signed out on every device.")
    return redirect("login")
