"""How each request loads the signed-in user."""

from django.contrib.auth.backends import ModelBackend

from .models import User


class SessionUserBackend(ModelBackend):
    """Django's ModelBackend (email and password), loading the signed-in user with
    what the top bar shows of their accounts (User.objects.for_session) in the same
    one query. A user whose current account is gone, or who has none yet, is moved to
    one they belong to (accounts.current.ensure_current_account)."""

    def get_user(self, user_id):
        user = User.objects.for_session().filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        if user.current_role is None and user.account_count:
            from .current import ensure_current_account

            ensure_current_account(user)
        return user
