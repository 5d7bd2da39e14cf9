"""Notification templates (versioned, per language) and the notifications sent with them.

A template version is never changed once written: editing a template publishes a new version
and each notification keeps a foreign key to the exact version it was rendered from, with the
rendered subject and body beside it. A notification goes to one channel: an e-mail (delivered
by the worker, with retries) or the citizen's inbox ("my file").
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NotificationTemplate(models.Model):
    key = models.CharField(
        _("cheie"), max_length=100, help_text=_("Evenimentul la care se trimite, de exemplu registry.registered.")
    )
    language = models.CharField(_("limba"), max_length=8, choices=settings.LANGUAGES)
    version = models.PositiveIntegerField(_("versiune"), default=1)
    subject = models.CharField(_("subiect"), max_length=300)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True, help_text=_("Opțional; fără el se trimite doar textul."))
    is_active = models.BooleanField(_("activă"), default=True)
    created_at = models.DateTimeField(_("creată la"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("creată de"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["key", "language", "-version"]
        verbose_name = _("șablon de notificare")
        verbose_name_plural = _("șabloane de notificare")
        constraints = [
            models.UniqueConstraint(fields=["key", "language", "version"], name="unique_notification_template_version"),
        ]

    def __str__(self) -> str:
        return f"{self.key} [{self.language}] v{self.version}"


class Channel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    INBOX = "inbox", _("mesaje în cont")


class Status(models.TextChoices):
    QUEUED = "queued", _("în așteptare")
    SENT = "sent", _("trimisă")
    FAILED = "failed", _("eșuată")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("destinatar"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,  # the messages are the person's data: erased with the account
        related_name="notifications",
    )
    recipient_email = models.EmailField(_("adresa de e-mail"), blank=True)
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices)
    template = models.ForeignKey(
        NotificationTemplate, verbose_name=_("șablon"), on_delete=models.PROTECT, related_name="notifications"
    )
    language = models.CharField(_("limba"), max_length=8)
    subject = models.CharField(_("subiect"), max_length=300)
    body = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    context = models.JSONField(_("context"), default=dict, blank=True)
    status = models.CharField(_("stare"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("încercări"), default=0)
    last_error = models.TextField(_("ultima eroare"), blank=True)
    created_at = models.DateTimeField(_("creată la"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("trimisă la"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("următoarea încercare"), null=True, blank=True)
    read_at = models.DateTimeField(_("citită la"), null=True, blank=True)
    # A delivery in progress holds this lease, so that two runs of the task never send twice.
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    # What the notification is about, for "my file" (e.g. "registry.entry", "42"); no foreign key,
    # because the domain apps call this one and not the other way round.
    related_type = models.CharField(_("tip obiect"), max_length=100, blank=True)
    related_id = models.CharField(_("id obiect"), max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notificare")
        verbose_name_plural = _("notificări")
        indexes = [
            models.Index(fields=["recipient", "channel", "-created_at"], name="notif_recipient_idx"),
            models.Index(fields=["related_type", "related_id"], name="notif_related_idx"),
            models.Index(fields=["status", "channel"], name="notif_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(channel="email") | ~Q(recipient_email=""), name="notification_email_has_address"
            ),
            models.CheckConstraint(
                condition=~Q(channel="inbox") | Q(recipient__isnull=False), name="notification_inbox_has_recipient"
            ),
        ]

    def __str__(self) -> str:
        to = self.recipient_email if self.channel == Channel.EMAIL else str(self.recipient or "—")
        return f"{self.subject} → {to} ({self.get_channel_display()})"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
