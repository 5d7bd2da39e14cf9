"""API tokens: `manage.py api_token USERNAME` and the token service."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from ghiseu.accounts.models import ApiToken
from ghiseu.accounts.services import api_token_get_or_create, api_token_rotate
from ghiseu.audit.models import AuditEvent
from ghiseu.core.errors import DomainError

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("api_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue().strip()


def _list_status(key: str) -> int:
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/registry/entries").status_code


def test_command_creates_then_shows_the_same_token(clerk):
    key, note = _run("clerk")
    again, note_again = _run("clerk")

    assert key == again == ApiToken.objects.get(user=clerk).key
    assert len(key) >= 40
    assert "nou" in note and "existent" in note_again
    assert ApiToken.objects.count() == 1
    events = AuditEvent.objects.filter(action="accounts.api_token.created")
    assert events.count() == 1
    assert key not in str(events.get().summary)  # the key itself is never logged
    assert _list_status(key) == 200


@pytest.mark.parametrize("who", ["citizen", "nobody", "inactive"])
def test_command_refuses_citizens_unknown_and_inactive_users(who, citizen, clerk):
    if who == "inactive":
        clerk.is_active = False
        clerk.save(update_fields=["is_active"])
    username = {"citizen": "citizen", "nobody": "nimeni", "inactive": "clerk"}[who]

    with pytest.raises(CommandError) as raised:
        _run(username)

    assert username in str(raised.value)
    assert ApiToken.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_rotate_replaces_the_key(clerk):
    old, _ = _run("clerk")

    new, note = _run("clerk", "--rotate")

    assert new != old and ApiToken.objects.get(user=clerk).key == new
    assert "vechi" in note
    assert _list_status(old) == 401
    assert _list_status(new) == 200
    assert AuditEvent.objects.filter(action="accounts.api_token.rotated").count() == 1


def test_service_says_whether_it_created(officer):
    token, created = api_token_get_or_create(user=officer)
    same, created_again = api_token_get_or_create(user=officer)

    assert created and not created_again
    assert same.pk == token.pk and same.key == token.key


def test_service_refuses_a_citizen_and_a_demoted_user(citizen, officer):
    token, _ = api_token_get_or_create(user=officer)
    officer.role = "citizen"
    officer.save(update_fields=["role"])

    with pytest.raises(DomainError):
        api_token_get_or_create(user=citizen)
    with pytest.raises(DomainError):
        api_token_rotate(user=officer)
    # the token made while they were staff no longer opens the staff endpoints
    assert _list_status(token.key) == 403
