"""The service catalogue (defined by administrators, without code) and the citizens' requests.

A Service says what the city hall issues, who may ask, what to attach, which fields to fill, the fee,
the legal deadline, the procedure that works it and the template of the document it issues. A
ServiceRequest is one citizen's request: a draft while they fill it in, then a registry entry with a
case worked through the service's procedure, until the act is issued.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ghiseu.accounts.models import Department
from ghiseu.core.calendar import CALENDAR, WORKING
from ghiseu.core.models import StoredFile
from ghiseu.core.text import fold

DEADLINE_KINDS = [(CALENDAR, _("zile calendaristice")), (WORKING, _("zile lucrătoare"))]


class LifeEvent(models.TextChoices):
    TAXES = "taxes", _("Taxe și impozite locale")
    BUILDING = "building", _("Construiesc sau renovez")
    CIVIL_STATUS = "civil_status", _("Stare civilă")
    AGRICULTURE = "agriculture", _("Teren și registrul agricol")
    BUSINESS = "business", _("Am o afacere")
    VEHICLES = "vehicles", _("Vehicule")
    CITY_HALL = "city_hall", _("Relația cu primăria")


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("persoane fizice")
    COMPANY = "company", _("persoane juridice")
    BOTH = "both", _("persoane fizice și juridice")


class Service(models.Model):
    code = models.SlugField(_("cod"), max_length=60, unique=True, help_text=_("Apare în adresa paginii."))
    name = models.CharField(_("denumire"), max_length=200)
    description = models.TextField(_("descriere"), blank=True)
    life_event = models.CharField(_("situație de viață"), max_length=20, choices=LifeEvent.choices)
    department = models.ForeignKey(
        Department, verbose_name=_("compartiment"), on_delete=models.PROTECT, related_name="services"
    )
    applicant_kind = models.CharField(
        _("cine poate solicita"), max_length=10, choices=ApplicantKind.choices, default=ApplicantKind.BOTH
    )
    legal_basis = models.CharField(_("temei legal"), max_length=300, blank=True)
    fee = models.DecimalField(
        _("taxă (lei)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("0 înseamnă gratuit. O cerere cu taxă intră în starea „plată datorată”."),
    )
    deadline_days = models.PositiveSmallIntegerField(
        _("termen legal (zile)"),
        null=True,
        blank=True,
        help_text=_("Gol: termenul tipului de document din registratură (30 de zile, OG 27/2002)."),
    )
    deadline_kind = models.CharField(_("tip termen"), max_length=10, choices=DEADLINE_KINDS, default=CALENDAR)
    file_code = models.ForeignKey(
        "accounts.NomenclatorEntry",
        verbose_name=_("indicativ dosar"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="services",
        help_text=_("Dosarul din nomenclatorul arhivistic în care se arhivează cererile soluționate."),
    )
    procedure = models.ForeignKey(
        "procedures.ProcedureDefinition",
        verbose_name=_("procedură"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    document_type = models.ForeignKey(
        "registry.DocumentType",
        verbose_name=_("tip de document în registratură"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Gol: „Cerere de serviciu public”."),
    )
    completion_stops_clock = models.BooleanField(_("completarea oprește termenul"), default=False)
    output_title = models.CharField(_("titlul actului emis"), max_length=200, blank=True)
    output_template = models.TextField(
        _("șablonul actului emis (HTML)"),
        blank=True,
        help_text=_(
            "Corpul documentului, în limbajul de șabloane Django. Variabile: number, date, applicant, "
            "values (câmpurile cererii), service, institution, due_date."
        ),
    )
    is_published = models.BooleanField(_("publicat"), default=False)
    order = models.PositiveSmallIntegerField(_("ordine"), default=0)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("serviciu")
        verbose_name_plural = _("servicii")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_text = fold(f"{self.name} {self.description} {self.legal_basis} {self.code}")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_free(self) -> bool:
        return self.fee <= 0


class ServiceDocument(models.Model):
    """A document the citizen attaches (a copy of the ID card, a plan, a contract...)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="documents")
    name = models.CharField(_("denumire"), max_length=200)
    description = models.TextField(_("descriere"), blank=True)
    required = models.BooleanField(_("obligatoriu"), default=True)
    order = models.PositiveSmallIntegerField(_("ordine"), default=0)

    class Meta:
        ordering = ["service", "order", "pk"]
        verbose_name = _("document de atașat")
        verbose_name_plural = _("documente de atașat")

    def __str__(self) -> str:
        return self.name


