from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and users"

    def ready(self):
        from . import sessions  # noqa: F401 - its user_logged_in receiver
