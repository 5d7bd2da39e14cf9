"""Admin: templates are edited here, each save of changed content publishing a new version;
notifications are only looked at (a failed e-mail can be sent again)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ghiseu.core.errors import DomainError
from ghiseu.notifications.models import Notification, NotificationTemplate, Status
from ghiseu.notifications.services import (
    notification_retry,
    template_check_sources,
    template_publish,
    template_set_active,
)

CONTENT_FIELDS = ("subject", "body_text", "body_html")


class NotificationTemplateForm(forms.ModelForm):
    class Meta:
        model = NotificationTemplate
        fields = ["key", "language", "subject", "body_text", "body_html", "is_active"]
        widgets = {"subject": forms.TextInput(attrs={"size": 100})}

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        errors = template_check_sources(
            subject=cleaned.get("subject") or "",
            body_text=cleaned.get("body_text") or "",
            body_html=cleaned.get("body_html") or "",
        )
        for field, message in errors.items():
            if field not in self.errors:
                self.add_error(field, message)
        return cleaned


@admin.register(NotificationTemplate)
class NotificationTemplateAdmin(admin.ModelAdmin):
    form = NotificationTemplateForm
    list_display = ["key", "language", "version", "is_active", "created_at", "created_by"]
    list_filter = ["language", "is_active", "key"]
    search_fields = ["key", "subject", "body_text"]
    ordering = ["key", "language", "-version"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = ["version", "created_at", "created_by"]
        return ["key", "language", *fields] if obj is not None else fields

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # notifications point at their versions: deactivate instead

    def save_model(self, request: HttpRequest, obj: NotificationTemplate, form: Any, change: bool) -> None:
        """Never write over a version: changed content becomes the next version of the same key."""
        if change:
            stored = NotificationTemplate.objects.get(pk=obj.pk)
            content_changed = any(getattr(stored, name) != getattr(obj, name) for name in CONTENT_FIELDS)
            if not content_changed:
                if stored.is_active != obj.is_active:
                    template_set_active(template_id=stored.pk, is_active=obj.is_active, actor=request.user)
                return
        try:
            published = template_publish(
                key=obj.key,
                language=obj.language,
                subject=obj.subject,
                body_text=obj.body_text,
                body_html=obj.body_html,
                is_active=obj.is_active,
                actor=request.user,
            )
        except DomainError as exc:  # the form checked the same rules; a race is all that is left
            messages.error(request, str(exc))
            raise
        # The admin goes on with `obj` (its log entry, the redirect): let it be the new version.
        for name in ("pk", "version", "created_at", "created_by_id", "is_active"):
            setattr(obj, name, getattr(published, name))
        obj._state.adding = False
        if change:
            messages.info(
                request,
                _("Conținutul a fost salvat ca versiunea %(version)d; versiunile anterioare rămân neschimbate.")
                % {"version": published.version},
            )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "recipient", "recipient_email", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel", "language", "template__key"]
    search_fields = ["recipient_email", "recipient__username", "subject", "related_id"]
    list_select_related = ["recipient", "template"]
    date_hierarchy = "created_at"
    actions = ["retry_failed"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("notifications.change_notification"))

    @admin.action(description=_("Retrimite e-mailurile eșuate"), permissions=["retry"])
    def retry_failed(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        retried = 0
        for notification_id in queryset.filter(status=Status.FAILED, channel="email").values_list("pk", flat=True):
            notification_retry(notification_id=notification_id, actor=request.user)
            retried += 1
        self.message_user(request, _("%(count)d e-mailuri puse din nou la trimis.") % {"count": retried})
