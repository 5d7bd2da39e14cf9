"""Templates: the defaults in both languages, versions that never change, and the admin."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse

from ghiseu.audit.models import AuditEvent
from ghiseu.core.errors import DomainError
from ghiseu.notifications.defaults import DEFAULT_TEMPLATES, REGISTRY_REGISTERED, VARIABLES, ensure_default_templates
from ghiseu.notifications.models import Notification, NotificationTemplate
from ghiseu.notifications.rendering import render_parts
from ghiseu.notifications.selectors import template_for
from ghiseu.notifications.services import notification_send, template_publish, template_set_active

pytestmark = pytest.mark.django_db

KEYS = {
    "registry.registered",
    "request.submitted",
    "request.completion_needed",
    "request.issued",
    "petition.registered",
    "petition.forwarded",
    "petition.extended",
    "petition.answered",
    "task.escalated",
    "case.completion_answered",
    "archive.fixity_problem",
}
CEDILLA = re.compile("[şţŞŢ]")
SAMPLE = {
    "number": "77/02.02.2027",
    "subject": "Sesizare iluminat public",
    "due_date": dt.date(2027, 3, 4),
    "new_due_date": dt.date(2027, 3, 19),
    "respond_by": dt.date(2027, 2, 20),
    "tracking_code": "AB12CD",
    "tracking_url": "https://ghiseu.example.ro/stare/77",
    "service_name": "Certificat de urbanism",
    "missing": "Planul de situație, scara 1:500",
    "document_title": "Certificat de urbanism",
    "document_number": "12/2027",
    "download_url": "https://ghiseu.example.ro/d/12",
    "verify_url": "https://ghiseu.example.ro/verificare/XYZ",
    "forwarded_to": "Consiliul Județean Hunedoara",
    "reason": "Sunt necesare informații de la alte instituții.",
    "task_title": "Verificare documentație",
    "case_number": "77/02.02.2027",
    "assignee_name": "Ana Popescu",
    "answer": "Am încărcat extrasul de carte funciară.",
    "case_url": "https://ghiseu.example.ro/lucrari/dosare/5/",
    "task_url": "https://ghiseu.example.ro/sarcini/5",
    "problem_label": "conținut modificat (SHA-256 diferit)",
    "sha256": "ab" * 32,
    "documents": [{"dossier": "URB-1/2019", "title": "Autorizație de construire 12/2019", "kind": "original"}],
    "institution": {"name": "Primăria Municipiului Lupeni", "address": "Str. Revoluției nr. 2", "email": "r@x.ro"},
    "recipient_name": "Ion Ionescu",
}


def test_every_default_key_is_seeded_in_romanian_and_english() -> None:
    assert set(DEFAULT_TEMPLATES) == KEYS == set(VARIABLES)
    seeded = set(NotificationTemplate.objects.filter(is_active=True, version=1).values_list("key", "language"))
    assert {(key, lang) for key in KEYS for lang in ("ro", "en")} <= seeded


def test_seeding_again_creates_nothing_and_respects_edits() -> None:
    template = NotificationTemplate.objects.get(key=REGISTRY_REGISTERED, language="ro")
    template_set_active(template_id=template.pk, is_active=False)
    NotificationTemplate.objects.filter(key="petition.answered", language="en").delete()

    assert ensure_default_templates() == 1  # only the deleted one comes back
    assert ensure_default_templates() == 0
    assert not NotificationTemplate.objects.get(pk=template.pk).is_active


@pytest.mark.parametrize("key", sorted(KEYS))
@pytest.mark.parametrize("language", ["ro", "en"])
def test_defaults_render_cleanly(key: str, language: str) -> None:
    subject, body = DEFAULT_TEMPLATES[key][language]
    out = render_parts(subject=subject, body_text=body, body_html="", context=SAMPLE, language=language)
    for text in (out.subject, out.text):
        assert "{" not in text and "}" not in text
        assert not CEDILLA.search(text)
    assert "\n\n\n" not in out.text
    assert out.subject and out.text.startswith(("Bună ziua, Ion Ionescu,", "Hello Ion Ionescu,"))
    # The variables a key declares all show up in its rendered text (when given).
    for name in VARIABLES[key]:
        value = SAMPLE[name]
        if isinstance(value, list):  # a list of records: each field of each shows
            assert all(str(v) in out.text for item in value for v in item.values()), (key, language, name)
            continue
        shown = value.strftime("%d.%m.%Y") if isinstance(value, dt.date) and language == "ro" else str(value)
        if isinstance(value, dt.date) and language == "en":
            shown = f"{value.day} {value:%B %Y}"
        assert shown in out.text or shown in out.subject, (key, language, name)


def test_romanian_defaults_use_comma_below_letters() -> None:
    romanian = " ".join(s + b for by_lang in DEFAULT_TEMPLATES.values() for s, b in [by_lang["ro"]])
    assert not CEDILLA.search(romanian)
    assert "ț" in romanian and "ș" in romanian


def test_editing_publishes_a_new_version_and_sent_notifications_keep_theirs(citizen: Any) -> None:
    context = {"number": "5/2027", "tracking_url": "https://x.ro/5"}
    with transaction.atomic():
        first = notification_send(key=REGISTRY_REGISTERED, to_user=citizen, context=context, channels=["inbox"])[0]
    v1 = first.template
    assert v1.version == 1

    v2 = template_publish(
        key=REGISTRY_REGISTERED,
        language="ro",
        subject="Înregistrare nouă: {{ number }}",
        body_text="Numărul dumneavoastră este {{ number }}.",
        actor=citizen,
    )
    assert v2.version == 2 and v2.is_active and v2.created_by == citizen
    assert template_for(key=REGISTRY_REGISTERED, language="ro") == v2
    v1.refresh_from_db()
    assert not v1.is_active
    assert v1.subject == "Documentul dumneavoastră a fost înregistrat cu nr. {{ number }}"  # unchanged

    first.refresh_from_db()
    assert first.template_id == v1.pk
    assert first.subject == "Documentul dumneavoastră a fost înregistrat cu nr. 5/2027"

    with transaction.atomic():
        second = notification_send(key=REGISTRY_REGISTERED, to_user=citizen, context=context, channels=["inbox"])[0]
    assert second.template_id == v2.pk
    assert (second.subject, second.body) == ("Înregistrare nouă: 5/2027", "Numărul dumneavoastră este 5/2027.")
    assert AuditEvent.objects.filter(action="notifications.template_published", object_id=str(v2.pk)).exists()

    # English is versioned on its own.
    assert template_for(key=REGISTRY_REGISTERED, language="en").version == 1  # type: ignore[union-attr]


def test_a_broken_template_is_refused_before_anything_is_written() -> None:
    before = NotificationTemplate.objects.count()
    with pytest.raises(DomainError) as caught:
        template_publish(key=REGISTRY_REGISTERED, language="ro", subject="{% if %}", body_text="ok")
    assert caught.value.field == "subject"
    with pytest.raises(DomainError):
        template_publish(key=REGISTRY_REGISTERED, language="hu", subject="x", body_text="y")
    assert NotificationTemplate.objects.count() == before


# --- Admin -----------------------------------------------------------------------------------


def _form(template: NotificationTemplate, **changes: Any) -> dict[str, Any]:
    data = {
        "subject": template.subject,
        "body_text": template.body_text,
        "body_html": template.body_html,
        "is_active": "on" if template.is_active else "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_admin_change_of_content_creates_a_new_version(admin_client: Any, citizen: Any) -> None:
    v1 = NotificationTemplate.objects.get(key="petition.answered", language="ro", version=1)
    with transaction.atomic():
        used = notification_send(key="petition.answered", to_user=citizen, context={"number": "9/2027"})[0]
    url = reverse("admin:notifications_notificationtemplate_change", args=[v1.pk])

    response = admin_client.post(url, _form(v1, subject="Am răspuns petiției nr. {{ number }}"))

    assert response.status_code == 302, response.content.decode()[:2000]
    v1_after = NotificationTemplate.objects.get(pk=v1.pk)
    assert v1_after.subject == v1.subject and not v1_after.is_active
    v2 = NotificationTemplate.objects.get(key="petition.answered", language="ro", version=2)
    assert v2.subject == "Am răspuns petiției nr. {{ number }}" and v2.is_active
    assert Notification.objects.get(pk=used.pk).template_id == v1.pk


def test_admin_toggle_only_changes_activity_without_a_version(admin_client: Any) -> None:
    template = NotificationTemplate.objects.get(key="task.escalated", language="en", version=1)
    url = reverse("admin:notifications_notificationtemplate_change", args=[template.pk])

    response = admin_client.post(url, _form(template, is_active=""))

    assert response.status_code == 302
    assert NotificationTemplate.objects.filter(key="task.escalated", language="en").count() == 1
    assert not NotificationTemplate.objects.get(pk=template.pk).is_active


def test_admin_refuses_a_broken_template(admin_client: Any) -> None:
    template = NotificationTemplate.objects.get(key="task.escalated", language="ro", version=1)
    url = reverse("admin:notifications_notificationtemplate_change", args=[template.pk])

    response = admin_client.post(url, _form(template, body_text="{% for %}"))

    assert response.status_code == 200
    assert "Șablonul are o eroare" in response.content.decode()
    assert NotificationTemplate.objects.filter(key="task.escalated", language="ro").count() == 1


def test_admin_add_for_an_existing_key_takes_the_next_version(admin_client: Any) -> None:
    url = reverse("admin:notifications_notificationtemplate_add")
    data = {"key": "request.issued", "language": "en", "subject": "Ready: {{ number }}", "body_text": "Done."}

    response = admin_client.post(url, {**data, "is_active": "on"})

    assert response.status_code == 302, response.content.decode()[:2000]
    latest = NotificationTemplate.objects.filter(key="request.issued", language="en").order_by("-version").first()
    assert latest is not None and latest.version == 2 and latest.subject == "Ready: {{ number }}"


def test_notifications_are_read_only_in_the_admin(admin_client: Any, citizen: Any) -> None:
    with transaction.atomic():
        n = notification_send(key="petition.answered", to_user=citizen, context={"number": "9/2027"})[0]
    change_url = reverse("admin:notifications_notification_change", args=[n.pk])
    assert admin_client.get(change_url).status_code == 200
    assert admin_client.get(reverse("admin:notifications_notification_add")).status_code == 403
    admin_client.post(change_url, {"subject": "altceva"})
    assert Notification.objects.get(pk=n.pk).subject == n.subject
    assert admin_client.get(reverse("admin:notifications_notification_delete", args=[n.pk])).status_code == 403
