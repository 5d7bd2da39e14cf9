"""Petitions (OG 27/2002), public-information requests (Law 544/2001) and complaints about the
public domain, each one a registry entry; the Open311 clients that file them.

A petition never lives outside the registry: `Petition.entry` is the registry entry that gave it
its number, and every outgoing letter (answer, forwarding) is a reply entry under that number.
What the registry does not know — the petitioner, the kind, the legal terms, the location and
photos of a complaint — is kept here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ghiseu.accounts.models import Department
from ghiseu.core.models import StoredFile
from ghiseu.registry.models import Entry


class Kind(models.TextChoices):
    REQUEST = "request", _("cerere")
    COMPLAINT = "complaint", _("reclamație")
    REPORT = "report", _("sesizare")
    PROPOSAL = "proposal", _("propunere")
    PUBLIC_INFORMATION = "public_information", _("solicitare de informații de interes public")
    ADMINISTRATIVE_COMPLAINT = "administrative_complaint", _("reclamație administrativă (Legea 544/2001)")


# OG 27/2002 governs these; Law 544/2001 the other two.
PETITION_KINDS = frozenset({Kind.REQUEST, Kind.COMPLAINT, Kind.REPORT, Kind.PROPOSAL})
INFORMATION_KINDS = frozenset({Kind.PUBLIC_INFORMATION, Kind.ADMINISTRATIVE_COMPLAINT})


class PetitionerType(models.TextChoices):
    PERSON = "person", _("persoană fizică")
    COMPANY = "company", _("persoană juridică")
    INSTITUTION = "institution", _("instituție publică")


class PetitionStatus(models.TextChoices):
    REGISTERED = "registered", _("înregistrată")
    IN_PROGRESS = "in_progress", _("în lucru")
    EXTENDED = "extended", _("termen prelungit")
    FORWARDED = "forwarded", _("redirecționată")
    JOINED = "joined", _("conexată")
    FILED_AWAY = "filed_away", _("clasată")
    ANSWERED = "answered", _("răspuns transmis")


OPEN_STATUSES = frozenset({PetitionStatus.REGISTERED, PetitionStatus.IN_PROGRESS, PetitionStatus.EXTENDED})


class FilingReason(models.TextChoices):
    ANONYMOUS = "anonymous", _("petiție anonimă sau fără date de identificare")
    REPEATED = "repeated", _("petiție repetată după transmiterea răspunsului")


class Outcome(models.TextChoices):
    """How the answer resolved the matter (for the reports)."""

    FAVORABLE = "favorable", _("favorabil")
    UNFAVORABLE = "unfavorable", _("nefavorabil")
    PARTIAL = "partial", _("parțial favorabil")
    # Law 544/2001: a refusal, with its reason.
    REFUSED_EXEMPT = "refused_exempt", _("refuz: informație exceptată")
    REFUSED_MISSING = "refused_missing", _("refuz: informație inexistentă")


REFUSALS = frozenset({Outcome.REFUSED_EXEMPT, Outcome.REFUSED_MISSING})


class PetitionCategory(models.Model):
    """A kind of problem in the public domain (roads, lighting, ...), routed to its department.

    The category is also an Open311 service: `service_code` names it in the API.
    """

    code = models.SlugField(_("cod"), max_length=40, unique=True)
    name = models.CharField(_("denumire"), max_length=120)
    description = models.CharField(_("descriere"), max_length=500, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("compartimentul care o soluționează"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petition_categories",
    )
    service_code = models.CharField(_("cod serviciu Open311"), max_length=40, unique=True)
    group = models.CharField(_("grup Open311"), max_length=60, blank=True)
    keywords = models.CharField(_("cuvinte cheie"), max_length=300, blank=True)
    open311_type = models.CharField(
        _("tip Open311"),
        max_length=10,
        choices=[("realtime", "realtime"), ("batch", "batch")],
        default="realtime",
        help_text=_("realtime: clientul primește numărul imediat; batch: primește un token."),
    )
    order = models.PositiveSmallIntegerField(_("ordine"), default=0)
    is_active = models.BooleanField(_("activă"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("categorie de sesizare")
        verbose_name_plural = _("categorii de sesizări")

    def __str__(self) -> str:
        return self.name


class AttributeDatatype(models.TextChoices):
    STRING = "string", "string"
    NUMBER = "number", "number"
    DATETIME = "datetime", "datetime"
    TEXT = "text", "text"
    SINGLE = "singlevaluelist", "singlevaluelist"
    MULTI = "multivaluelist", "multivaluelist"


class CategoryAttribute(models.Model):
    """An extra question of a category (an Open311 service definition attribute)."""

    category = models.ForeignKey(PetitionCategory, on_delete=models.CASCADE, related_name="attributes")
    code = models.SlugField(_("cod"), max_length=40)
    description = models.CharField(_("întrebare"), max_length=300)
    datatype = models.CharField(_("tip"), max_length=20, choices=AttributeDatatype.choices)
    datatype_description = models.CharField(_("indicații"), max_length=300, blank=True)
    required = models.BooleanField(_("obligatoriu"), default=False)
    variable = models.BooleanField(_("se completează"), default=True)
    order = models.PositiveSmallIntegerField(_("ordine"), default=1)
    values = models.JSONField(
        _("valori"), default=list, blank=True, help_text=_('Pentru liste: [{"key": "1", "name": "Groapă"}, ...]')
    )

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["category", "code"], name="one_attribute_code_per_category")]
        verbose_name = _("întrebare suplimentară")
        verbose_name_plural = _("întrebări suplimentare")

    def __str__(self) -> str:
        return self.code

    def value_keys(self) -> set[str]:
        return {str(v.get("key")) for v in self.values or [] if isinstance(v, dict)}


def new_open311_key() -> str:
    return secrets.token_urlsafe(32)


def hash_open311_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class Open311Client(models.Model):
    """A civic application allowed to file requests through Open311. Only the key's hash is kept."""

    name = models.CharField(_("aplicație"), max_length=120, unique=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(_("începutul cheii"), max_length=8, editable=False)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    is_active = models.BooleanField(_("activă"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("client Open311")
        verbose_name_plural = _("clienți Open311")

    def __str__(self) -> str:
        return self.name

    def set_key(self, key: str) -> None:
        self.key_hash = hash_open311_key(key)
        self.key_prefix = key[:6]


class Petition(models.Model):
    entry = models.OneToOneField(
        Entry, verbose_name=_("înregistrare"), on_delete=models.PROTECT, related_name="petition"
    )
    kind = models.CharField(_("tip"), max_length=30, choices=Kind.choices)
    status = models.CharField(
        _("stare"), max_length=20, choices=PetitionStatus.choices, default=PetitionStatus.REGISTERED
    )

    # The petitioner. `anonymous` is true also when the identification data are missing (OG 27/2002 art. 7).
    petitioner_type = models.CharField(
        _("tip petiționar"), max_length=20, choices=PetitionerType.choices, default=PetitionerType.PERSON
    )
    petitioner_name = models.CharField(_("nume"), max_length=200, blank=True)
    petitioner_address = models.CharField(_("adresă"), max_length=300, blank=True)
    petitioner_email = models.EmailField(_("e-mail"), blank=True)
    petitioner_phone = models.CharField(_("telefon"), max_length=30, blank=True)
    petitioner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cont"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petitions",
    )
    petitioner_key = models.CharField(max_length=300, blank=True, editable=False, db_index=True)
    anonymous = models.BooleanField(_("anonimă"), default=False)
    description = models.TextField(_("conținut"))

    # Complaints about the public domain.
    category = models.ForeignKey(
        PetitionCategory,
        verbose_name=_("categorie"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petitions",
    )
    latitude = models.DecimalField(_("latitudine"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitudine"), max_digits=9, decimal_places=6, null=True, blank=True)
    location_address = models.CharField(_("locul problemei"), max_length=300, blank=True)
    address_id = models.CharField(_("cod adresă"), max_length=60, blank=True)
    attributes = models.JSONField(_("răspunsuri la întrebările categoriei"), default=dict, blank=True)
    media_url = models.URLField(_("adresa unei imagini"), max_length=500, blank=True)

    # Terms. `term_start` is the registration date here (also for a petition received by forwarding).
    term_start = models.DateField(_("începutul termenului"))
    due_date = models.DateField(_("termen legal"), db_index=True)
    refusal_due_date = models.DateField(_("termen pentru refuz"), null=True, blank=True)
    forward_due_date = models.DateField(_("termen de redirecționare"), null=True, blank=True)
    received_by_forwarding = models.BooleanField(_("primită prin redirecționare"), default=False)
    forwarded_from = models.CharField(_("redirecționată de"), max_length=300, blank=True)

    extended_at = models.DateTimeField(_("prelungit la"), null=True, blank=True)
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    extension_days = models.PositiveSmallIntegerField(_("zile de prelungire"), null=True, blank=True)
    extension_reason = models.TextField(_("motivul prelungirii"), blank=True)

    forwarded_at = models.DateTimeField(_("redirecționată la"), null=True, blank=True)
    forwarded_to = models.CharField(_("redirecționată către"), max_length=300, blank=True)
    forward_entry = models.ForeignKey(
        Entry,
        verbose_name=_("adresa de redirecționare"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    joined_to = models.ForeignKey(
        "self", verbose_name=_("conexată la"), null=True, blank=True, on_delete=models.PROTECT, related_name="joined"
    )
    repeated_of = models.ForeignKey(
        "self",
        verbose_name=_("repetă petiția"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repeats",
    )
    original_request = models.ForeignKey(
        "self",
        verbose_name=_("solicitarea contestată"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="administrative_complaints",
    )
    filed_away_at = models.DateTimeField(_("clasată la"), null=True, blank=True)
    filed_away_reason = models.CharField(_("motivul clasării"), max_length=20, choices=FilingReason.choices, blank=True)
    filed_away_note = models.TextField(_("mențiune"), blank=True)

    answered_at = models.DateTimeField(_("răspuns la"), null=True, blank=True)
    answer_entry = models.ForeignKey(
        Entry, verbose_name=_("răspunsul"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answer_text = models.TextField(_("răspuns"), blank=True)
    legal_basis = models.CharField(_("temeiul legal al soluției"), max_length=500, blank=True)
    outcome = models.CharField(_("soluție"), max_length=20, choices=Outcome.choices, blank=True)
    answered_on_time = models.BooleanField(_("răspuns în termen"), null=True, blank=True)
    # How the answer reached the petitioner: the portal inbox (an account), e-mail with a link to
    # the letter, or on paper (no e-mail: printed and posted, `answer_posted_at` when it went out).
    answer_in_inbox = models.BooleanField(_("răspuns în contul petiționarului"), default=False)
    answer_emailed_to = models.EmailField(_("răspuns trimis prin e-mail la"), blank=True)
    answer_by_post = models.BooleanField(_("răspuns de tipărit pentru poștă"), default=False)
    answer_posted_at = models.DateTimeField(_("răspuns expediat prin poștă la"), null=True, blank=True)
    solving_department = models.ForeignKey(
        Department,
        verbose_name=_("compartimentul care a soluționat"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    open311_client = models.ForeignKey(
        Open311Client, null=True, blank=True, on_delete=models.PROTECT, related_name="petitions"
    )
    open311_token = models.CharField(max_length=40, blank=True, db_index=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-term_start", "-pk"]
        indexes = [
            models.Index(fields=["kind", "status"]),
            models.Index(fields=["category", "latitude", "longitude"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (Q(latitude__gte=-90) & Q(latitude__lte=90) & Q(longitude__gte=-180) & Q(longitude__lte=180)),
                name="petition_coordinates_in_range",
            ),
        ]
        verbose_name = _("petiție")
        verbose_name_plural = _("petiții")

    def __str__(self) -> str:
        return f"{self.entry.display_number} ({self.get_kind_display()})"

    @property
    def number(self) -> str:
        return self.entry.display_number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_information(self) -> bool:
        return self.kind in INFORMATION_KINDS

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.is_open and self.due_date < (today or timezone.localdate())


class PetitionPhoto(models.Model):
    """A photo of a complaint: the original kept unaltered (a registry attachment, never public) and a
    public copy re-encoded without any EXIF (no GPS, no camera, no time)."""

    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="photos")
    original = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    public = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField(_("nume"), max_length=255)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    gps_latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    gps_longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    is_public = models.BooleanField(_("publică"), default=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("fotografie")
        verbose_name_plural = _("fotografii")

    def __str__(self) -> str:
        return self.original_name
