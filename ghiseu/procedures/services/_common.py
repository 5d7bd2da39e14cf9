"""Helpers shared by the procedure services: cleaned text and the events of one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from ghiseu.audit.services import Change, audit_record_many
from ghiseu.core.errors import DomainError
from ghiseu.core.text import normalize_romanian


def clean_text(value: str | None, *, field: str, label: str | Promise, required: bool, max_length: int = 4000) -> str:
    text = normalize_romanian((value or "").strip())
    if required and not text:
        raise DomainError(_("Completați câmpul „%(label)s”.") % {"label": label}, field=field, code="required")
    if len(text) > max_length:
        raise DomainError(
            _("Câmpul „%(label)s” are cel mult %(max)d caractere.") % {"label": label, "max": max_length},
            field=field,
        )
    return text


@dataclass
class Events:
    """The audit events of one transaction, written together at its end (the audit head is locked last)."""

    actor: Any
    changes: list[Change] = field(default_factory=list)

    def add(self, action: str, obj: models.Model, **summary: Any) -> None:
        self.changes.append(Change(actor=self.actor, action=action, obj=obj, summary=summary))

    def write(self, when: dt.datetime) -> None:
        if self.changes:
            audit_record_many(self.changes, occurred_at=when)
        self.changes = []
