from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from ghiseu.accounts.models import ApiToken, Department, NomenclatorEntry, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "department", "is_active"]
    list_filter = ["role", "department", "is_active"]
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), (_("Organizație"), {"fields": ("role", "department", "job_title")}))


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parent", "is_active"]
    search_fields = ["code", "name"]


@admin.register(NomenclatorEntry)
class NomenclatorEntryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "department", "retention_years", "is_active"]
    list_filter = ["department", "is_active"]
    search_fields = ["code", "name"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "last_used_at"]
    readonly_fields = ["key", "created_at", "last_used_at"]
