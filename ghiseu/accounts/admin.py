from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from ghiseu.accounts.models import (
    ApiToken,
    CitizenProfile,
    Company,
    CompanyRepresentative,
    Department,
    NomenclatorEntry,
    User,
)


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


# The admin's own login would skip allauth's second factor: it goes through allauth's login instead.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]


class RepresentativeInline(admin.TabularInline):
    model = CompanyRepresentative
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "cui", "trade_register_number"]
    search_fields = ["name", "cui"]
    inlines = [RepresentativeInline]


@admin.register(CitizenProfile)
class CitizenProfileAdmin(admin.ModelAdmin):
    """The CNP is never listed, searched or shown whole here: only its masked form."""

    list_display = ["user", "address", "phone", "cnp_masked"]
    search_fields = ["user__username", "user__email", "user__last_name"]
    readonly_fields = ["cnp_masked", "updated_at"]
    fields = ["user", "address", "phone", "cnp_masked", "updated_at"]
    raw_id_fields = ["user"]

    @admin.display(description=_("CNP"))
    def cnp_masked(self, obj: CitizenProfile) -> str:
        return obj.cnp_masked
