"""Telling the petitioner through the notifications app, and never when it is absent or the
petition is anonymous; a notification that cannot be made never undoes the petition."""

from __future__ import annotations

import pytest
from django.apps import apps

from ghiseu.petitions.models import Petition
from ghiseu.petitions.services.notify import _tell_petitioner

pytestmark = pytest.mark.django_db


def test_without_the_notifications_app_nobody_is_told(clock, file_petition, monkeypatch):
    petition = file_petition()
    real = apps.is_installed
    monkeypatch.setattr(apps, "is_installed", lambda name: name != "ghiseu.notifications" and real(name))
    assert _tell_petitioner(petition=petition, key="petition.registered") is False
    with pytest.raises(ValueError):
        _tell_petitioner(petition=petition, key="petition.unknown")


def test_the_anonymous_are_never_told(clock, file_petition, sent):
    petition = file_petition(anonymous=True)
    assert _tell_petitioner(petition=petition, key="petition.answered") is False
    assert sent == []


def test_the_real_notifications_app_gets_the_registration(clock, file_petition):
    from ghiseu.notifications.models import Notification

    clock.set("2026-11-02")
    petition = file_petition()
    notification = Notification.objects.get()
    assert notification.recipient_email == "maria.ionescu@example.ro"
    assert petition.entry.display_number in notification.subject
    assert "02.12.2026" in notification.body  # the legal due date, as the template shows it
    assert (notification.related_type, notification.related_id) == ("petitions.petition", str(petition.pk))


def test_a_notification_that_cannot_be_made_does_not_undo_the_petition(clock, file_petition, sent, monkeypatch):
    from ghiseu.core.errors import DomainError

    def broken(**kwargs):
        raise DomainError("no template", code="unknown_template")

    monkeypatch.setattr(__import__("sys").modules["ghiseu.notifications.services"], "notification_send", broken)
    petition = file_petition()
    assert Petition.objects.filter(pk=petition.pk).exists()
