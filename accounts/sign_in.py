"""Sign-in: Django's LoginView with the sign-in throttle's form, which also takes the
browser's time zone on a user's first sign-in.

The login page carries a hidden `browser_time_zone` field that static/js/app.js fills
with the browser's IANA zone (Intl.DateTimeFormat). On the first sign-in (the user has
never signed in before) a valid zone becomes the user's, so times read right from the
start; without JavaScript nothing is sent and the zone stays UTC. Later sign-ins never
change it: the profile page does (accounts/profile.py). The current project is chosen
at sign-in too, by projects.current (a user_logged_in receiver).
"""

from django.contrib.auth.views import LoginView

from core.actors import Actor

from . import services
from .forms import LoginForm
from .time_zones import is_time_zone


class SignInView(LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        first_sign_in = user.last_login is None  # read before login() sets it
        response = super().form_valid(form)
        zone = self.request.POST.get("browser_time_zone", "")
        if first_sign_in and is_time_zone(zone):
            services.user_set_time_zone(
                user=user, time_zone=zone, actor=Actor.for_user(self.request)
            )
        return response
