"""Admin of the petitions app: categories (with their Open311 questions) and Open311 clients are
configured here; petitions are only looked at (every change goes through the services, audited).

An Open311 client's key is shown once, when it is created or rotated; only its hash is kept.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ghiseu.audit.services import audit_record
from ghiseu.petitions.models import (
    CategoryAttribute,
    Open311Client,
    Petition,
    PetitionCategory,
    PetitionPhoto,
    new_open311_key,
)
from ghiseu.petitions.services import open311_client_issue_key


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CategoryAttributeInline(admin.TabularInline):
    model = CategoryAttribute
    extra = 0
    fields = ["order", "code", "description", "datatype", "required", "variable", "datatype_description", "values"]


@admin.register(PetitionCategory)
class PetitionCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "service_code", "department", "open311_type", "is_active", "order"]
    list_filter = ["is_active", "department", "open311_type"]
    list_editable = ["order"]
    search_fields = ["name", "code", "service_code", "keywords"]
    inlines = [CategoryAttributeInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # petitions refer to it: deactivate instead


@admin.register(Open311Client)
class Open311ClientAdmin(admin.ModelAdmin):
    list_display = ["name", "key_prefix", "is_active", "contact", "created_at", "last_used_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "contact"]
    fields = ["name", "contact", "is_active", "key_prefix", "created_at", "last_used_at"]
    readonly_fields = ["key_prefix", "created_at", "last_used_at"]
    actions = ["rotate_keys"]

    def save_model(self, request: HttpRequest, obj: Open311Client, form: Any, change: bool) -> None:
        key = None
        with transaction.atomic():
            if not change:
                key = new_open311_key()
                obj.set_key(key)
            super().save_model(request, obj, form, change)
            audit_record(
                actor=request.user,
                action="petitions.open311_client.changed" if change else "petitions.open311_client.created",
                obj=obj,
                summary={"name": obj.name, "is_active": obj.is_active, "key_prefix": obj.key_prefix},
            )
        if key is not None:
            messages.warning(
                request,
                _("Cheia API a aplicației „%(name)s” (se afișează o singură dată): %(key)s")
                % {"name": obj.name, "key": key},
            )

    @admin.action(description=gettext_lazy("Generează chei noi (cele vechi nu mai funcționează)"))
    def rotate_keys(self, request: HttpRequest, queryset: QuerySet[Open311Client]) -> None:
        for client in queryset:
            _client, key = open311_client_issue_key(name=client.name, actor=request.user)  # type: ignore[arg-type]
            messages.warning(
                request,
                _("Cheia API nouă a aplicației „%(name)s” (se afișează o singură dată): %(key)s")
                % {"name": client.name, "key": key},
            )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # petitions refer to it: deactivate instead


class PetitionPhotoInline(admin.TabularInline):
    model = PetitionPhoto
    fields = ["original_name", "width", "height", "is_public", "uploaded_at"]
    readonly_fields = ["original_name", "width", "height", "is_public", "uploaded_at"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Petition)
class PetitionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "status", "category", "due_date", "anonymous", "answered_on_time"]
    list_filter = ["kind", "status", "anonymous", "category", "petitioner_type", "answered_on_time"]
    search_fields = ["entry__tracking_code", "petitioner_name", "petitioner_email"]
    date_hierarchy = "term_start"
    list_select_related = ["entry", "category"]
    exclude = ["petitioner_key"]
    inlines = [PetitionPhotoInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
