"""The registry (Registratura): registers, gap-free numbers, entries, attachments, routing.

National Archives instructions (Instrucțiunile privind activitatea de arhivă, art. 9): one
general register of entries and exits, numbers restarting on 1 January, each entry with
the sender's number and date, pages and annexes, sender, summary, department, date sent,
resolution, recipient, linked number and file code from the nomenclator.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ghiseu.accounts.models import Department, NomenclatorEntry
from ghiseu.core.calendar import CALENDAR, WORKING
from ghiseu.core.models import StoredFile


class Register(models.Model):
    """The general register (no department) or a department's own register."""

    code = models.CharField(_("cod"), max_length=20, unique=True)
    name = models.CharField(_("denumire"), max_length=200)
    department = models.ForeignKey(
        Department, verbose_name=_("compartiment"), null=True, blank=True, on_delete=models.PROTECT
    )
    is_general = models.BooleanField(_("registrul general"), default=False)

    class Meta:
        ordering = ["-is_general", "name"]
        constraints = [
            models.UniqueConstraint(fields=["is_general"], condition=Q(is_general=True), name="one_general_register")
        ]
        verbose_name = _("registru")
        verbose_name_plural = _("registre")

    def __str__(self) -> str:
        return self.name


class RegisterCounter(models.Model):
    """The last number given in a register in a calendar year; locked to take the next one."""

    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="counters")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["register", "year"], name="one_counter_per_register_year")]

    def __str__(self) -> str:
        return f"{self.register_id}/{self.year}: {self.last_number}"


