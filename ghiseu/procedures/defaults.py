"""Standard procedures every deployment starts with, published as version 1.

Administrators change them afterwards (a new draft version in the admin); this only creates the
procedures that have no version yet and never overwrites. Departments are named by code through a
mapping (logical name → department code), so no database id is written here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from django.db import transaction
from django.utils.translation import gettext as _

from ghiseu.accounts.models import Department, Role
from ghiseu.core.calendar import CALENDAR, WORKING
from ghiseu.core.errors import DomainError
from ghiseu.procedures.models import (
    ProcedureDefinition,
    ProcedureVersion,
    StageDefinition,
    TaskDefinition,
    TaskKind,
)
from ghiseu.procedures.services import procedure_version_publish

# Logical department → its code in the organigram (override any of them when calling).
DEFAULT_DEPARTMENT_CODES: dict[str, str] = {"taxes": "TAX", "urbanism": "URB", "legal": "JUR"}


class TaskSpec(NamedTuple):
    kind: str
    name: str
    department: str | None  # a key of the department mapping; None: the case's department (or institution-wide)
    role: str
    days: int
    deadline_kind: str = WORKING
    required: bool = True


class ProcedureSpec(NamedTuple):
    code: str
    name: str
    description: str
    stages: list[tuple[str, list[TaskSpec]]]


STANDARD_PROCEDURES: list[ProcedureSpec] = [
    ProcedureSpec(
        "certificat-atestare-fiscala",
        "Certificat de atestare fiscală",
        "Legea 207/2015 (Codul de procedură fiscală), art. 159: eliberat în 2 zile lucrătoare.",
        [
            (
                "Verificarea situației fiscale",
                [
                    TaskSpec(
                        TaskKind.EXECUTE,
                        "Verificarea obligațiilor și întocmirea certificatului",
                        "taxes",
                        Role.OFFICER,
                        1,
                    )
                ],
            ),
            ("Aprobare", [TaskSpec(TaskKind.APPROVE, "Aprobarea șefului de compartiment", "taxes", Role.HEAD, 1)]),
            ("Semnare", [TaskSpec(TaskKind.SIGN, "Semnătura primarului", None, Role.MAYOR, 1)]),
        ],
    ),
    ProcedureSpec(
        "certificat-urbanism",
        "Certificat de urbanism",
        "Legea 50/1991, art. 6^1: eliberat în 15 zile de la înregistrarea cererii.",
        [
            (
                "Analiza documentației",
                [
                    TaskSpec(
                        TaskKind.EXECUTE, "Analiza cererii și redactarea certificatului", "urbanism", Role.OFFICER, 5
                    )
                ],
            ),
            ("Avizare juridică", [TaskSpec(TaskKind.OPINION, "Avizul compartimentului juridic", "legal", "", 2)]),
            ("Aprobare", [TaskSpec(TaskKind.APPROVE, "Aprobarea arhitectului-șef", "urbanism", Role.HEAD, 2)]),
            (
                "Semnare",
                [
                    TaskSpec(TaskKind.SIGN, "Semnătura primarului", None, Role.MAYOR, 2),
                    TaskSpec(TaskKind.SIGN, "Semnătura secretarului general", None, Role.SECRETARY, 2),
                ],
            ),
        ],
    ),
    ProcedureSpec(
        "adeverinta-simpla",
        "Adeverință",
        "Adeverință eliberată de compartimentul care deține evidența.",
        [
            (
                "Întocmire",
                [TaskSpec(TaskKind.EXECUTE, "Verificarea evidenței și întocmirea adeverinței", None, Role.OFFICER, 2)],
            ),
            ("Semnare", [TaskSpec(TaskKind.SIGN, "Semnătura șefului de compartiment", None, Role.HEAD, 1)]),
        ],
    ),
    ProcedureSpec(
        "petitie",
        "Petiție",
        "OG 27/2002: răspuns în 30 de zile de la înregistrare (prelungire cu cel mult 15 zile).",
        [
            (
                "Analiză și proiect de răspuns",
                [
                    TaskSpec(
                        TaskKind.EXECUTE, "Analiza petiției și proiectul de răspuns", None, Role.OFFICER, 20, CALENDAR
                    )
                ],
            ),
            ("Aprobarea răspunsului", [TaskSpec(TaskKind.APPROVE, "Aprobarea răspunsului", None, Role.HEAD, 3)]),
            (
                "Comunicarea răspunsului",
                [TaskSpec(TaskKind.INFORM, "Comunicarea răspunsului către petent", None, Role.OFFICER, 2)],
            ),
        ],
    ),
]


def _departments_for(spec: ProcedureSpec, codes: Mapping[str, str]) -> dict[str, Department]:
    keys = {t.department for _name, tasks in spec.stages for t in tasks if t.department is not None}
    unknown = sorted(k for k in keys if k not in codes)
    if unknown:
        raise DomainError(_("Lipsește codul compartimentului pentru: %(keys)s.") % {"keys": ", ".join(unknown)})
    found = {d.code: d for d in Department.objects.filter(code__in=[codes[k] for k in keys])}
    missing = sorted(codes[k] for k in keys if codes[k] not in found)
    if missing:
        raise DomainError(
            _("Procedura „%(procedure)s” are nevoie de compartimentele: %(codes)s.")
            % {"procedure": spec.code, "codes": ", ".join(missing)}
        )
    return {k: found[codes[k]] for k in keys}


def ensure_standard_procedures(
    *, departments: Mapping[str, str] | None = None, actor: Any = None
) -> list[ProcedureVersion]:
    """Create and publish version 1 of each standard procedure that has no version yet.

    `departments` maps the logical names used above ("taxes", "urbanism", "legal") to department
    codes; missing names fall back to DEFAULT_DEPARTMENT_CODES. Returns the versions created.
    """
    codes = {**DEFAULT_DEPARTMENT_CODES, **(departments or {})}
    created: list[ProcedureVersion] = []
    for spec in STANDARD_PROCEDURES:
        with transaction.atomic():
            definition, _new = ProcedureDefinition.objects.get_or_create(
                code=spec.code, defaults={"name": spec.name, "description": spec.description}
            )
            if definition.versions.exists():
                continue
            resolved = _departments_for(spec, codes)
            version = ProcedureVersion.objects.create(
                definition=definition, version=1, note=str(_("Versiunea inițială"))
            )
            for order, (stage_name, tasks) in enumerate(spec.stages, start=1):
                stage = StageDefinition.objects.create(version=version, order=order, name=stage_name)
                for position, t in enumerate(tasks):
                    TaskDefinition.objects.create(
                        stage=stage,
                        order=position,
                        kind=t.kind,
                        name=t.name,
                        department=resolved[t.department] if t.department is not None else None,
                        role=t.role,
                        deadline_days=t.days,
                        deadline_kind=t.deadline_kind,
                        required=t.required,
                    )
            created.append(procedure_version_publish(version=version, actor=actor))
    return created
