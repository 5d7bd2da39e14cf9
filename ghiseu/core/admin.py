from django.contrib import admin

from ghiseu.core.models import ExtraDayOff


@admin.register(ExtraDayOff)
class ExtraDayOffAdmin(admin.ModelAdmin):
    list_display = ["date", "reason"]