class DocumentType(models.Model):
    """A kind of document, with the rule that gives its legal deadline (a setting, not code)."""

    DEADLINE_KINDS = [(CALENDAR, _("zile calendaristice")), (WORKING, _("zile lucrătoare"))]

    code = models.SlugField(_("cod"), max_length=40, unique=True)
    name = models.CharField(_("denumire"), max_length=200)
    deadline_days = models.PositiveSmallIntegerField(_("termen (zile)"), null=True, blank=True)
    deadline_kind = models.CharField(_("tip termen"), max_length=10, choices=DEADLINE_KINDS, default=CALENDAR)
    legal_basis = models.CharField(_("temei legal"), max_length=200, blank=True)
    is_active = models.BooleanField(_("activ"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tip de document")
        verbose_name_plural = _("tipuri de document")

    def __str__(self) -> str:
        return self.name


class Direction(models.TextChoices):
    INCOMING = "incoming", _("intrare")
    OUTGOING = "outgoing", _("ieșire")
    INTERNAL = "internal", _("intern")


class Channel(models.TextChoices):
    COUNTER = "counter", _("ghișeu")
    PORTAL = "portal", _("portal")
    EMAIL = "email", _("e-mail")
    POST = "post", _("poștă")
    COURIER = "courier", _("curier")
    FAX = "fax", _("fax")
    API = "api", _("API")


class Status(models.TextChoices):
    REGISTERED = "registered", _("înregistrat")
    ASSIGNED = "assigned", _("repartizat")
    IN_PROGRESS = "in_progress", _("în lucru")
    CLOSED = "closed", _("soluționat")


class Entry(models.Model):
    # Indexes are few and mostly partial: every one is written inside the registration's locked
    # window (locks.insert_entry). register and department lead composite indexes below; the
    # foreign keys that are usually empty are indexed only where they are set.
    register = models.ForeignKey(
        Register, verbose_name=_("registru"), on_delete=models.PROTECT, related_name="entries", db_index=False
    )
    year = models.PositiveSmallIntegerField(_("an"))
    number = models.PositiveIntegerField(_("număr"))
    registered_at = models.DateTimeField(_("înregistrat la"), db_index=True)
    direction = models.CharField(_("sens"), max_length=10, choices=Direction.choices)
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices)
    document_type = models.ForeignKey(DocumentType, verbose_name=_("tip document"), on_delete=models.PROTECT)

    # Who sent it and what it is.
    sender = models.CharField(_("emitent"), max_length=300)
    sender_address = models.CharField(_("adresa emitentului"), max_length=300, blank=True)
    sender_email = models.EmailField(_("e-mailul emitentului"), blank=True)
    sender_reference = models.CharField(_("numărul emitentului"), max_length=60, blank=True)
    sender_date = models.DateField(_("data documentului emitentului"), null=True, blank=True)
    subject = models.CharField(_("conținut pe scurt"), max_length=500)
    pages = models.PositiveIntegerField(_("număr de file"), default=1)
    annexes = models.PositiveIntegerField(_("număr de anexe"), default=0)
    file_code = models.ForeignKey(
        NomenclatorEntry,
        verbose_name=_("indicativ dosar"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,
    )

    # Where it went and how it ended.
    department = models.ForeignKey(
        Department,
        verbose_name=_("compartiment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
        db_index=False,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsabil"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_entries",
        db_index=False,
    )
    resolution = models.TextField(_("rezoluție"), blank=True)
    status = models.CharField(_("stare"), max_length=12, choices=Status.choices, default=Status.REGISTERED)
    due_date = models.DateField(_("termen"), null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(_("soluționat la"), null=True, blank=True)
    outcome = models.TextField(_("mod de soluționare"), blank=True)
    recipient = models.CharField(_("destinatar"), max_length=300, blank=True)
    sent_at = models.DateField(_("data expedierii"), null=True, blank=True)

    # Links: a reply carries the number of the entry it answers; documents on one matter link to the first.
    answers = models.ForeignKey(
        "self",
        verbose_name=_("răspuns la"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replies",
        db_index=False,
    )
    linked_to = models.ForeignKey(
        "self",
        verbose_name=_("conexat la"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="linked",
        db_index=False,
    )

    # Unique by a constraint, not `unique=True`, which on PostgreSQL adds a second (LIKE) index.
    tracking_code = models.CharField(_("cod de urmărire"), max_length=12)
    search_text = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="registered_entries"
    )

    class Meta:
        ordering = ["-registered_at", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["register", "year", "number"],
                condition=Q(answers__isnull=True),
                name="unique_number_per_register_year",
            ),
            models.UniqueConstraint(fields=["tracking_code"], name="unique_tracking_code"),
        ]
        indexes = [
            # Finding "1234/2026" (number, year; any register, replies too): the unique constraint
            # above leads with the register and leaves replies out.
            models.Index(fields=["number", "year"], name="entry_number_year"),
            models.Index(fields=["department", "status"]),
            *(
                models.Index(fields=[name], condition=Q(**{f"{name}__isnull": False}), name=f"entry_{name}_set")
                for name in ("answers", "linked_to", "assignee", "file_code")
            ),
        ]
        verbose_name = _("înregistrare")
        verbose_name_plural = _("înregistrări")

    def __str__(self) -> str:
        return self.display_number

    @property
    def registered_on(self) -> dt.date:
        return timezone.localdate(self.registered_at)

    @property
    def display_number(self) -> str:
        """`1234/28.11.2026`: the number and the date of the original registration."""
        origin = self.answers if self.answers_id else self
        assert origin is not None
        return self.format_number(origin.number, origin.registered_on)

    @staticmethod
    def format_number(number: int | str, registered_on: dt.date) -> str:
        return f"{number}/{registered_on:%d.%m.%Y}"

    @property
    def is_reply(self) -> bool:
        return self.answers_id is not None

    def is_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status != Status.CLOSED and self.due_date is not None and self.due_date < today


class Attachment(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="attachments")
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField(_("nume"), max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("atașament")
        verbose_name_plural = _("atașamente")

    def __str__(self) -> str:
        return self.original_name


class Assignment(models.Model):
    """One routing step: to a department (and optionally a person) with a resolution text."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="assignments")
    department = models.ForeignKey(Department, on_delete=models.PROTECT)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolution = models.TextField(blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["assigned_at", "pk"]

    def __str__(self) -> str:
        return f"{self.entry_id} → {self.department_id}"
