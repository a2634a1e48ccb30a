from tests.factories import PASSWORD, UserFactory


def test_pages_require_sign_in(client, db):
    response = client.get("/projects/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/projects/")


def test_login_page_renders(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'type="email"' in body and "csrfmiddlewaretoken" in body


def test_login_with_email_and_logout(client, db):
    user = UserFactory(email="ann@example.com")
    response = client.post(
        "/accounts/login/", {"username": "ANN@example.com".lower(), "password": PASSWORD}
    )
    assert response.status_code == 302
    page = client.get("/projects/")
    assert page.status_code == 200
    assert user.email in page.content.decode()
    client.post("/accounts/logout/")
    assert client.get("/projects/").status_code == 302


def test_wrong_password_gets_a_message(client, db):
    UserFactory(email="ann@example.com")
    response = client.post("/accounts/login/", {"username": "ann@example.com", "password": "x"})
    assert response.status_code == 200
    assert "Please enter a correct email address and password" in response.content.decode()


def test_password_change(client, db):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a much newer passphrase",
            "new_password2": "a much newer passphrase",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a much newer passphrase")


def test_login_is_csrf_protected(db):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/accounts/login/", {"username": "a@example.com", "password": "x"})
    assert response.status_code == 403


def test_healthz_is_public(client, db):
    assert client.get("/healthz").content == b"ok"


def test_unknown_page_is_404_in_the_site_look(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
