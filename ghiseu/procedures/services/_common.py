"""Helpers shared by the procedure services: cleaned text and the events of one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from ghiseu.audit.services import Change, audit_record_many


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
