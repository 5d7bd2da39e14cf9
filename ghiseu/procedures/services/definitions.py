"""Writes of procedure definitions: a new draft version (a copy of the last one) and publishing it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ghiseu.accounts.models import Role
from ghiseu.audit.services import audit_record
from ghiseu.core.errors import DomainError
from ghiseu.procedures.locks import lock_definition, lock_version
from ghiseu.procedures.models import (
    ProcedureDefinition,
    ProcedureVersion,
    StageDefinition,
    TaskDefinition,
    TaskKind,
)


def procedure_version_new_draft(
    *, definition: ProcedureDefinition, actor: Any = None, note: str = ""
) -> ProcedureVersion:
    """The draft to edit: the existing draft if there is one, else a copy of the last version.

    Editing a published version means editing this draft and publishing it; cases already running
    keep the version they started with.
    """
    with transaction.atomic():
        definition = lock_definition(definition.pk)
        draft = definition.versions.filter(is_published=False).order_by("-version").first()
        if draft is not None:
            return draft
        last = definition.versions.order_by("-version").first()
        draft = ProcedureVersion.objects.create(
            definition=definition, version=(last.version + 1) if last else 1, note=note.strip()[:300]
        )
        if last is not None:
            for stage in last.stages.prefetch_related("tasks").order_by("order"):
                copy = StageDefinition.objects.create(version=draft, order=stage.order, name=stage.name)
                TaskDefinition.objects.bulk_create(
                    [
                        TaskDefinition(
                            stage=copy,
                            order=task.order,
                            kind=task.kind,
                            name=task.name,
                            department_id=task.department_id,
                            role=task.role,
                            deadline_days=task.deadline_days,
                            deadline_kind=task.deadline_kind,
                            required=task.required,
                        )
                        for task in stage.tasks.all()
                    ]
                )
        audit_record(
            actor=actor,
            action="procedures.version.drafted",
            obj=draft,
            summary={"procedure": definition.code, "version": draft.version, "copied_from": last.pk if last else None},
        )
    return draft


def procedure_version_problems(version: ProcedureVersion) -> list[str]:
    """What keeps a version from being published (empty when it can be)."""
    problems: list[str] = []
    stages = list(version.stages.prefetch_related("tasks__department").order_by("order"))
    if not stages:
        problems.append(_("Procedura nu are nicio etapă."))
    for stage in stages:
        tasks = list(stage.tasks.all())
        if not tasks:
            problems.append(_("Etapa „%(stage)s” nu are nicio sarcină.") % {"stage": stage.name})
        elif not any(t.required for t in tasks):
            problems.append(_("Etapa „%(stage)s” nu are nicio sarcină obligatorie.") % {"stage": stage.name})
        for task in tasks:
            if task.role == Role.CITIZEN and task.kind != TaskKind.COMPLETION:
                problems.append(_("Sarcina „%(task)s” nu poate fi a petentului.") % {"task": task.name})
            if task.department is not None and not task.department.is_active:
                problems.append(
                    _("Compartimentul sarcinii „%(task)s” nu mai este activ.") % {"task": task.name},
                )
    return problems


def procedure_version_publish(*, version: ProcedureVersion, actor: Any = None) -> ProcedureVersion:
    """Publish a draft: from now on it is immutable, and new cases start with it."""
    with transaction.atomic():
        lock_definition(version.definition_id)
        version = lock_version(version.pk)
        if version.is_published:
            raise DomainError(_("Versiunea este deja publicată."), code="published")
        problems = procedure_version_problems(version)
        if problems:
            raise DomainError(" ".join(problems), code="incomplete")
        version.is_published = True
        version.published_at = timezone.now()
        version.save(update_fields=["is_published", "published_at"])
        audit_record(
            actor=actor,
            action="procedures.version.published",
            obj=version,
            summary={"procedure": version.definition.code, "version": version.version},
        )
    return version