class FieldKind(models.TextChoices):
    TEXT = "text", _("text")
    NUMBER = "number", _("număr")
    DATE = "date", _("dată")
    CHOICE = "choice", _("alegere dintr-o listă")
    ADDRESS = "address", _("adresă")
    CADASTRAL = "cadastral", _("număr cadastral")
    FILE = "file", _("fișier")


class ServiceField(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="fields")
    label = models.CharField(_("etichetă"), max_length=200)
    name = models.SlugField(_("nume intern"), max_length=60, help_text=_("Litere mici, cifre și _; unic în serviciu."))
    kind = models.CharField(_("tip"), max_length=12, choices=FieldKind.choices, default=FieldKind.TEXT)
    required = models.BooleanField(_("obligatoriu"), default=True)
    choices = models.TextField(_("variante"), blank=True, help_text=_("Pentru „alegere”: câte o variantă pe rând."))
    regex = models.CharField(_("expresie de validare"), max_length=200, blank=True)
    min_value = models.DecimalField(_("minim"), max_digits=14, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(_("maxim"), max_digits=14, decimal_places=2, null=True, blank=True)
    help_text = models.CharField(_("ajutor"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("ordine"), default=0)

    class Meta:
        ordering = ["service", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["service", "name"], name="unique_field_name_per_service")]
        verbose_name = _("câmp al cererii")
        verbose_name_plural = _("câmpuri ale cererii")

    def __str__(self) -> str:
        return self.label

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class RequestState(models.TextChoices):
    DRAFT = "draft", _("ciornă")
    PAYMENT_DUE = "payment_due", _("plată datorată")
    SUBMITTED = "submitted", _("depusă, în lucru")
    ISSUED = "issued", _("emisă")
    CANCELLED = "cancelled", _("anulată")


class ServiceRequest(models.Model):
    service = models.ForeignKey(Service, verbose_name=_("serviciu"), on_delete=models.PROTECT, related_name="requests")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("solicitant"),
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    # The key carried by the form that started the request: the same key twice is the same request.
    idempotency_key = models.UUIDField(_("cheie de idempotență"), default=uuid.uuid4, editable=False)
    state = models.CharField(_("stare"), max_length=12, choices=RequestState.choices, default=RequestState.DRAFT)
    values = models.JSONField(_("date completate"), default=dict, blank=True)
    entry = models.OneToOneField(
        "registry.Entry",
        verbose_name=_("înregistrare"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_request",
    )
    case = models.OneToOneField(
        "procedures.Case",
        verbose_name=_("dosar"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_request",
    )
    due_date = models.DateField(_("termen legal"), null=True, blank=True)
    created_at = models.DateTimeField(_("creată la"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modificată la"), auto_now=True)
    submitted_at = models.DateTimeField(_("depusă la"), null=True, blank=True)
    issued_at = models.DateTimeField(_("emisă la"), null=True, blank=True)
    issued_entry = models.OneToOneField(
        "registry.Entry",
        verbose_name=_("actul emis (ieșire)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_request",
    )
    issued_file = models.ForeignKey(
        StoredFile, verbose_name=_("PDF emis"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["applicant", "idempotency_key"], name="one_request_per_key"),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(state="cancelled") | Q(entry__isnull=False),
                name="submitted_request_has_entry",
            ),
        ]
        verbose_name = _("cerere")
        verbose_name_plural = _("cereri")

    def __str__(self) -> str:
        number = self.entry.display_number if self.entry_id and self.entry else _("ciornă")
        return f"{self.service} — {number}"

    @property
    def number(self) -> str:
        return self.entry.display_number if self.entry_id and self.entry else ""


class RequestAttachment(models.Model):
    """A file given with a request, for one of the service's documents (or file fields)."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        ServiceDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    field = models.ForeignKey(ServiceField, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    label = models.CharField(_("document"), max_length=200)
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField(_("nume"), max_length=255)
    reused = models.BooleanField(_("dat într-o cerere anterioară"), default=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("fișier atașat cererii")
        verbose_name_plural = _("fișiere atașate cererilor")

    def __str__(self) -> str:
        return f"{self.label}: {self.original_name}"
