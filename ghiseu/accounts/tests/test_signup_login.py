"""django-allauth as the city hall uses it: citizens sign up by e-mail and must confirm it (the mail
travels through a real SMTP server), log in by e-mail, reset a forgotten password; staff log in
with their username; the old URL names keep working."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from ghiseu.accounts.models import Role, User
from ghiseu.accounts.tests.conftest import link_in, mail_text
from ghiseu.accounts.tests.factories import PASSWORD as FACTORY_PASSWORD

pytestmark = pytest.mark.django_db

PASSWORD = "Castan-Lupeni-2026"


def sign_up(client: Client, email: str = "ana.pop@example.ro") -> Any:
    return client.post(
        reverse("account_signup"),
        {
            "last_name": "Pop",
            "first_name": "Ana-Maria",
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


def test_the_old_names_and_the_allauth_names_are_one_page() -> None:
    assert reverse("accounts:login") == reverse("account_login") == "/cont/autentificare/"
    assert reverse("accounts:logout") == reverse("account_logout") == "/cont/iesire/"
    assert reverse("account_signup") == "/cont/inregistrare/"


def test_a_citizen_signs_up_confirms_the_address_from_the_mail_and_is_in(smtp_server) -> None:
    client = Client()

    response = sign_up(client)

    # not in yet: the address must be confirmed first
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    user = User.objects.get(email="ana.pop@example.ro")
    assert (user.role, user.first_name, user.last_name) == (Role.CITIZEN, "Ana-Maria", "Pop")
    assert not user.is_staff and not user.is_superuser
    assert not EmailAddress.objects.get(user=user).verified
    page = client.get(response["Location"]).content.decode()
    assert "Confirmați adresa de e-mail" in page

    # logging in before confirming does not open the account
    again = Client().post(reverse("account_login"), {"login": "ana.pop@example.ro", "password": PASSWORD})
    assert again.status_code == 302 and again["Location"] == reverse("account_email_verification_sent")

    [mail, *_] = smtp_server.messages
    assert mail["To"] == "ana.pop@example.ro"
    assert "Confirmați adresa de e-mail" in mail["Subject"]
    text = mail_text(mail)
    assert "Primăria Municipiului Lupeni" in text
    confirm = link_in(text, "/cont/confirm-email/")
    assert "Confirmați că ana.pop@example.ro" in client.get(confirm).content.decode()

    done = client.post(confirm)

    assert done.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.session["_auth_user_id"] == str(user.pk)
    # a citizen lands on the portal
    assert client.get(reverse("accounts:home"))["Location"] == reverse("portal-home")

    # and can log in by e-mail afterwards
    later = Client()
    response = later.post(reverse("account_login"), {"login": "ANA.POP@example.ro", "password": PASSWORD})
    assert response.status_code == 302 and later.session["_auth_user_id"] == str(user.pk)


def test_sign_up_with_a_taken_address_reveals_nothing_and_tells_the_owner_by_mail(smtp_server, citizen) -> None:
    client = Client()

    taken = client.post(
        reverse("account_signup"),
        {"last_name": "Pop", "first_name": "Ion", "email": citizen.email, "password1": PASSWORD, "password2": PASSWORD},
    )

    # the page says the same as for a new address (no account enumeration); the owner gets a mail
    assert taken.status_code == 302 and taken["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email=citizen.email).count() == 1
    [mail] = smtp_server.messages
    assert mail["To"] == citizen.email and "Aveți deja un cont" in mail["Subject"]
    assert "/cont/password/reset/" in mail_text(mail)


def test_sign_up_refuses_a_weak_password_and_missing_names_in_romanian() -> None:
    client = Client()
    weak = client.post(
        reverse("account_signup"),
        {"last_name": "Pop", "first_name": "Ion", "email": "ion@example.ro", "password1": "123", "password2": "123"},
    )
    nameless = client.post(
        reverse("account_signup"), {"email": "ion@example.ro", "password1": PASSWORD, "password2": PASSWORD}
    )

    assert weak.status_code == 200 and nameless.status_code == 200
    assert not User.objects.filter(email="ion@example.ro").exists()
    assert "Corectați următoarele" in weak.content.decode()
    assert 'href="#id_last_name"' in nameless.content.decode()


def test_staff_log_in_with_their_username_without_a_verified_address(clerk) -> None:
    client = Client()

    response = client.post(reverse("accounts:login"), {"login": "clerk", "password": FACTORY_PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(clerk.pk)
    assert client.get(response["Location"])["Location"] == reverse("registry:list")


def test_after_login_officers_and_heads_land_on_their_work_dashboard(officer, head) -> None:
    for user in (officer, head):
        client = Client()
        client.force_login(user)

        assert client.get(reverse("accounts:home"))["Location"] == reverse("procedures:dashboard")


def test_a_wrong_password_is_refused_with_a_message(clerk) -> None:
    client = Client()
    response = client.post(reverse("accounts:login"), {"login": "clerk", "password": "greșită"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert 'role="alert"' in response.content.decode()


def test_password_reset_by_mail_then_login_with_the_new_password(smtp_server, citizen) -> None:
    EmailAddress.objects.create(user=citizen, email=citizen.email, verified=True, primary=True)
    client = Client()

    response = client.post(reverse("account_reset_password"), {"email": citizen.email})

    assert response.status_code == 302
    [mail] = smtp_server.messages
    assert mail["To"] == citizen.email and "Parolă nouă" in mail["Subject"]
    link = link_in(mail_text(mail), "/cont/password/reset/key/")
    form_page = client.get(link, follow=True)
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    new_password = "Brad-Retezat-7788"
    done = client.post(action, {"password1": new_password, "password2": new_password})
    assert done.status_code == 302

    assert Client().login(username=citizen.username, password=new_password)
    assert not Client().login(username=citizen.username, password=FACTORY_PASSWORD)
    # the link works once
    assert "nu mai este validă" in Client().get(action, follow=True).content.decode()


def test_logout_by_post(citizen) -> None:
    client = Client()
    client.force_login(citizen)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_login_page_is_romanian_and_keeps_the_field_ids(client) -> None:
    page = client.get(reverse("accounts:login")).content.decode()
    assert 'id="id_username"' in page and 'name="login"' in page and 'id="id_password"' in page
    assert 'for="id_username"' in page
    assert "Intră în cont" in page and reverse("account_signup") in page


def test_a_signed_in_user_changes_the_password(citizen) -> None:
    client = Client()
    client.force_login(citizen)
    page = client.get(reverse("account_change_password"))
    assert page.status_code == 200 and "Schimbarea parolei" in page.content.decode()

    wrong = client.post(
        reverse("account_change_password"),
        {"oldpassword": "nu-e-aceasta", "password1": PASSWORD, "password2": PASSWORD},
    )
    done = client.post(
        reverse("account_change_password"),
        {"oldpassword": FACTORY_PASSWORD, "password1": PASSWORD, "password2": PASSWORD},
    )

    assert wrong.status_code == 200 and "Corectați următoarele" in wrong.content.decode()
    assert done.status_code == 302
    assert Client().login(username=citizen.username, password=PASSWORD)
