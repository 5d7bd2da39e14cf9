"""The ledger of what the index holds: one row per indexed document, kept by the outbox task
in the same step as the index, so `search_check` can compare the index, this table and the
apps' own data (the source of truth)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndexedDocument(models.Model):
    key = models.CharField(_("cheie"), max_length=200, unique=True)  # kind:id[:page]
    kind = models.CharField(_("tip"), max_length=40)
    object_id = models.CharField(_("obiect"), max_length=64)
    page = models.PositiveIntegerField(_("pagina"), null=True, blank=True)
    sha256 = models.CharField(_("amprenta conținutului"), max_length=64)
    updated_at = models.DateTimeField(_("indexat la"))

    class Meta:
        ordering = ["key"]
        indexes = [models.Index(fields=["kind", "object_id"], name="search_indexed_kind_object")]
        verbose_name = _("document indexat")
        verbose_name_plural = _("documente indexate")

    def __str__(self) -> str:
        return self.key
