"""The append-only, hash-chained audit log.

Each event stores the hash of its predecessor and its own position; `audit_verify`
recomputes the chain and names the first event that was changed, inserted or removed.
The head row holds the last position and hash, so removing events at the end is seen too.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    position = models.PositiveBigIntegerField(unique=True)
    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=80)  # indexed in Meta: no second (LIKE) index to write
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=64)
    summary = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["position"]
        indexes = [models.Index(fields=["object_type", "object_id"]), models.Index(fields=["action"])]
        verbose_name = _("eveniment de audit")
        verbose_name_plural = _("jurnal de audit")

    def __str__(self) -> str:
        return f"#{self.position} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise RuntimeError("audit events are append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise RuntimeError("audit events are append-only")


class AuditHead(models.Model):
    """One row: the chain's last position and hash. Locked to append (always the last lock taken)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    position = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
    # The last event's prev_hash: a statement that moves the head can return it (UPDATE ...
    # RETURNING gives only new values) for the event it inserts (services.audit_append_sql).
    prev_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit head #{self.position}"
