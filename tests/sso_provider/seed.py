"""The provider's users and the console's client there (run once, in its process)."""

import sys

PASSWORD = "provider-password"
CLIENT_ID = "console"
CLIENT_SECRET = "console-client-secret-for-tests"
# email: (first name, last name), read by tests.sso_provider.validator.
USERS = {
    "alice@example.com": ("", ""),
    "newcomer@example.com": ("", ""),
    "unverified@example.com": ("", "unverified"),
    "audience@example.com": ("wrong-audience", ""),
    "nonce@example.com": ("wrong-nonce", ""),
    "signature@example.com": ("wrong-signature", ""),
    "outsider@elsewhere.org": ("", ""),
}


def seed(redirect_uri: str) -> None:
    from django.contrib.auth.models import User
    from oauth2_provider.models import Application

    for email, (first, last) in USERS.items():
        User.objects.create_user(
            username=email, email=email, password=PASSWORD, first_name=first, last_name=last
        )
    Application.objects.create(
        name="Console",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uri,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )


if __name__ == "__main__":
    import django

    django.setup()
    seed(sys.argv[1])
