from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExtraDayOff(models.Model):
    """A day off declared by the government (or the council) beyond the legal holidays."""

    date = models.DateField(_("data"), unique=True)
    reason = models.CharField(_("motiv"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("zi liberă suplimentară")
        verbose_name_plural = _("zile libere suplimentare")

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.reason}".strip()


class StoredFile(models.Model):
    """A file kept unaltered, addressed by the SHA-256 of its bytes (one row per content)."""

    sha256 = models.CharField(max_length=64, unique=True)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=120)
    storage_name = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("fișier stocat")
        verbose_name_plural = _("fișiere stocate")

    def __str__(self) -> str:
        return f"{self.sha256[:12]} ({self.content_type}, {self.size} B)"
