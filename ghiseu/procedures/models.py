"""Procedures: versioned definitions of ordered stages and their tasks, and the cases worked through them.

A procedure (ProcedureDefinition) has versions; a version is a draft until it is published and
immutable afterwards, so a running case always follows the version it started with. A version holds
ordered stages; a stage holds tasks of standard kinds, each with a responsible department and/or role
and its own deadline. Tasks of one stage run in parallel; the next stage opens when the required tasks
of the current one are all finished.

A Case is one request (a registry entry) worked through one version. Its tasks (CaseTask) are all
created when the case starts: the first stage's open, the others pending until their stage opens.
Every change of state goes through `ghiseu.procedures.services`, which writes the audit event.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ghiseu.accounts.models import Department, Role
from ghiseu.core.calendar import CALENDAR, WORKING
from ghiseu.core.errors import DomainError

DEADLINE_KINDS = [(CALENDAR, _("zile calendaristice")), (WORKING, _("zile lucrătoare"))]

# Roles that answer for the whole institution, not for one department: a task given to one of them
# without a department is theirs wherever the case is (the mayor signs for every department).
INSTITUTION_ROLES = frozenset({Role.MAYOR, Role.SECRETARY})


class TaskKind(models.TextChoices):
    EXECUTE = "execute", _("execuție")
    OPINION = "opinion", _("avizare")
    APPROVE = "approve", _("aprobare")
    SIGN = "sign", _("semnare")
    INFORM = "inform", _("informare")
    COMPLETION = "completion", _("completare de către petent")


# Kinds whose task ends with a decision (favourable or not); the others end with "ok".
DECISION_KINDS = frozenset({TaskKind.OPINION, TaskKind.APPROVE, TaskKind.SIGN})
# Kinds whose refusal rejects the whole case.
GATE_KINDS = frozenset({TaskKind.APPROVE, TaskKind.SIGN})


class ProcedureDefinition(models.Model):
    code = models.SlugField(_("cod"), max_length=60, unique=True)
    name = models.CharField(_("denumire"), max_length=200)
    description = models.TextField(_("descriere"), blank=True)
    is_active = models.BooleanField(_("activă"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("procedură")
        verbose_name_plural = _("proceduri")

    def __str__(self) -> str:
        return self.name

    def current_version(self) -> ProcedureVersion | None:
        """The latest published version: the one new cases start with."""
        return self.versions.filter(is_published=True).order_by("-version").first()


class ProcedureVersion(models.Model):
    """One version of a procedure. Published means immutable: edit a new draft instead."""

    definition = models.ForeignKey(
        ProcedureDefinition, verbose_name=_("procedură"), on_delete=models.PROTECT, related_name="versions"
    )
    version = models.PositiveIntegerField(_("versiune"))
    is_published = models.BooleanField(_("publicată"), default=False)
    created_at = models.DateTimeField(_("creată la"), default=timezone.now)
    published_at = models.DateTimeField(_("publicată la"), null=True, blank=True)
    note = models.CharField(_("ce s-a schimbat"), max_length=300, blank=True)

    class Meta:
        ordering = ["definition", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["definition", "version"], name="one_number_per_procedure_version")
        ]
        verbose_name = _("versiune de procedură")
        verbose_name_plural = _("versiuni de procedură")

    def __str__(self) -> str:
        state = _("publicată") if self.is_published else _("ciornă")
        return f"{self.definition} v{self.version} ({state})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding and _version_is_published(self.pk):
            raise DomainError(_("O versiune publicată nu se mai modifică; creați o versiune nouă."), code="immutable")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if _version_is_published(self.pk):
            raise DomainError(_("O versiune publicată nu se șterge."), code="immutable")
        return super().delete(*args, **kwargs)


def _version_is_published(version_id: int | None) -> bool:
    if version_id is None:
        return False
    return ProcedureVersion.objects.filter(pk=version_id, is_published=True).exists()


def _refuse_if_published(*version_ids: int | None) -> None:
    if any(_version_is_published(pk) for pk in version_ids):
        raise DomainError(_("O versiune publicată nu se mai modifică; creați o versiune nouă."), code="immutable")


class StageDefinition(models.Model):
    version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("versiune"), on_delete=models.CASCADE, related_name="stages"
    )
    order = models.PositiveSmallIntegerField(_("ordine"))
    name = models.CharField(_("denumire"), max_length=200)

    class Meta:
        ordering = ["version", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "order"], name="one_stage_per_order")]
        verbose_name = _("etapă")
        verbose_name_plural = _("etape")

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        stored = None if self._state.adding else StageDefinition.objects.filter(pk=self.pk).first()
        _refuse_if_published(self.version_id, stored.version_id if stored else None)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        _refuse_if_published(self.version_id)
        return super().delete(*args, **kwargs)


class TaskDefinition(models.Model):
    """A task of a stage. Who answers for it:

    - department set: that department (and, if a role is set, only that role in it);
    - no department, role mayor or secretary general: that role, for the whole institution;
    - no department otherwise: the case's department (with the role, if set).
    A head of department may also do the tasks of the officers of the department.
    """

    stage = models.ForeignKey(StageDefinition, verbose_name=_("etapă"), on_delete=models.CASCADE, related_name="tasks")
    order = models.PositiveSmallIntegerField(_("ordine în etapă"), default=0)
    kind = models.CharField(_("tip"), max_length=12, choices=TaskKind.choices)
    name = models.CharField(_("denumire"), max_length=200)
    department = models.ForeignKey(
        Department,
        verbose_name=_("compartiment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Gol: compartimentul dosarului (sau toată instituția pentru primar și secretarul general)."),
    )
    role = models.CharField(
        _("rol"), max_length=20, choices=Role.choices, blank=True, help_text=_("Gol: orice funcționar.")
    )
    deadline_days = models.PositiveSmallIntegerField(_("termen (zile)"), default=5)
    deadline_kind = models.CharField(_("tip termen"), max_length=10, choices=DEADLINE_KINDS, default=WORKING)
    required = models.BooleanField(
        _("obligatorie"),
        default=True,
        help_text=_(
            "O sarcină facultativă nu oprește trecerea la etapa următoare (se anulează dacă a rămas deschisă)."
        ),
    )

    class Meta:
        ordering = ["stage", "order", "pk"]
        verbose_name = _("sarcină")
        verbose_name_plural = _("sarcini")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        stored = None if self._state.adding else TaskDefinition.objects.filter(pk=self.pk).first()
        _refuse_if_published(
            StageDefinition.objects.filter(pk=self.stage_id).values_list("version_id", flat=True).first(),
            stored.stage.version_id if stored else None,
        )
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        _refuse_if_published(self.stage.version_id)
        return super().delete(*args, **kwargs)

    def clean(self) -> None:
        if self.role == Role.CITIZEN and self.kind != TaskKind.COMPLETION:
            raise DomainError(_("Doar completarea este sarcina petentului."), field="role")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("în lucru")
    WAITING_CITIZEN = "waiting_citizen", _("așteaptă completarea")
    APPROVED = "approved", _("aprobat")
    REJECTED = "rejected", _("respins")
    SIGNED = "signed", _("semnat")
    ISSUED = "issued", _("emis")
    CLOSED = "closed", _("închis")
    CANCELLED = "cancelled", _("anulat")


# Cases in which work goes on (tasks may be open).
ACTIVE_CASE_STATUSES = frozenset(
    {CaseStatus.OPEN, CaseStatus.WAITING_CITIZEN, CaseStatus.APPROVED, CaseStatus.SIGNED, CaseStatus.ISSUED}
)


class CaseOutcome(models.TextChoices):
    APPROVED = "approved", _("admis")
    REJECTED = "rejected", _("respins")


class Case(models.Model):
    version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("versiunea procedurii"), on_delete=models.PROTECT, related_name="cases"
    )
    entry = models.OneToOneField(
        "registry.Entry",
        verbose_name=_("înregistrare"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case",
    )
    department = models.ForeignKey(
        Department, verbose_name=_("compartiment"), on_delete=models.PROTECT, related_name="cases"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("petent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    subject = models.CharField(
        _("ce se solicită"),
        max_length=200,
        blank=True,
        help_text=_("De exemplu serviciul cerut („Certificat de urbanism”); după el se numără dosarele."),
    )
    status = models.CharField(_("stare"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    outcome = models.CharField(_("soluție"), max_length=10, choices=CaseOutcome.choices, blank=True)
    current_stage = models.PositiveSmallIntegerField(
        _("etapa curentă"), null=True, blank=True, help_text=_("Gol când nu mai este nicio etapă deschisă.")
    )
    opened_at = models.DateTimeField(_("deschis la"), default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(_("termen legal"), null=True, blank=True, db_index=True)
    completion_stops_clock = models.BooleanField(_("completarea oprește termenul"), default=False)
    clock_paused_at = models.DateTimeField(_("termen oprit la"), null=True, blank=True)
    paused_days = models.PositiveIntegerField(_("zile de oprire a termenului"), default=0)
    resume_status = models.CharField(max_length=16, choices=CaseStatus.choices, blank=True, editable=False)
    work_completed_at = models.DateTimeField(_("etape încheiate la"), null=True, blank=True)
    issued_at = models.DateTimeField(_("emis la"), null=True, blank=True)
    closed_at = models.DateTimeField(_("închis la"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["department", "status"])]
        verbose_name = _("dosar")
        verbose_name_plural = _("dosare")

    def __str__(self) -> str:
        number = self.entry.display_number if self.entry_id and self.entry else f"#{self.pk}"
        return f"{number} — {self.version.definition}"

    @property
    def number(self) -> str:
        return self.entry.display_number if self.entry_id and self.entry else f"#{self.pk}"

    @property
    def is_clock_paused(self) -> bool:
        return self.clock_paused_at is not None

    def is_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.status in ACTIVE_CASE_STATUSES
            and self.status != CaseStatus.ISSUED
            and not self.is_clock_paused
            and self.due_date is not None
            and self.due_date < today
        )


class TaskStatus(models.TextChoices):
    PENDING = "pending", _("în așteptare")
    OPEN = "open", _("deschisă")
    DONE = "done", _("îndeplinită")
    REJECTED = "rejected", _("respinsă")
    CANCELLED = "cancelled", _("anulată")


FINISHED_TASK_STATUSES = frozenset({TaskStatus.DONE, TaskStatus.REJECTED, TaskStatus.CANCELLED})


class TaskOutcome(models.TextChoices):
    APPROVED = "approved", _("favorabil")
    REJECTED = "rejected", _("nefavorabil")
    OK = "ok", _("îndeplinit")


class CaseTask(models.Model):
    case = models.ForeignKey(Case, verbose_name=_("dosar"), on_delete=models.CASCADE, related_name="tasks")
    definition = models.ForeignKey(
        TaskDefinition,
        verbose_name=_("definiție"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case_tasks",
        help_text=_("Gol pentru o completare cerută petentului în timpul lucrului."),
    )
    stage_order = models.PositiveSmallIntegerField(_("etapa"))
    kind = models.CharField(_("tip"), max_length=12, choices=TaskKind.choices)
    name = models.CharField(_("denumire"), max_length=200)
    department = models.ForeignKey(
        Department, verbose_name=_("compartiment"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices, blank=True)
    required = models.BooleanField(_("obligatorie"), default=True)
    deadline_days = models.PositiveSmallIntegerField(_("termen (zile)"), null=True, blank=True)
    deadline_kind = models.CharField(_("tip termen"), max_length=10, choices=DEADLINE_KINDS, default=WORKING)
    instructions = models.TextField(_("ce se cere"), blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsabil"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case_tasks",
    )
    status = models.CharField(_("stare"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.PENDING)
    due_date = models.DateField(_("termen"), null=True, blank=True)
    opened_at = models.DateTimeField(_("deschisă la"), null=True, blank=True)
    completed_at = models.DateTimeField(_("încheiată la"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("încheiată de"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.CharField(_("rezultat"), max_length=10, choices=TaskOutcome.choices, blank=True)
    comment = models.TextField(_("observații"), blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("nivel de escaladare"), default=0)
    escalated_at = models.DateTimeField(_("escaladată la"), null=True, blank=True)

    class Meta:
        ordering = ["case", "stage_order", "pk"]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["department", "status"]),
            models.Index(fields=["assignee", "status"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(escalation_level__lte=2), name="escalation_level_at_most_2"),
        ]
        verbose_name = _("sarcină din dosar")
        verbose_name_plural = _("sarcini din dosare")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_TASK_STATUSES

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """Open past its due date, while the case's legal clock runs (a stopped clock moves the date later)."""
        today = today or timezone.localdate()
        return (
            self.status == TaskStatus.OPEN
            and self.due_date is not None
            and self.due_date < today
            and not self.case.is_clock_paused
        )
